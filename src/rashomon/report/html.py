"""The HTML report: one self-contained page (no external assets) for one Comparison.

The articles stand side by side, each sentence a span with an id and a tint for its claim's
status; quotes, framing findings and entity mentions are highlighted in the source text.
Every finding links to the spans it rests on, and every span links back to its finding
(or, for a sentence, its claim). A facts x outlets matrix (inline SVG) sits above them.

Data preparation lives here, in plain functions returning frozen dataclasses
(``report_view``), and the templates under ``templates/`` only print what they are given,
so the web app (``rashomon serve``) can render the same views with the same templates
(``environment()``, ``page_assets()``).

Article text, titles, outlet names and every other field are untrusted: Jinja2 escapes all
of them (autoescape on, no ``|safe`` on data), the page runs only its own inline script and
style (a Content-Security-Policy pins them by hash), and links point only inside the page.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise

import jinja2
from markupsafe import Markup

from rashomon.model import Annotation, Article, Claim, Comparison
from rashomon.report.json import (
    LOW_CONFIDENCE,
    entity_labels,
    is_low,
    ordered_framing,
    ordered_quotes,
    paired_annotations,
    speaker_entity_id,
)
from rashomon.report.terminal import (
    Summary,
    article_names,
    differs,
    fact_sources,
    headline,
    kinds_line,
    short,
    sorted_claims,
    summarise,
    voice_names,
)

# Controls other than tab and line breaks have no business in a page (and XML tools choke
# on them); they are shown as U+FFFD, one for one, so nothing else moves.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SAFE_ID = re.compile(r"[A-Za-z0-9_.-]{1,64}")
_KIND = re.compile(r"[^a-z0-9_]+")


def anchor(raw: str) -> str:
    """A producer's id (claim "c4", sentence "s3") as a safe fragment: kept when it is
    plain, else replaced by a digest, so an id can never break out of an attribute or URL."""
    if _SAFE_ID.fullmatch(raw):
        return raw
    return "x" + hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def css_kind(kind: str) -> str:
    """A finding kind as a CSS class suffix ("scare_quote" -> "scare_quote")."""
    return _KIND.sub("_", kind.lower())[:32] or "other"


# --- view dataclasses (what the templates see) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Target:
    """An element id a finding links to, placed where the finding's span starts.
    key: the finding key whose every piece lights up when this target is visited."""

    id: str
    key: str


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text covered by the same highlights.

    classes: CSS classes of every highlight covering it ("" for plain text).
    href: the finding it links back to (the most specific one), or None for plain text.
    keys: finding keys covering it (space-separated; the page script lights them together).
    targets: ids of findings whose span starts here.
    """

    text: str
    classes: str = ""
    href: str | None = None
    title: str | None = None
    keys: str = ""
    targets: tuple[Target, ...] = ()


@dataclass(frozen=True, slots=True)
class Piece:
    """A sentence (id set) or the text between sentences (id None), as segments."""

    segments: tuple[Segment, ...]
    id: str | None = None
    classes: str = ""
    claim_href: str | None = None
    claim_label: str | None = None
    claim_title: str | None = None


