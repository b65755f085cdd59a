"""What the framing rules read of one article: the spans to scan, the spans in quotation
marks, the attributions, and the speaker of each attribution as a story entity."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rashomon.entities import name_tokens, same_name
from rashomon.model import Annotation, Article, Entity, FramingFinding, Quote

# Opening mark -> closing marks. Straight single quotes are handled apart (apostrophes).
_DOUBLE: dict[str, str] = {"“": "”", "„": "“”", "«": "»", "»": "«", "‹": "›", '"': '"'}
_SINGLE_OPEN = frozenset("‘‚'")
_SINGLE_CLOSE = frozenset("’'‘")
# A single quote opens after a space or an opening bracket or double quote mark.
_OPENS_AFTER = frozenset(' \t\n([{—–-“"«/')
# "… 'hysteria:' Lavrov", "… only option to end war: Zelensky": a headline credits its words.
_HEADLINE_SPEAKER = re.compile(
    r"(?::\s*['’\"”]?|['’\"”]\s*:?)\s+([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,2})\s*$"
)


def quoted_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Closed spans in quotation marks within ``text[start:end]``, marks included.

    Double marks (“ ” " „ « » ‹ ›) nest single ones (‘ ’ '); a single mark opens only
    after a space, a bracket or a double mark and before a non-space, and closes only
    before a non-letter, so that apostrophes ("dockers' camp", "Widow's") are never
    quotes. Unclosed quotes (a quote running on to the next paragraph) are left out.
    One pass, linear in the length of the text.
    """
    spans: list[tuple[int, int]] = []
    double: tuple[int, str] | None = None  # (position, closers)
    single: int | None = None
    for i in range(start, end):
        ch = text[i]
        prev = text[i - 1] if i > start else " "
        nxt = text[i + 1] if i + 1 < end else " "
        if double is not None and ch in double[1]:
            if single is not None and single > double[0]:
                single = None
            spans.append((double[0], i + 1))
            double = None
            continue
        if ch in _DOUBLE and double is None and not nxt.isspace():
            double = (i, _DOUBLE[ch])
            continue
        if ch in _SINGLE_CLOSE and single is not None and not prev.isspace() and not nxt.isalpha():
            spans.append((single, i + 1))
            single = None
            continue
        if ch in _SINGLE_OPEN and single is None and prev in _OPENS_AFTER and not nxt.isspace():
            single = i
    return sorted(spans)


@dataclass(slots=True)
class ArticleView:
    """One article prepared for the framing rules.

    regions: spans scanned for framing words: the title and every sentence, in text order.
    headings: the regions that are headlines (title, crossheads), which credit a speaker
        at their end ("…: Lavrov") rather than with a cue.
    quoted: spans in quotation marks, marks included, in text order.
    direct: content spans of direct quotes (quotes running over several sentences).
    """

    article: Article
    annotation: Annotation
    regions: list[tuple[int, int]] = field(default_factory=list)
    headings: list[tuple[int, int]] = field(default_factory=list)
    quoted: list[tuple[int, int]] = field(default_factory=list)
    direct: list[tuple[int, int]] = field(default_factory=list)
    _quoted_starts: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, article: Article, annotation: Annotation) -> ArticleView:
        view = cls(article, annotation)
        text = article.text
        if article.title_span is not None:
            view.regions.append(article.title_span)
            view.headings.append(article.title_span)
        for sent in annotation.sentences:
            view.regions.append((sent.start, sent.end))
            if (
                0 <= sent.paragraph < len(article.paragraphs)
                and article.paragraphs[sent.paragraph].kind != "body"
            ):
                view.headings.append((sent.start, sent.end))
        quoted: set[tuple[int, int]] = set()
        if article.title_span is not None:
            quoted.update(quoted_spans(text, *article.title_span))
        for p in article.paragraphs:
            quoted.update(quoted_spans(text, p.start, p.end))
        view.quoted = sorted(quoted)
        view._quoted_starts = [s for s, _e in view.quoted]
        view.direct = sorted(
            (q.content_start, q.content_end) for q in annotation.quotes if q.kind == "direct"
        )
        return view

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    def quoted_at(self, start: int, end: int) -> tuple[int, int] | None:
        """The innermost span in quotation marks holding ``[start, end)``, if any."""
        i = bisect.bisect_right(self._quoted_starts, start)
        best: tuple[int, int] | None = None
        for s, e in self.quoted[max(0, i - 8) : i]:
            if s <= start and end <= e and (best is None or e - s < best[1] - best[0]):
                best = (s, e)
        return best

    def in_direct_quote(self, start: int, end: int) -> bool:
        """Inside quotation marks or inside a direct quote: the speaker's words, not the outlet's."""
        return self.quoted_at(start, end) is not None or any(
            s <= start and end <= e for s, e in self.direct
        )

    def sentence_attribution(self, start: int, end: int) -> Quote | None:
        """The attribution whose cue stands in the same sentence as ``[start, end)`` (the
        nearest cue), for content that the extractor cut short ("accused the West" of a
        sentence that goes on "... by fuelling "hysteria"")."""
        sent = next((s for s in self.annotation.sentences if s.start <= start < s.end), None)
        if sent is None:
            return None
        cues = [
            q
            for q in self.annotation.quotes
            if q.cue_start is not None and sent.start <= q.cue_start < sent.end
        ]
        before = [q for q in cues if (q.cue_start or 0) < start]
        if before:
            return max(before, key=lambda q: q.cue_start or 0)
        return min(cues, key=lambda q: q.cue_start or 0) if cues else None

    def attribution_at(self, start: int, end: int) -> Quote | None:
        """The attribution whose content holds ``[start, end)`` (the narrowest), if any."""
        best: Quote | None = None
        for q in self.annotation.quotes:
            if (
                q.content_start <= start
                and end <= q.content_end
                and (
                    best is None
                    or q.content_end - q.content_start < best.content_end - best.content_start
                )
            ):
                best = q
        return best

    def heading_at(self, start: int) -> tuple[int, int] | None:
        for s, e in self.headings:
            if s <= start < e:
                return (s, e)
        return None

    def heading_speaker(self, start: int) -> str | None:
        """The speaker a headline credits at its end ("… 'hysteria:' Lavrov"), if any."""
        span = self.heading_at(start)
        if span is None:
            return None
        m = _HEADLINE_SPEAKER.search(self.text[span[0] : span[1]])
        return m.group(1) if m else None

    def finding(
        self,
        kind: str,
        start: int,
        end: int,
        note: str | None,
        *,
        entity: str | None = None,
        claim: str | None = None,
        confidence: float = 1.0,
    ) -> FramingFinding:
        return FramingFinding(
            kind,
            self.id,
            start,
            end,
            self.text[start:end],
            note,
            entity,
            claim,
            round(confidence, 2),
        )


