"""Malformed text finishes with what can be found; no exception escapes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from rashomon.model import Annotation, Article, Paragraph
from rashomon.nlp import annotate, quote_records

Run = Callable[..., tuple[Article, Annotation]]

MALFORMED = [
    "“He said this and never closed the quote, Maria Lopez said",
    "”Backwards quotes,“ Maria Lopez said.",
    '"""""""""" she said """"',
    "‘ ’ ‘ ’ “ ” “ ” « » „ “",
    "said said said said said said said said",
    "according to according to according to",
    "He said: \n\n\n",
    ":",
    "\u00a0\u00a0\u00a0",
    "\x00\x01 control characters said Maria Lopez \x7f",
    "a" * 20_000,
    ("no sentence end and no quote mark just words " * 400).strip(),
    "“" * 3000,
    "FALLIN: " + "well " * 2000,
]


@pytest.mark.parametrize("text", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_text_returns(run: Run, text: str) -> None:
    article, ann = run(text)
    for rec in quote_records(article, ann):
        assert 0 <= rec["content_start"] < rec["content_end"] <= len(text)


def test_hundred_thousand_character_paragraph(run: Run) -> None:
    text = ("“It goes on,” Maria Lopez said, and on and on without a full stop " * 1600)[:100_000]
    _article, ann = run(text)
    assert ann.sentences
    assert any(q.speaker == "Maria Lopez" for q in ann.quotes)


def test_paragraph_spans_outside_the_text_are_ignored(nlp: Language) -> None:
    article = Article(
        id="a", path="a", text="short", paragraphs=(Paragraph(3, 50), Paragraph(60, 70))
    )
    ann = annotate(article, nlp)
    assert ann.article == "a"


# Texts made of the pieces the rules react to: quote marks, cue words, names.
_PIECES = [*"abc XYZ.,:;'\"“”‘’«»„\n\u00a0-—", "said", " he ", "Peskov", "according to", " told "]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=_TEXT)
def test_never_crashes_on_any_text(run: Run, text: str) -> None:
    _article, ann = run(text)
    for q in ann.quotes:
        assert 0 <= q.content_start <= q.content_end <= len(text)
        assert q.kind in ("direct", "indirect", "mixed")
        assert 0.0 <= q.confidence <= 1.0
        if q.speaker_start is not None and q.speaker_end is not None:
            assert 0 <= q.speaker_start <= q.speaker_end <= len(text)
    for s in ann.sentences:
        assert 0 <= s.start <= s.end <= len(text)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_never_crashes_on_arbitrary_unicode(run: Run, text: str) -> None:
    run(text)
