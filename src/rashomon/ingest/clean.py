"""Boilerplate removal, title detection and paragraphing, without rewriting the text.

Cleaning works on lines. Each line is either kept (and grouped into paragraphs) or
removed with the name of the rule that removed it; removed lines are recorded
verbatim with their spans (INTERFACE.md ``removed``), never silently lost.

Rules come in two kinds, as in trafilatura and jusText:
1. generic rules: promo lines, related-link lists, comment prompts, share/subscribe/app
   prompts, mirror-address footers, section breadcrumbs, photo captions and credits,
   bylines, timestamps, copyright lines, wire credit lines;
2. per-outlet lines learned from recurrence: a line that does not read as a sentence and
   appears in several of one outlet's articles is that outlet's furniture, not its reporting.

A rule never removes a line that reads like reporting unless the line matches a
pattern that reporting does not produce (a photo credit, a mirror-address notice):
dropping a sentence of reporting would fake an omission later on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rashomon.model import Paragraph, Removed
from rashomon.textnorm import for_analysis, line_key

# --- lines ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    """A non-empty line: the span of its stripped content, and whether a blank line precedes it."""

    start: int
    end: int
    text: str
    after_blank: bool


def split_lines(text: str) -> list[Line]:
    """The non-empty lines of ``text`` with their spans (leading/trailing space excluded)."""
    norm = for_analysis(text)
    lines: list[Line] = []
    pos = 0
    blank = True
    for raw in norm.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = pos + (len(raw) - len(raw.lstrip()))
            end = start + len(stripped)
            lines.append(Line(start, end, text[start:end], blank))
            blank = False
        else:
            blank = True
        pos += len(raw) + 1
    return lines


def _words(s: str) -> int:
    return len(s.split())


_SENTENCE_END = re.compile(r"""[.!?…]["'”’»)\]]*$|[.!?…]\s*\(\d+\)$""")


def ends_like_sentence(s: str) -> bool:
    """True when the line ends as a sentence does (a full stop, maybe inside a closing quote)."""
    return bool(_SENTENCE_END.search(s.rstrip()))


def learnable(line: str) -> bool:
    """Lines that per-outlet learning may consider: not sentence-like, and not long.

    Outlets repeat sentences of reporting from article to article (a wire story's
    background paragraph, "Russia has denied the allegations."): recurring is not enough
    to call a sentence boilerplate, so no line that ends as a sentence ever is.
    """
    return _words(line) <= 25 and not ends_like_sentence(line)


# --- generic rules ----------------------------------------------------------------------