def _head_word(name: str) -> str:
    """The head of a name: the word before "of" ("Ministry of Interior"), else the last."""
    words = name.lower().split()
    return words[words.index("of") - 1] if "of" in words[1:] else words[-1]


def views(articles: Sequence[Article], annotations: Sequence[Annotation]) -> list[ArticleView]:
    """Views in article-id order, so that results do not depend on the order of the input."""
    pairs = sorted(zip(articles, annotations, strict=True), key=lambda p: p[0].id)
    return [ArticleView.of(a, n) for a, n in pairs]


def speaker_entity(view: ArticleView, quote: Quote, entities: Sequence[Entity]) -> Entity | None:
    """The story entity a quote's speaker is: the entity with a mention inside the speaker's
    span in this article, else one whose name or labels in this article match the resolved
    speaker's name (a pronoun or a continuation resolved by the annotator)."""
    if quote.speaker_start is not None and quote.speaker_end is not None:
        s0, s1 = quote.speaker_start, quote.speaker_end
        tail = view.text[s0:s1].rstrip(" ,’'s")
        inside = [
            (m, e)
            for e in entities
            for m in e.mentions
            if m.article == view.id and s0 <= m.start and m.end <= s1
        ]
        # The name that heads the source phrase: the one it ends with ("Kremlin spokesman
        # Dmitry Peskov"), else the first of a coordination ("Kyiv and the West"); a
        # modifier ("top Russian official") is no speaker.
        for m, e in inside:
            if m.start == s0 and e.type != "NORP" and re.match(r"\s+and\b", view.text[m.end : s1]):
                return e
        for m, e in inside:
            if m.end >= s0 + len(tail):
                return e
    name = quote.speaker_entity or quote.speaker
    if not name or not name_tokens(name):
        return None
    for e in entities:
        forms = e.labels().get(view.id, [])
        if any(name_tokens(f) == name_tokens(name) for f in forms):
            return e
    for e in entities:
        forms = e.labels().get(view.id, [])
        if e.type == "PERSON" and any(same_name(f, name) for f in forms):
            return e
    # "the ministry said" after "the Interior Ministry": a common noun that is the last
    # word of exactly one organisation named in this article.
    words = name.split()
    if 1 <= len(words) <= 2 and name.islower():
        owners = {
            e.id: e
            for e in entities
            if e.type == "ORG"
            and any(_head_word(f) == words[-1] for f in e.labels().get(view.id, []))
        }
        if len(owners) == 1:
            return next(iter(owners.values()))
    return None
