"""The annotation stage end to end: offsets, sentences, mentions, settings."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.language import Language

from rashomon.errors import ConfigError
from rashomon.model import Annotation, Article, Paragraph
from rashomon.nlp import annotate_many, load_pipeline
from rashomon.nlp.pipeline import MAX_CHUNK_CHARS, article_chunks

Run = Callable[..., tuple[Article, Annotation]]


def test_sentences_mentions_and_offsets(run: Run) -> None:
    text = "Peace talks stalled\nKremlin spokesman Dmitry Peskov spoke in Moscow. He was brief."
    _article, ann = run(text)
    # the headline line is its own paragraph, so it does not merge into the next sentence
    assert [text[s.start : s.end] for s in ann.sentences] == [
        "Peace talks stalled",
        "Kremlin spokesman Dmitry Peskov spoke in Moscow.",
        "He was brief.",
    ]
    assert [s.id for s in ann.sentences] == ["s1", "s2", "s3"]
    assert [s.paragraph for s in ann.sentences] == [0, 1, 1]
    for m in ann.mentions:
        assert text[m.start : m.end] == m.text
    assert ("Dmitry Peskov", "PERSON") in {(m.text, m.label) for m in ann.mentions}
    assert ann.settings["pipeline_version"]


def test_non_breaking_spaces_keep_offsets(run: Run) -> None:
    text = "“We will\u00a0not give up,” Maria\u00a0Lopez said on\u00a0Tuesday."
    _article, ann = run(text)
    (q,) = ann.quotes
    assert text[q.content_start : q.content_end] == "“We will\u00a0not give up,”"
    assert q.speaker == "Maria\u00a0Lopez" or q.speaker == "Maria Lopez"
    assert [x.value for x in ann.quantities] == ["2022-04-05"]


def test_only_paragraphs_are_read(nlp: Language) -> None:
    text = "BOILERPLATE “Ignore me,” the footer said.\n“Read me,” Maria Lopez said."
    start = text.index("“Read")
    article = Article(id="a", path="a", text=text, paragraphs=(Paragraph(start, len(text)),))
    (ann,) = annotate_many([article], nlp)
    assert [text[q.content_start : q.content_end] for q in ann.quotes] == ["“Read me,”"]


def test_annotate_many_keeps_order_and_empty_articles(nlp: Language) -> None:
    empty = Article(id="empty", path="empty", text="")
    one = Article(
        id="one", path="one", text="Maria Lopez said it rained.", paragraphs=(Paragraph(0, 27),)
    )
    anns = list(annotate_many([empty, one, empty], nlp))
    assert [a.article for a in anns] == ["empty", "one", "empty"]
    assert anns[0].quotes == () and len(anns[1].quotes) == 1


def test_long_paragraphs_are_chunked_on_word_boundaries() -> None:
    text = ("word " * 5000).strip()
    article = Article(id="a", path="a", text=text, paragraphs=(Paragraph(0, len(text)),))
    pieces = article_chunks(article)
    assert len(pieces) > 1
    assert all(len(p) <= MAX_CHUNK_CHARS for p, _ in pieces)
    for piece, (_para, offset) in pieces:
        assert text[offset : offset + len(piece)] == piece


def test_unknown_pipeline_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="cannot load the spaCy pipeline"):
        load_pipeline("no_such_pipeline_xyz")


def test_pipeline_runs_only_needed_components(nlp: Language) -> None:
    assert "parser" in nlp.pipe_names and "ner" in nlp.pipe_names
    assert "lemmatizer" not in nlp.pipe_names


def test_a_closing_guillemet_ends_its_sentence(run: Run) -> None:
    # The small model's parser alone starts a sentence at "»" after the final stop.
    text = "The organiser said: «We will not succeed.»"
    _article, ann = run(text)
    sentences = [text[s.start : s.end] for s in ann.sentences]
    assert "»" not in sentences
    assert sentences == [text], sentences