@dataclass(frozen=True, slots=True)
class ParagraphView:
    kind: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class ArticleView:
    key: str
    id: str
    path: str
    name: str
    outlet: str | None
    country: str | None
    ownership: str | None
    published: str | None
    url: str | None
    wire: tuple[str, ...]
    copies: tuple[str, ...]
    title: str | None
    title_pieces: tuple[Piece, ...]
    paragraphs: tuple[ParagraphView, ...]
    removed: tuple[str, ...]
    stated: int
    unique: int
    conflicts: int
    quotes: int
    stats: str
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A labelled in-page link (href None when the target is not in the kept text)."""

    label: str
    href: str | None
    text: str = ""


@dataclass(frozen=True, slots=True)
class ClaimView:
    id: str
    label: str
    status: str
    note: str | None
    confidence: float
    low: bool
    statements: tuple[Link, ...]
    values: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    status: str
    heading: str
    claims: tuple[ClaimView, ...]


@dataclass(frozen=True, slots=True)
class QuoteView:
    id: str
    key: str
    article: str
    speaker: str | None
    speaker_href: str | None
    cue: str | None
    kind: str
    content: str
    href: str | None
    confidence: float
    low: bool


@dataclass(frozen=True, slots=True)
class FramingView:
    id: str
    key: str
    kind: str
    label: str
    article: str
    text: str
    note: str | None
    href: str | None
    confidence: float
    low: bool


@dataclass(frozen=True, slots=True)
class EntityView:
    id: str
    key: str
    label: str
    name: str
    type: str
    differs: bool
    confidence: float
    low: bool
    forms: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class VoiceView:
    speaker: str
    href: str | None
    outlets: str
    how: str
    words: int
    quotes: tuple[Link, ...] = ()


@dataclass(frozen=True, slots=True)
class MatrixCell:
    x: int
    y: int
    state: str
    href: str | None
    title: str


@dataclass(frozen=True, slots=True)
class MatrixRow:
    y: int
    text_y: int
    label: str
    href: str
    title: str
    status: str
    low: bool
    cells: tuple[MatrixCell, ...]


@dataclass(frozen=True, slots=True)
class MatrixColumn:
    x: int
    label: str
    title: str
    href: str


@dataclass(frozen=True, slots=True)
class MatrixView:
    """The facts x outlets chart: rows are claims, columns articles; a cell is "stated",
    "conflict" (stated, but details disagree with another outlet) or "absent"."""

    width: int
    height: int
    head: int
    label_width: int
    rows: tuple[MatrixRow, ...]
    columns: tuple[MatrixColumn, ...]


@dataclass(frozen=True, slots=True)
class ReportView:
    """Everything the comparison page shows."""

    title: str
    headline: str
    summary: Summary
    articles: tuple[ArticleView, ...]
    matrix: MatrixView
    claims: tuple[ClaimGroup, ...]
    quotes: tuple[QuoteView, ...]
    framing: tuple[FramingView, ...]
    entities: tuple[EntityView, ...]
    voices: tuple[VoiceView, ...]
    settings: tuple[tuple[str, str], ...]
    low_bar: float
    fact_sources: tuple[str, ...] = ()


# --- highlighting: spans -> segments ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlight over ``[start, end)`` of one article's text.

    key: finding key shared by all its marks. target: element id to place where it starts
    (None for marks only lit up, never jumped to). href: the finding it links back to.
    rank: which covering mark a segment links to (lowest wins; then the shortest).
    """

    start: int
    end: int
    key: str
    css: str
    href: str
    title: str
    rank: int
    target: str | None = None


def segments(text: str, start: int, end: int, marks: Iterable[Mark], placed: set[str]) -> tuple[Segment, ...]:
    """``text[start:end]`` cut where any mark starts or ends, each run with the marks over it.

    Marks may nest or cross (a hedge inside a quote, a quote running over two sentences),
    so the runs are flat and each carries every covering mark's class. ``placed`` records
    the targets already emitted: a finding's id is placed once, at its first run."""
    over = [m for m in marks if m.start < end and start < m.end and m.start < m.end]
    cuts = sorted({start, end} | {m.start for m in over if start < m.start < end} | {m.end for m in over if start < m.end < end})
    out: list[Segment] = []
    for a, b in pairwise(cuts):
        covering = [m for m in over if m.start <= a and m.end >= b]
        if not covering:
            out.append(Segment(text[a:b]))
            continue
        best = min(covering, key=lambda m: (m.rank, m.end - m.start, m.start))
        targets = []
        for m in covering:
            if m.target and m.target not in placed:
                placed.add(m.target)
                targets.append(Target(m.target, m.key))
        out.append(Segment(
            text=text[a:b],
            classes=" ".join(sorted({c for m in covering for c in m.css.split()})),
            href=best.href,
            title=" · ".join(dict.fromkeys(m.title for m in sorted(covering, key=lambda m: (m.rank, m.start)))),
            keys=" ".join(sorted({m.key for m in covering})),
            targets=tuple(targets),
        ))
    return tuple(out)