_SEG = r"[A-Z][\w'&.-]*(?:\s[A-Za-z&][\w'&.-]*){0,3}"
_BREADCRUMB = re.compile(rf"^(?:{_SEG})(?:\s*[/›»>|]\s*(?:{_SEG})){{1,5}}$")
_CAPTION = re.compile(
    r"""\((?:photo|image|picture|file\s+photo|photograph|video|graphic)s?\s*(?:by|:|credit:?|courtesy(?:\s+of)?)\s*[^)]{1,80}\)\s*\.?$
      |\((?:reuters|afp|ap|epa|getty\s+images|xinhua|tass|anadolu)(?:\s+photo)?\)\s*$
      |^(?:photo|image|picture|file\s+photo|photograph|caption)\s*(?:by|:|credit)\b
      |\b(?:photo|image|picture)\s*(?:credit)?\s*:\s*\S[^.]{0,60}$
      |\b(?:REUTERS|AFP|AP|EPA(?:-EFE)?|ANADOLU)\s*/\s*[A-Z][a-z]
      |\b(?:via|/)\s*Getty\s+Images\b|\bGetty\s+Images\s*$|\bShutterstock\s*$""",
    re.I | re.X,
)
_PROMO = re.compile(
    r"""^(?:get\s+(?:breaking|the\s+latest|daily|our|all\s+the)\b
      |sign\s+up\b|subscribe\b|download\s+(?:the|our)\b|follow\s+(?:us|our)\b|click\s+here\b
      |read\s+more\b|watch\s*:|listen\s*:|advertisement$|story\s+continues\s+below
      |this\s+(?:article|story)\s+(?:was\s+)?(?:originally|first)\s+(?:appeared|published)
      |you\s+(?:may|might)\s+also\s+like|recommended\s+for\s+you|don'?t\s+miss\b
      |(?:sign\s+up\s+for|get)\s+our\s+newsletter|support\s+(?:our|independent)\s+journalism
      |follow\s+(?:\S+\s+){0,3}on\s+(?:telegram|twitter|x|facebook|instagram|youtube|tiktok|whatsapp|threads|bluesky)\b)""",
    re.I | re.X,
)
# Appeals for money or membership, wherever they stand in the line.
_FUNDING = re.compile(
    r"\b(?:support\s+(?:our|independent|quality)\s+journalism|funded\s+by\s+(?:its|our)\s+readers"
    r"|donate\s+(?:now|today)|become\s+a\s+(?:member|supporter|subscriber))\b",
    re.I,
)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# A line that is only a date, maybe with a weekday and a time: "Thursday, 6 March 2031 · 11:20".
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATELINE = re.compile(
    rf"""^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?
      (?:\d{{1,2}}\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}})
      (?:\s*[·|,-]?\s*\d{{1,2}}[:.]\d{{2}}(?:\s*[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}})?)?$""",
    re.I | re.X,
)
_SHARE = re.compile(
    r"""^(?:share(?:\s+(?:this|on|via)\b.*)?|tweet|e-?mail|print|copy\s+link|facebook|twitter|whatsapp|linkedin|reddit|telegram)$""",
    re.I | re.X,
)
_SHARE_BAR = re.compile(r"^share\b[^.!?]*:\s*\w+(?:\s*[|,·]\s*\w+)+$", re.I)
_APP = re.compile(
    r"\b(?:roku|app\s+store|google\s+play|android\s+app|ios\s+app|apple\s+tv|amazon\s+fire|fire\s+tv|smart\s+tv\s+app)\b",
    re.I,
)
_COMMENTS = re.compile(
    r"""^(?:\d+\s+)?comments?(?:\s*\(\d+\))?\s*:?$
      |^(?:leave|post|add|view|show|read|load)\s+(?:a\s+|the\s+|all\s+|\d+\s+)?comments?\b
      |^join\s+the\s+(?:conversation|discussion)\b""",
    re.I | re.X,
)
_MIRROR = re.compile(
    r"can\s+(?:also\s+)?be\s+(?:accessed|reached|found)\s+at|alternate\s+(?:web\s*)?(?:address(?:es)?|domains?|urls?|sites?)\b|mirror\s+(?:address(?:es)?|sites?|domains?)\b",
    re.I,
)
_BARE_LINK = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?$", re.I)
_RELATED_HEAD = re.compile(
    r"""^(?:related(?:\s+(?:stories|articles|coverage|news|content|topics|links|reading))?
      |more\s+(?:from|on|stories|news|in|coverage)\b.{0,40}|see\s+also|also\s+read|read\s+(?:also|next)
      |top\s+stories|latest\s+(?:news|stories)|most\s+(?:read|popular|viewed)|trending(?:\s+now)?|editor'?s\s+picks)\s*:?$""",
    re.I | re.X,
)
_BULLET = re.compile(r"^[-•*–·▪►]\s+\S")
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s*\d{4}|copyright\b)|\ball\s+rights\s+reserved\b", re.I)
_BYLINE = re.compile(r"^[Bb]y\s+[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}(?:\s*(?:,|and|&)\s*[A-Z][\w .'-]+){0,3}$")
_TIMESTAMP = re.compile(r"^(?:published|updated|posted|last\s+updated|first\s+published)\b.{0,60}\d", re.I)


