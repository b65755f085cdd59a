"""Shared fixtures for the annotation-stage tests: one spaCy pipeline per session."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from spacy.language import Language

from rashomon.model import Annotation, Article, Paragraph
from rashomon.nlp import annotate, load_pipeline


def make_article(
    text: str, published: str | None = "2022-04-06", path: str = "test.txt"
) -> Article:
    """An Article with one paragraph per non-blank line (what ingest gives for plain text)."""
    paragraphs = tuple(
        Paragraph(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()
    )
    return Article(id=path, path=path, text=text, paragraphs=paragraphs, published=published)


@pytest.fixture(scope="session")
def nlp() -> Language:
    """The default pipeline, loaded once for the whole test session."""
    return load_pipeline()


@pytest.fixture(scope="session")
def run(nlp: Language) -> Callable[..., tuple[Article, Annotation]]:
    """Annotate a text: run("...") -> (article, annotation)."""

    def _run(text: str, published: str | None = "2022-04-06") -> tuple[Article, Annotation]:
        article = make_article(text, published)
        return article, annotate(article, nlp)

    return _run


@pytest.fixture()
def sieve_off() -> Iterator[None]:
    """The rules' proposals without the attribution model's sieve (restored after)."""
    from rashomon.nlp import cues

    saved = dict(cues._MODELS)
    cues._MODELS[cues.ATTRIBUTION_MODEL_FILE] = None
    try:
        yield
    finally:
        cues._MODELS.clear()
        cues._MODELS.update(saved)
