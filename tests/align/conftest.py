"""Fixtures for the alignment tests: the packaged embedder, and articles built from text."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import pytest

from rashomon.embed import Embedder, get_embedder
from rashomon.model import Annotation, Article, Mention, Paragraph, Quote, Sentence
from rashomon.nlp.quantities import find_quantities

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")

Make = Callable[..., tuple[Article, Annotation]]


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return get_embedder()


def build(
    article_id: str,
    paragraphs: Sequence[str | tuple[str, str]],
    *,
    published: str | None = None,
    people: Sequence[str] = (),
    quotes: Sequence[tuple[str, str]] = (),
) -> tuple[Article, Annotation]:
    """An article and a hand-made annotation: one sentence per regex split of each paragraph,
    quantities from the annotator's own finder, PERSON mentions for the names in ``people``,
    and a direct quote (speaker, content) for each pair in ``quotes``. A paragraph given as
    ("heading", text) is a crosshead."""
    text = ""
    paras: list[Paragraph] = []
    for p in paragraphs:
        kind, body = p if isinstance(p, tuple) else ("body", p)
        if text:
            text += "\n\n"
        paras.append(Paragraph(len(text), len(text) + len(body), kind))
        text += body
    sentences: list[Sentence] = []
    for k, para in enumerate(paras):
        pos = para.start
        for piece in _SENTENCE_END.split(text[para.start : para.end]):
            start = text.index(piece, pos)
            sentences.append(Sentence(f"s{len(sentences) + 1}", start, start + len(piece), k))
            pos = start + len(piece)
    quantities = []
    for para in paras:
        quantities += find_quantities(text[para.start : para.end], para.start, published)
    mentions = []
    for name in people:
        for m in re.finditer(re.escape(name), text):
            s = next(s for s in sentences if s.start <= m.start() < s.end)
            mentions.append(Mention(m.start(), m.end(), name, "PERSON", s.id))
    quote_list = []
    for speaker, content in quotes:
        start = text.index(content)
        s = next(s for s in sentences if s.start <= start < s.end)
        quote_list.append(Quote("direct", start, start + len(content), speaker=speaker, speaker_entity=speaker, sentence=s.id))
    article = Article(id=article_id, path=article_id, text=text, published=published, paragraphs=tuple(paras))
    annotation = Annotation(
        article=article_id,
        sentences=tuple(sentences),
        mentions=tuple(sorted(mentions, key=lambda m: m.start)),
        quotes=tuple(quote_list),
        quantities=tuple(quantities),
    )
    return article, annotation


@pytest.fixture
def make() -> Make:
    return build
