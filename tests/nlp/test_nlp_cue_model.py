"""The learned cue detector (rashomon/data/cue_model.json) and the rules it feeds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from spacy.language import Language

from rashomon.model import Annotation, Article
from rashomon.nlp import quote_records
from rashomon.nlp.cues import (
    ATTRIBUTION_MODEL_FILE,
    CUE_FORMS,
    SPEAKER_MODEL_FILE,
    CueModel,
    attribution_features,
    cue_model,
    packaged_model,
    verb_features,
)

Run = Callable[..., tuple[Article, Annotation]]


def records(run: Run, text: str) -> list[dict[str, Any]]:
    article, annotation = run(text)
    return quote_records(article, annotation)


def source_text(text: str, record: dict[str, Any]) -> str | None:
    if record["speaker_start"] is None:
        return None
    return text[record["speaker_start"] : record["speaker_end"]]


def test_packaged_model_loads_and_holds_no_text() -> None:
    model = cue_model()
    assert model is not None
    assert len(model.weights) > 1000
    assert model.listed <= model.threshold <= model.sourceless
    # Feature names are short (words, tags, labels), never sentences of the corpus.
    assert max(len(name) for name in model.weights) < 80


def test_thresholds_of_a_hand_made_model() -> None:
    model = CueModel({"w=hinted": 2.0, "dep=ROOT": 0.5}, bias=-1.0, threshold=0.0, listed=-2.0)
    assert model.score(["w=hinted", "dep=ROOT"]) == 1.5
    assert model.accepts(["w=hinted"])
    assert not model.accepts(["w=slept"])
    assert model.sourceless == 99.0  # never, unless the file says so


def test_features_are_a_fixed_list(nlp: Language) -> None:
    doc = nlp("The mayor hinted that the tax would rise.")
    verb = doc[2]
    inside = bytearray(len(doc.text) + 1)
    first = verb_features(verb, inside)
    assert first == verb_features(verb, inside)
    assert "w=hinted" in first and "lex=-" in first and "c=ccomp" in first


def test_a_verb_no_list_holds(run: Run) -> None:
    assert "hinted" not in CUE_FORMS  # the lexicon alone never found this one
    text = "The mayor hinted that the tax would rise."
    [rec] = records(run, text)
    assert rec["cue"] == "hinted"
    assert source_text(text, rec) == "The mayor"
    assert rec["content"] == "that the tax would rise"


def test_subject_through_by_saying(run: Run) -> None:
    text = "Paula Brandt ended the dispute by saying that she would back the new budget."
    [rec] = records(run, text)
    assert rec["cue"] == "saying"
    assert source_text(text, rec) == "Paula Brandt"
    assert rec["content"] == "that she would back the new budget"


def test_participle_cue_ends_the_first_content(run: Run) -> None:
    text = "Tom Reyes said he would stay in the race, insisting that the early polls were wrong."
    recs = records(run, text)
    assert [r["cue"] for r in recs] == ["said", "insisting"]
    assert recs[0]["content"] == "he would stay in the race"
    assert recs[1]["content"] == "that the early polls were wrong"
    assert recs[1]["speaker"] == "Tom Reyes"


# --- The attribution and speaker models (eval/train_speakers.py) -------------------


@pytest.mark.parametrize("name", [ATTRIBUTION_MODEL_FILE, SPEAKER_MODEL_FILE])
def test_packaged_judges_load_and_hold_no_text(name: str) -> None:
    model = packaged_model(name)
    assert model is not None
    assert len(model.weights) > 500
    assert max(len(feature) for feature in model.weights) < 80


def test_attribution_features_are_a_fixed_list(nlp: Language) -> None:
    doc = nlp("The mayor hinted that the tax would rise.")
    args = (doc[2], "clause", doc[1], 2, "other", "indirect", 5, 1, 0.7)
    first = attribution_features(*args)
    assert first == attribution_features(*args)
    assert {"rule=clause", "w=hinted", "src=other", "kind=indirect", "cs=0", "sside=L"} <= set(
        first
    )
    assert "slen=2" in first and "clen=8" in first  # lengths in buckets


def test_confidence_is_the_speaker_models_probability(run: Run) -> None:
    text = "“We will not give up,” Maria Lopez said. Some said the plan might work."
    _, annotation = run(text)
    by_speaker = {q.speaker: q.confidence for q in annotation.quotes}
    assert by_speaker and all(0.0 < c < 1.0 for c in by_speaker.values())
    # a named person closing a quotation is surer than a vague "some"
    assert by_speaker["Maria Lopez"] > by_speaker.get("Some", 0.0)


@pytest.fixture()
def strict_sieve(swap_model: Callable[..., AbstractContextManager[None]]) -> Iterator[None]:
    """An attribution model that rejects every proposal."""
    with swap_model(ATTRIBUTION_MODEL_FILE, CueModel({}, bias=-5.0, threshold=0.0)):
        yield


def test_the_sieve_drops_reported_speech_but_never_a_quotation(
    run: Run, strict_sieve: None
) -> None:
    text = "“We will not give up,” Maria Lopez said. The mayor hinted that the tax would rise."
    recs = records(run, text)
    assert [source_text(text, r) for r in recs] == ["Maria Lopez"]
