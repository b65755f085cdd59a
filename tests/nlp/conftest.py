"""Shared fixtures for the annotation-stage tests: one spaCy pipeline per session."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from spacy.language import Language

from rashomon.model import Annotation, Article, Paragraph
from rashomon.nlp import annotate, cues, load_pipeline
from rashomon.nlp.cues import CueModel


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


@contextmanager
def swapped_model(name: str, model: CueModel | None) -> Iterator[None]:
    """One packaged model of rashomon/data replaced (None: as if missing), restored after."""
    saved = dict(cues._MODELS)
    cues._MODELS[name] = model
    try:
        yield
    finally:
        cues._MODELS.clear()
        cues._MODELS.update(saved)


@pytest.fixture()
def swap_model() -> Callable[[str, CueModel | None], AbstractContextManager[None]]:
    """swapped_model, for test modules (conftest is no importable module here)."""
    return swapped_model


@pytest.fixture()
def sieve_off() -> Iterator[None]:
    """The rules' proposals without the attribution model's sieve."""
    with swapped_model(cues.ATTRIBUTION_MODEL_FILE, None):
        yield