def _generic_rule(line: str) -> str | None:
    """The name of the generic rule that removes this line, or None to keep it."""
    words = _words(line)
    if words <= 8 and _BREADCRUMB.match(line) and not ends_like_sentence(line):
        return "breadcrumb"
    if _CAPTION.search(line):
        return "caption"
    if words <= 20 and _PROMO.match(line):
        return "promo"
    if (words <= 4 and _SHARE.match(line)) or (words <= 15 and _SHARE_BAR.match(line)):
        return "share_prompt"
    if words <= 30 and _FUNDING.search(line):
        return "promo"
    if words <= 25 and _EMAIL.search(line) and not ends_like_sentence(line):
        return "contact_prompt"
    if words <= 10 and _DATELINE.match(line):
        return "dateline"
    if words <= 8 and _APP.search(line) and not ends_like_sentence(line):
        return "app_prompt"
    if words <= 8 and _COMMENTS.match(line):
        return "comments"
    if words <= 30 and _MIRROR.search(line):
        return "mirror_footer"
    if words <= 6 and _RELATED_HEAD.match(line):
        return "related_links"
    if words <= 25 and _COPYRIGHT.search(line):
        return "copyright"
    if words <= 8 and _BYLINE.match(line):
        return "byline"
    if words <= 15 and _TIMESTAMP.match(line) and not ends_like_sentence(line):
        return "timestamp"
    return None


# --- the cleaner ------------------------------------------------------------------------

LineCounts = Callable[[Sequence[str]], dict[str, int]]


@dataclass(frozen=True, slots=True)
class Cleaned:
    """What cleaning decided: the title, the removed lines, the kept paragraphs."""

    title: str | None
    title_span: tuple[int, int] | None
    removed: tuple[Removed, ...]
    paragraphs: tuple[Paragraph, ...]


def learnable_keys(text: str) -> list[str]:
    """Keys of the lines per-outlet learning counts for this text (distinct, in order)."""
    return list(dict.fromkeys(line_key(ln.text) for ln in split_lines(text) if learnable(ln.text)))


def clean(
    text: str,
    *,
    title: str | None = None,
    title_in_text: bool = False,
    is_credit_line: Callable[[str], bool] | None = None,
    recurring: dict[str, int] | None = None,
    min_recurring: int = 3,
) -> Cleaned:
    """Split ``text`` into title, removed lines and kept paragraphs.

    title: the title the metadata states, if any. title_in_text: the first kept line may
    be the title (plain text files; HTML whose extracted text repeats the headline).
    is_credit_line: tells pure wire-credit lines ("(Reporting by Reuters; Editing by …)").
    recurring: for this article's outlet, how many stored articles hold each line key
    (see ``learnable_keys``); a learnable line seen in ``min_recurring`` or more is removed.
    """
    lines = split_lines(text)
    verdicts: list[str | None] = []
    for line in lines:
        rule = _generic_rule(line.text)
        if rule is None and is_credit_line is not None and is_credit_line(line.text):
            rule = "credit"
        if (
            rule is None
            and recurring
            and learnable(line.text)
            and recurring.get(line_key(line.text), 0) >= min_recurring
        ):
            rule = "outlet_recurring"
        verdicts.append(rule)
    _mark_lists(lines, verdicts)

    # 1. The title: the first kept line, when the format says it may be one and it reads as one.
    title_span: tuple[int, int] | None = None
    first_kept = next((i for i, v in enumerate(verdicts) if v is None), None)
    if title_in_text and first_kept is not None and first_kept <= 3:
        candidate = lines[first_kept]
        if (title is not None and candidate.text == title) or (title is None and _looks_like_title(candidate.text)):
            title_span = (candidate.start, candidate.end)
            title = candidate.text
            verdicts[first_kept] = "title"

    removed = tuple(
        Removed(ln.start, ln.end, ln.text, rule)
        for ln, rule in zip(lines, verdicts, strict=True)
        if rule is not None and rule != "title"
    )
    kept = [ln for ln, rule in zip(lines, verdicts, strict=True) if rule is None]
    return Cleaned(title, title_span, removed, tuple(_paragraphs(kept)))