def _marks(comparison: Comparison, key_of_article: dict[str, str]) -> dict[str, list[Mark]]:
    """Every highlight, per article id: quotes (content, speaker, cue), framing findings and
    entity mentions, each keyed to its finding."""
    marks: dict[str, list[Mark]] = {a.id: [] for a in comparison.articles}
    for qid, article, q in ordered_quotes(comparison):
        low = " low" if is_low(q.confidence) else ""
        who = short(q.speaker, 60) or "no speaker found"
        title = f"{qid}: {q.kind} quote, {who}" + (" (low confidence)" if low else "")
        href = f"#quote-{qid}"
        add = marks.setdefault(article.id, []).append
        add(Mark(q.content_start, q.content_end, qid, f"hl hl-quote hl-{css_kind(q.kind)}{low}", href, title, 5,
                 f"span-{qid}"))
        if q.speaker_start is not None and q.speaker_end is not None:
            add(Mark(q.speaker_start, q.speaker_end, qid, f"hl hl-speaker{low}", href, title, 4))
        if q.cue_start is not None and q.cue_end is not None:
            add(Mark(q.cue_start, q.cue_end, qid, f"hl hl-cue{low}", href, title, 4))
    for fid, f in ordered_framing(comparison):
        low = " low" if is_low(f.confidence) else ""
        label = f.kind.replace("_", " ")
        title = f"{fid}: {label}" + (f": {short(f.note, 120)}" if f.note else "") + (" (low confidence)" if low else "")
        marks.setdefault(f.article, []).append(
            Mark(f.start, f.end, fid, f"hl hl-fr hl-{css_kind(f.kind)}{low}", f"#framing-{fid}", title, 2,
                 f"span-{fid}"))
    for c in comparison.claims:
        cid = anchor(c.id)
        for k, v in enumerate(c.values):
            title = f"{c.id}: {v.kind} that differs between outlets" + (f": {short(c.note, 120)}" if c.note else "")
            marks.setdefault(v.article, []).append(
                Mark(v.start, v.end, f"val-{cid}", "hl hl-value", f"#claim-{cid}", title, 3, f"span-{cid}-v{k}"))
    for e in comparison.entities:
        eid = anchor(e.id)
        low = " low" if is_low(e.confidence) else ""
        title = f"{short(e.name, 60)} ({short(e.type, 12)})" + (" (low confidence)" if low else "")
        for m in e.mentions:
            akey = key_of_article.get(m.article)
            if akey is None:
                continue
            marks.setdefault(m.article, []).append(
                Mark(m.start, m.end, f"ent-{eid}", f"hl-ent{low}", f"#entity-{eid}", title, 9,
                     f"span-ent-{eid}-{akey}"))
    return marks


