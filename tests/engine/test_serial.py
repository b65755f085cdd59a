"""Annotation <-> JSON: exact round trips, refused payloads, and keys that change with
what produced the annotation."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.model import Annotation, Article, Mention, Paragraph, Quantity, Quote, Sentence
from rashomon.nlp import annotate_many, load_pipeline
from rashomon.nlp.serial import (
    FORMAT_VERSION,
    PayloadError,
    annotation_key,
    from_json,
    pipeline_info,
    to_json,
)

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

# Any text, lone surrogates and NUL included: article text may hold both.
texts = st.text(st.characters(codec=None, exclude_categories=()), max_size=20)
ints = st.integers(min_value=-(2**53), max_value=2**53)
maybe_text = st.none() | texts
maybe_int = st.none() | ints

sentences = st.builds(Sentence, texts, ints, ints, ints)
mentions = st.builds(Mention, ints, ints, texts, texts, texts)
quotes = st.builds(
    Quote, texts, ints, ints, maybe_text, maybe_int, maybe_int, maybe_text, maybe_text,
    maybe_int, maybe_int, maybe_text, st.floats(allow_nan=False, allow_infinity=False),
)
quantities = st.builds(Quantity, ints, ints, texts, texts, texts, maybe_text)
annotations = st.builds(
    Annotation,
    texts,
    st.lists(sentences, max_size=4).map(tuple),
    st.lists(mentions, max_size=4).map(tuple),
    st.lists(quotes, max_size=4).map(tuple),
    st.lists(quantities, max_size=4).map(tuple),
    st.dictionaries(texts, texts, max_size=4),
)


@settings(max_examples=300, deadline=None)
@given(annotations)
def test_any_annotation_round_trips_exactly(annotation: Annotation) -> None:
    payload = to_json(annotation)
    assert payload.isascii()  # storable in any backend, NULs and surrogates escaped
    back = from_json(payload)
    assert back == annotation
    # Equal is not enough where 1 == 1.0 and True == 1: the types must survive too.
    for name in ("sentences", "mentions", "quotes", "quantities"):
        for mine, theirs in zip(getattr(back, name), getattr(annotation, name), strict=True):
            assert [type(v) for v in vars_of(mine)] == [type(v) for v in vars_of(theirs)]


def vars_of(record: object) -> list[object]:
    return [getattr(record, f) for f in record.__slots__]  # type: ignore[attr-defined]


def corpus_articles(limit: int) -> list[Article]:
    from rashomon.ingest import read_articles

    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".txt", ".html"))[:limit]
    if not files:
        pytest.skip("no shared corpus")
    return [a for a in read_articles([str(f) for f in files]) if isinstance(a, Article)]


def test_real_annotations_round_trip() -> None:
    nlp = load_pipeline()
    articles = corpus_articles(12)
    found = 0
    for annotation in annotate_many(articles, nlp):
        assert from_json(to_json(annotation)) == annotation
        found += len(annotation.quotes) + len(annotation.mentions)
    assert found > 0  # the examples are not empty annotations


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object"),
        (json.dumps({"v": FORMAT_VERSION + 1}), "format version"),
        (json.dumps({"article": "a"}), "format version"),
        (json.dumps({"v": FORMAT_VERSION, "article": "a", "settings": {}}), "lacks its sentences"),
        (
            json.dumps({"v": FORMAT_VERSION, "article": "a", "settings": {}, "sentences": [["s1", 0]],
                        "mentions": [], "quotes": [], "quantities": []}),
            "malformed sentences",
        ),
        (json.dumps({"v": FORMAT_VERSION, "article": 3, "settings": {}}), "article id"),
    ],
)
def test_bad_payloads_are_refused(payload: str, problem: str) -> None:
    with pytest.raises(PayloadError, match=re.escape(problem)):
        from_json(payload)


def test_key_changes_with_what_the_annotation_depends_on() -> None:
    article = Article(
        id="a.txt", path="a.txt", text="Hello world.\nSecond line.", content_hash="abc",
        paragraphs=(Paragraph(0, 12), Paragraph(13, 25)), published="2022-01-01",
    )
    info = {"pipeline": "en_core_web_sm", "pipeline_version": "3.8.0", "components": "parser"}
    key = annotation_key(article, info)
    assert key == annotation_key(article, dict(info))  # stable
    assert re.fullmatch(r"[0-9a-f]{40}-[0-9a-f]{16}", key)
    changed = [
        replace(article, text="Hello world!\nSecond line."),
        replace(article, paragraphs=(Paragraph(0, 25),)),
        replace(article, published="2022-01-02"),
        replace(article, id="b.txt"),
        replace(article, content_hash="abd"),
    ]
    keys = {annotation_key(a, info) for a in changed}
    assert key not in keys and len(keys) == len(changed)
    assert annotation_key(article, {**info, "pipeline_version": "3.8.1"}) != key
    # An Annotation's per-article settings do not split the key.
    assert annotation_key(article, {**info, "quote_failures": "2"}) == key
    # The title is not read by the annotator, so it does not change the key.
    assert annotation_key(replace(article, title="T"), info) == key


def test_key_from_a_pipeline_equals_key_from_its_info() -> None:
    nlp = load_pipeline()
    article = Article(id="a", path="a", text="x", content_hash="h")
    info = pipeline_info(nlp)
    assert annotation_key(article, nlp) == annotation_key(article, info)
    assert {"pipeline", "pipeline_version", "spacy"} <= set(info)