def _looks_like_title(line: str) -> bool:
    words = _words(line)
    first = line[:1]
    return 2 <= words <= 30 and not re.search(r"[.,;]$", line) and (first.isupper() or first.isdigit() or first in "'\"‘“")


def _mark_lists(lines: list[Line], verdicts: list[str | None]) -> None:
    """Related-link lists: runs of bullet lines that read as headlines, and the lines under
    a "Related"-style header; also the bare addresses under a mirror-address notice."""
    i = 0
    while i < len(lines):
        if verdicts[i] in ("related_links", "mirror_footer"):
            rule = verdicts[i]
            # Under a "Related" header: the bullet run if bullets follow, else headline-like
            # lines; under a mirror notice: the bare addresses.
            bullets = i + 1 < len(lines) and bool(_BULLET.match(lines[i + 1].text))
            j = i + 1
            while j < len(lines) and verdicts[j] is None:
                follower = lines[j].text
                if rule == "mirror_footer" and not _BARE_LINK.match(follower) and _words(follower) > 4:
                    break
                if rule == "related_links" and (
                    (bullets and not _BULLET.match(follower))
                    or (not bullets and ends_like_sentence(follower))
                    or _words(follower) > 25
                ):
                    break
                verdicts[j] = rule
                j += 1
            i = j
            continue
        if verdicts[i] is None and _BULLET.match(lines[i].text):
            j = i
            while j < len(lines) and verdicts[j] is None and _BULLET.match(lines[j].text):
                j += 1
            run = range(i, j)
            headline_like = sum(1 for k in run if not ends_like_sentence(lines[k].text) and _words(lines[k].text) <= 25)
            if len(run) >= 2 and headline_like * 2 > len(run):
                for k in run:
                    verdicts[k] = "related_links"
            i = max(j, i + 1)
            continue
        if verdicts[i] is None and _BARE_LINK.match(lines[i].text):
            verdicts[i] = "link"
        i += 1


def _paragraphs(kept: list[Line]) -> list[Paragraph]:
    """Group kept lines into paragraphs. A line continues the previous one when the text is
    hard-wrapped (no sentence end before the break, a lower-case start after it); a short
    line without final punctuation standing alone is a crosshead ("heading")."""
    paragraphs: list[Paragraph] = []
    start = end = -1
    for idx, line in enumerate(kept):
        continues = (
            start >= 0
            and not line.after_blank
            and not ends_like_sentence(kept[idx - 1].text)
            and line.text[:1].islower()
        )
        if continues:
            end = line.end
            continue
        if start >= 0:
            paragraphs.append(_paragraph(kept, start, end))
        start, end = line.start, line.end
    if start >= 0:
        paragraphs.append(_paragraph(kept, start, end))
    return paragraphs


def _paragraph(kept: list[Line], start: int, end: int) -> Paragraph:
    text = next((ln.text for ln in kept if ln.start == start), "")
    single_line = any(ln.start == start and ln.end == end for ln in kept)
    heading = (
        single_line
        and 2 <= _words(text) <= 15
        and not ends_like_sentence(text)
        and not text.endswith((":", ",", ";", "-", "—"))
        and text[:1].isupper()
    )
    return Paragraph(start, end, "heading" if heading else "body")


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_DATE_IN_LINE = re.compile(
    rf"(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH})\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}}),?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})",
    re.I,
)


def published_from(removed: Sequence[Removed]) -> str | None:
    """The publication date a plain-text file states in its timestamp or date line
    ("Published: 05:12, 5 March 2031"), as "YYYY-MM-DD", or None."""
    import datetime as dt

    for r in removed:
        if r.rule not in ("timestamp", "dateline"):
            continue
        m = _DATE_IN_LINE.search(r.text)
        if m is None:
            continue
        if m["y3"]:
            y, mo, d = int(m["y3"]), int(m["m3"]), int(m["d3"])
        else:
            y = int(m["y1"] or m["y2"])
            mo = _MONTHS.get((m["m1"] or m["m2"])[:3].lower(), 0)
            d = int(m["d1"] or m["d2"])
        try:
            return dt.date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None