def _pieces(
    article: Article, akey: str, start: int, end: int, sentences: list[tuple[str, int, int]],
    claim_of: dict[tuple[str, str], Claim], marks: list[Mark], placed: set[str],
) -> tuple[Piece, ...]:
    """A region of the text (a paragraph, the title) as sentences and the gaps between."""
    text = article.text
    out: list[Piece] = []
    cursor = start
    for sid, s_start, s_end in sentences:
        if s_end <= start or s_start >= end:
            continue
        a, b = max(s_start, cursor), min(s_end, end)
        if a >= b:
            continue
        if a > cursor:
            out.append(Piece(segments(text, cursor, a, marks, placed)))
        element = f"{akey}-{anchor(sid)}"
        claim = claim_of.get((article.id, sid))
        classes = "sent" + (f" st-{css_kind(claim.status)}" if claim else "") + (
            " low" if claim and is_low(claim.confidence) else "")
        piece_id = None if element in placed else element
        placed.add(element)
        out.append(Piece(
            segments(text, a, b, marks, placed), id=piece_id, classes=classes,
            claim_href=f"#claim-{anchor(claim.id)}" if claim and piece_id else None,
            claim_label=short(claim.id, 12) if claim else None,
            claim_title=(f"{claim.status}" + (f": {short(claim.note, 120)}" if claim.note else "")
                         + (" (low confidence)" if is_low(claim.confidence) else "")) if claim else None,
        ))
        cursor = b
    if cursor < end:
        out.append(Piece(segments(text, cursor, end, marks, placed)))
    return tuple(out)


def _article_view(
    article: Article, note: Annotation | None, akey: str, summary: Summary,
    names: dict[str, str], claim_of: dict[tuple[str, str], Claim], marks: list[Mark], placed: set[str],
) -> ArticleView:
    sentences = sorted(((s.id, s.start, s.end) for s in note.sentences), key=lambda t: (t[1], t[2])) if note else []
    # Without paragraphs (a partial result) the whole text stands as one, so nothing is lost.
    regions = [(p.start, p.end, p.kind) for p in article.paragraphs] or [(0, len(article.text), "body")]
    title_pieces: tuple[Piece, ...] = ()
    if article.title_span is not None:
        t_start, t_end = article.title_span
        title_pieces = _pieces(article, akey, t_start, t_end, sentences, claim_of, marks, placed)
    line = next(o for o in summary.outlets if o.article == article.id)
    quotes = len(note.quotes) if note else 0
    return ArticleView(
        key=akey, id=article.id, path=article.path, name=names[article.id],
        outlet=line.outlet, country=line.country, ownership=line.ownership, published=article.published,
        url=article.url, wire=article.wire_names, copies=line.copies, title=article.title,
        title_pieces=title_pieces,
        paragraphs=tuple(
            ParagraphView(css_kind(kind), _pieces(article, akey, s, e, sentences, claim_of, marks, placed))
            for s, e, kind in regions
        ),
        removed=tuple(r.text for r in article.removed),
        stated=line.stated, unique=line.unique, conflicts=line.conflicts, quotes=quotes,
        stats=f"{plural(line.stated, 'fact')} · {line.unique} only here · {line.conflicts} conflicting · "
              f"{plural(quotes, 'quote')}",
        source=line.source,
    )


# --- the matrix ---------------------------------------------------------------------------------

ROW_H = 18
COL_W = 56
LABEL_W = 330
HEAD_H = 110


