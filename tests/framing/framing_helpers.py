"""Helpers for the framing tests: articles and annotations written by hand, so that the
rules are tested without the statistical model."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from rashomon.model import Annotation, Article, FramingFinding, Mention, Paragraph, Quote, Sentence

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
_SENTENCE_END = re.compile(r"(?<=[.!?])[”\"»’']?\s+(?=[A-Z“\"«‘'])")


def make_article(aid: str, text: str, title: str | None = None) -> Article:
    """An article whose paragraphs are its lines (a title line first when given)."""
    body_start = 0
    title_span = None
    if title is not None:
        text = f"{title}\n{text}"
        title_span = (0, len(title))
        body_start = len(title) + 1
    paragraphs = []
    pos = body_start
    for line in text[body_start:].split("\n"):
        if line.strip():
            paragraphs.append(Paragraph(pos, pos + len(line)))
        pos += len(line) + 1
    return Article(id=aid, path=aid, text=text, title=title, title_span=title_span, paragraphs=tuple(paragraphs))


def sentences_of(article: Article) -> list[Sentence]:
    out: list[Sentence] = []
    for i, p in enumerate(article.paragraphs):
        start = p.start
        for m in _SENTENCE_END.finditer(article.text, p.start, p.end):
            out.append(Sentence(f"s{len(out) + 1}", start, m.start() + len(m.group().rstrip()), i))
            start = m.end()
        out.append(Sentence(f"s{len(out) + 1}", start, p.end, i))
    return out


def span(article: Article, surface: str, nth: int = 0) -> tuple[int, int]:
    """The span of the nth occurrence of ``surface`` in the article's text."""
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(surface, start + 1)
    return start, start + len(surface)


def mention(article: Article, surface: str, label: str, nth: int = 0) -> Mention:
    s, e = span(article, surface, nth)
    return Mention(s, e, surface, label, "s1")


def quote(
    article: Article,
    content: str,
    kind: str,
    speaker: str | None = None,
    cue: str | None = None,
    source: str | None = None,
) -> Quote:
    """An attribution: ``source`` is the speaker's words in the text (default: ``speaker``)."""
    cs, ce = span(article, content)
    ss = se = cue_s = cue_e = None
    if speaker is not None and (source or speaker) in article.text:
        ss, se = span(article, source or speaker)
    if cue is not None:
        cue_s, cue_e = span(article, cue)
    return Quote(kind, cs, ce, speaker, ss, se, speaker, cue, cue_s, cue_e, None, 0.9)


def annotate_by_hand(article: Article, mentions: Sequence[tuple[str, str]] = (), quotes: Sequence[Quote] = ()) -> Annotation:
    """An annotation with regex sentences, the given (surface, label) mentions (every
    occurrence) and the given quotes."""
    sents = sentences_of(article)
    found: list[Mention] = []
    for surface, label in mentions:
        for m in re.finditer(re.escape(surface), article.text):
            sid = next((s.id for s in sents if s.start <= m.start() < s.end), "s1")
            found.append(Mention(m.start(), m.end(), surface, label, sid))
    found.sort(key=lambda m: m.start)
    return Annotation(article.id, tuple(sents), tuple(found), tuple(quotes))


def assert_spans(articles: Sequence[Article], findings: Sequence[FramingFinding]) -> None:
    texts = {a.id: a.text for a in articles}
    for f in findings:
        assert texts[f.article][f.start : f.end] == f.text, f