def matrix_view(comparison: Comparison, names: dict[str, str], keys: dict[str, str], placed: set[str]) -> MatrixView:
    """Rows = claims (conflicts first, then shared, then one-outlet facts), columns =
    articles; each stated cell links to the sentence that states it."""
    texts = {a.id: a.text for a in comparison.articles}
    columns = tuple(
        MatrixColumn(x=LABEL_W + i * COL_W + COL_W // 2, label=short(names[a.id], 18),
                     title=f"{names[a.id]} — {short(a.title, 100)}", href=f"#{keys[a.id]}")
        for i, a in enumerate(comparison.articles)
    )
    rows = []
    for r, claim in enumerate(sorted_claims(comparison.claims)):
        y = HEAD_H + r * ROW_H
        first = claim.sentences[0] if claim.sentences else None
        said = texts.get(first.article, "")[first.start : first.end] if first else ""
        cells = []
        for i, a in enumerate(comparison.articles):
            mine = [s for s in claim.sentences if s.article == a.id]
            x = LABEL_W + i * COL_W + COL_W // 2
            if not mine:
                cells.append(MatrixCell(x, y + ROW_H // 2, "absent", None, f"{names[a.id]} does not state {claim.id}"))
                continue
            element = f"{keys[a.id]}-{anchor(mine[0].sentence)}"
            state = "conflict" if claim.status == "conflict" else "stated"
            sentence = texts[a.id][mine[0].start : mine[0].end]
            cells.append(MatrixCell(x, y + ROW_H // 2, state, f"#{element}" if element in placed else None,
                                    f"{names[a.id]}: {short(sentence, 160)}"))
        rows.append(MatrixRow(
            y=y, text_y=y + ROW_H // 2 + 4, label=f"{short(claim.id, 8)}  {short(said, 44)}",
            href=f"#claim-{anchor(claim.id)}",
            title=f"{claim.id} ({claim.status})" + (f": {short(claim.note, 160)}" if claim.note else ""),
            status=css_kind(claim.status), low=is_low(claim.confidence), cells=tuple(cells),
        ))
    # Room on the right for the last column's slanted header.
    width = LABEL_W + COL_W * max(len(columns), 1) + 120
    return MatrixView(width=width, height=HEAD_H + ROW_H * len(rows) + 8, head=HEAD_H, label_width=LABEL_W,
                      rows=tuple(rows), columns=columns)


# --- the whole page -----------------------------------------------------------------------------

_HEADINGS = {"conflict": "Conflicting facts", "shared": "Shared facts", "unique": "Facts only one outlet states"}


def report_view(comparison: Comparison) -> ReportView:
    """Everything the comparison page shows, prepared (the templates only print it)."""
    summary = summarise(comparison)
    names = article_names(comparison)
    keys: dict[str, str] = {}
    for i, a in enumerate(comparison.articles, 1):
        keys.setdefault(a.id, f"a{i}")
    claim_of = {(s.article, s.sentence): c for c in comparison.claims for s in c.sentences}
    marks = _marks(comparison, keys)
    placed: set[str] = set()
    articles = tuple(
        _article_view(a, n, keys[a.id], summary, names, claim_of, marks.get(a.id, []), placed)
        for a, n in paired_annotations(comparison)
    )

    def to(element: str) -> str | None:
        return f"#{element}" if element in placed else None

    texts = {a.id: a.text for a in comparison.articles}
    groups = []
    for status in ("conflict", "shared", "unique"):
        claims = tuple(
            ClaimView(
                id=f"claim-{anchor(c.id)}", label=c.id, status=css_kind(c.status), note=c.note,
                confidence=c.confidence, low=is_low(c.confidence),
                statements=tuple(
                    Link(names.get(s.article, s.article), to(f"{keys.get(s.article, '')}-{anchor(s.sentence)}"),
                         texts.get(s.article, "")[s.start : s.end])
                    for s in c.sentences
                ),
                values=tuple(
                    Link(f"“{short(v.text, 40)}” ({names.get(v.article, v.article)})", to(f"span-{anchor(c.id)}-v{k}"),
                         v.kind)
                    for k, v in enumerate(c.values)
                ),
            )
            for c in sorted_claims(comparison.claims) if c.status == status
        )
        if claims:
            groups.append(ClaimGroup(status, _HEADINGS[status], claims))

    quotes = tuple(
        QuoteView(
            id=f"quote-{qid}", key=qid, article=names.get(a.id, a.id), speaker=q.speaker,
            speaker_href=(f"#entity-{anchor(ent)}" if (ent := speaker_entity_id(comparison, a.id, q)) else None),
            cue=q.cue, kind=q.kind, content=short(a.text[q.content_start : q.content_end], 400),
            href=to(f"span-{qid}"), confidence=q.confidence, low=is_low(q.confidence),
        )
        for qid, a, q in ordered_quotes(comparison)
    )
    framing = tuple(
        FramingView(
            id=f"framing-{fid}", key=fid, kind=css_kind(f.kind), label=f.kind.replace("_", " "),
            article=names.get(f.article, f.article), text=f.text, note=f.note, href=to(f"span-{fid}"),
            confidence=f.confidence, low=is_low(f.confidence),
        )
        for fid, f in ordered_framing(comparison)
    )
    entities = []
    for c in comparison.claims:
        cid = anchor(c.id)
        for k, v in enumerate(c.values):
            title = f"{c.id}: {v.kind} that differs between outlets" + (f": {short(c.note, 120)}" if c.note else "")
            marks.setdefault(v.article, []).append(
                Mark(v.start, v.end, f"val-{cid}", "hl hl-value", f"#claim-{cid}", title, 3, f"span-{cid}-v{k}"))
    for e in comparison.entities:
        eid = anchor(e.id)
        labels = entity_labels(e, comparison)
        entities.append(EntityView(
            id=f"entity-{eid}", key=f"ent-{eid}", label=e.id, name=e.name, type=e.type,
            differs=differs(labels),
            confidence=e.confidence, low=is_low(e.confidence),
            forms=tuple(
                Link(" / ".join(labels.get(a.id, [])) or "—",
                     to(f"span-ent-{eid}-{keys[a.id]}") if a.id in labels else None)
                for a in comparison.articles
            ),
        ))
    entity_ids = {e.id for e in comparison.entities}
    quote_ids: dict[tuple[str, int, int], str] = {}
    for qid, qa, qq in ordered_quotes(comparison):
        quote_ids.setdefault((qa.id, qq.content_start, qq.content_end), qid)
    voices = tuple(
        VoiceView(
            speaker=v.speaker, href=f"#entity-{anchor(v.entity)}" if v.entity in entity_ids and v.entity else None,
            outlets=voice_names(v, names), how=kinds_line(v), words=v.words,
            quotes=tuple(
                Link(quote_ids[(q.article, q.start, q.end)], f"#quote-{quote_ids[(q.article, q.start, q.end)]}")
                for q in v.quotes if (q.article, q.start, q.end) in quote_ids
            ),
        )
        for v in summary.voices
    )
    return ReportView(
        title=summary.title or "Rashomon comparison",
        headline=headline(summary),
        summary=summary,
        articles=articles,
        matrix=matrix_view(comparison, names, keys, placed),
        claims=tuple(groups),
        quotes=quotes,
        framing=framing,
        entities=tuple(entities),
        voices=voices,
        settings=tuple(sorted(comparison.settings.items())),
        low_bar=LOW_CONFIDENCE,
        fact_sources=tuple(fact_sources(summary)),
    )


# --- rendering ------------------------------------------------------------------------------------


def _visible(value: object) -> object:
    """Every printed value on its way to escaping: control characters made visible."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _CONTROL.sub("\ufffd", value)
    return value


@cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the report templates: autoescape on for every template
    (whatever its name), undefined names an error rather than an empty string, control
    characters in data shown as U+FFFD."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("rashomon.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        finalize=_visible,
    )


@dataclass(frozen=True, slots=True)
class PageAssets:
    """The page's only style and script, and the Content-Security-Policy that allows exactly
    them (by sha256) and nothing else: no network, no other script, no plugins, no forms."""

    css: Markup
    js: Markup
    csp: str


def _digest(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def page_assets() -> PageAssets:
    folder = resources.files("rashomon.report").joinpath("templates")
    css = folder.joinpath("report.css").read_text(encoding="utf-8")
    js = folder.joinpath("report.js").read_text(encoding="utf-8")
    csp = (
        "default-src 'none'; "
        f"style-src {_digest(css)}; script-src {_digest(js)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    # Markup: these two files are ours, shipped in the package, never data.
    return PageAssets(css=Markup(css), js=Markup(js), csp=csp)


def render_html(comparison: Comparison) -> str:
    """``rashomon compare --format html``: one self-contained page."""
    return environment().get_template("comparison.html.j2").render(view=report_view(comparison), assets=page_assets())
