"""``rashomon compare --format json``: the INTERFACE.md contract, spans, and stable bytes."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.model import Annotation, Article, Comparison, Paragraph, Sentence
from rashomon.report import FORMATS, render
from rashomon.report.json import comparison_record, render_json

OPT_STR = (str, type(None))

# Field -> allowed types, exactly as INTERFACE.md writes them.
ARTICLE = {"id": str, "path": str, "title": OPT_STR, "published": OPT_STR, "outlet": dict, "wire": list,
           "removed": list, "sentences": list}
QUOTE = {"article": str, "speaker": OPT_STR, "speaker_entity": OPT_STR, "cue": OPT_STR, "content": str,
         "start": int, "end": int, "kind": str}
ENTITY = {"id": str, "name": str, "type": str, "labels": dict}
CLAIM = {"id": str, "status": str, "sentences": list, "note": OPT_STR}
FRAMING = {"kind": str, "article": str, "start": int, "end": int, "text": str, "note": OPT_STR}


def _has(record: dict[str, Any], fields: dict[str, Any]) -> None:
    for name, types in fields.items():
        assert name in record, name
        assert isinstance(record[name], types), (name, record[name])


def test_fields_and_types_follow_interface(story: Comparison) -> None:
    record = json.loads(render_json(story))
    assert {"articles", "quotes", "entities", "claims", "framing", "settings"} <= set(record)
    for a in record["articles"]:
        _has(a, ARTICLE)
        assert set(a["outlet"]) >= {"name", "country", "ownership"}
        assert all(isinstance(w, str) for w in a["wire"])
        for s in a["sentences"]:
            _has(s, {"id": str, "start": int, "end": int, "text": str})
    for q in record["quotes"]:
        _has(q, QUOTE)
        assert q["kind"] in {"direct", "indirect", "mixed"}
    for e in record["entities"]:
        _has(e, ENTITY)
        assert all(isinstance(v, list) and all(isinstance(f, str) for f in v) for v in e["labels"].values())
    for c in record["claims"]:
        _has(c, CLAIM)
        assert c["status"] in {"shared", "unique", "conflict"}
        for s in c["sentences"]:
            _has(s, {"article": str, "sentence": str})
    for f in record["framing"]:
        _has(f, FRAMING)
    assert record["articles"][0]["outlet"] == {"name": "Esterby Gazette", "country": "EB", "ownership": "private",
                                               "via": "user"}
    assert record["articles"][0]["wire"] == ["Reuters"]


def test_every_sentence_stays_in_exactly_one_claim(story: Comparison) -> None:
    record = comparison_record(story)
    placed = [(s["article"], s["sentence"]) for c in record["claims"] for s in c["sentences"]]
    every = [(a["id"], s["id"]) for a in record["articles"] for s in a["sentences"]]
    assert sorted(placed) == sorted(every)
    assert len(set(placed)) == len(placed)


def test_spans_round_trip_to_the_original_text(story: Comparison) -> None:
    record = comparison_record(story)
    texts = {a.id: a.text for a in story.articles}
    sentences = {(a["id"], s["id"]): s for a in record["articles"] for s in a["sentences"]}
    for (aid, _), s in sentences.items():
        assert texts[aid][s["start"] : s["end"]] == s["text"]
    for q in record["quotes"]:
        text = texts[q["article"]]
        assert text[q["start"] : q["end"]] == q["content"]
        assert text[q["cue_start"] : q["cue_end"]] == q["cue"]
        assert text[q["speaker_start"] : q["speaker_end"]] in q["speaker"]
    for f in record["framing"]:
        assert texts[f["article"]][f["start"] : f["end"]] == f["text"]
    for c in record["claims"]:
        for s in c["sentences"]:
            sent = sentences[(s["article"], s["sentence"])]
            assert (s["start"], s["end"]) == (sent["start"], sent["end"])
    for e in record["entities"]:
        for m in e["mentions"]:
            assert texts[m["article"]][m["start"] : m["end"]] == m["text"]
            assert m["text"] in e["labels"][m["article"]]


def test_labels_keep_each_outlets_forms(story: Comparison) -> None:
    dam = next(e for e in comparison_record(story)["entities"] if e["id"] == "e2")
    assert dam["labels"] == {"gazette.txt": ["Kessel dam"], "beacon.txt": ["Kessel dam"],
                             "rtv.xml#1": ["Kessel reservoir"]}


def test_low_confidence_findings_are_flagged(story: Comparison) -> None:
    record = comparison_record(story)
    flagged = {
        (kind, r.get("id")) for kind in ("quotes", "entities", "claims", "framing") for r in record[kind]
        if r["low_confidence"]
    }
    assert flagged == {("quotes", "q3"), ("entities", "e3"), ("claims", "c2"), ("framing", "f3")}
    assert all(r["confidence"] >= 0.6 for kind in ("quotes", "claims") for r in record[kind] if not r["low_confidence"])


def test_findings_are_ordered_by_article_then_text(story: Comparison) -> None:
    framing = comparison_record(story)["framing"]
    assert [f["id"] for f in framing] == ["f1", "f2", "f3", "f4"]
    assert [(f["article"], f["kind"]) for f in framing] == [
        ("gazette.txt", "scare_quote"), ("gazette.txt", "hedge"), ("rtv.xml#1", "label"), ("rtv.xml#1", "loaded")]


def test_quote_speaker_links_to_the_cross_article_entity(story: Comparison) -> None:
    quotes = comparison_record(story)["quotes"]
    assert [q["entity"] for q in quotes] == ["e1", "e1", "e1"]


def test_settings_are_recorded_sorted(story: Comparison) -> None:
    record = comparison_record(story)
    assert list(record["settings"]) == sorted(story.settings)
    assert record["settings"]["embedding_model"] == "all-MiniLM-L6-v2"


def test_bytes_are_identical_across_runs_and_producer_orders(story: Comparison) -> None:
    first = render_json(story)
    assert render_json(story) == first
    shuffled = dataclasses.replace(
        story,
        framing=tuple(reversed(story.framing)),
        settings=dict(reversed(list(story.settings.items()))),
    )
    assert render_json(shuffled) == first
    assert first.endswith("}\n")


def test_lone_surrogates_still_give_valid_utf8(story: Comparison) -> None:
    odd = dataclasses.replace(story, settings={"note": "broken \ud800 escape"})
    out = render_json(odd)
    out.encode("utf-8")
    assert json.loads(out)["settings"]["note"] == "broken \ud800 escape"


def test_render_dispatches_every_format(story: Comparison) -> None:
    assert set(FORMATS) == {"json", "md", "html", "text"}
    assert json.loads(render(story, "json")) == comparison_record(story)
    assert render(story, "html").startswith("<!DOCTYPE html>")
    assert render(story, "md").startswith("# ")
    assert "Esterby Gazette" in render(story, "text")


def test_unknown_format_names_the_allowed_ones(story: Comparison) -> None:
    from rashomon.errors import ConfigError

    try:
        render(story, "pdf")
    except ConfigError as exc:
        assert "json, md, html, text" in str(exc)
    else:
        raise AssertionError("no error for an unknown format")


def test_partial_annotations_pair_by_article_id(story: Comparison) -> None:
    # One annotation missing: the others must not shift onto the wrong articles.
    partial = dataclasses.replace(story, annotations=story.annotations[1:])
    articles = comparison_record(partial)["articles"]
    assert articles[0]["sentences"] == []
    assert articles[1]["sentences"][2]["text"].startswith("The Daily Beacon")


# --- never crashes, whatever the text and spans ---------------------------------------------

_texts = st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=0, max_size=80)


@st.composite
def comparisons(draw: Callable[..., Any]) -> Comparison:
    articles, notes = [], []
    for n in range(draw(st.integers(1, 3))):
        text = draw(_texts)
        cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
        bounds = list(zip([0, *cuts], [*cuts, len(text)], strict=True))
        sentences = tuple(Sentence(f"s{i}", a, b, 0) for i, (a, b) in enumerate(bounds, 1) if a < b)
        aid = draw(st.sampled_from(["a.txt", f"feed.xml#{n}", "<b>.txt", "x\"y"]))
        articles.append(Article(id=f"{aid}{n}", path=aid, text=text, title=draw(st.none() | _texts),
                                paragraphs=(Paragraph(0, len(text)),) if draw(st.booleans()) else ()))
        notes.append(Annotation(f"{aid}{n}", sentences))
    return Comparison(tuple(articles), tuple(notes))


@settings(max_examples=40, deadline=None)
@given(comparisons())
def test_every_format_renders_any_text(comparison: Comparison) -> None:
    for fmt in FORMATS:
        out = render(comparison, fmt)
        assert isinstance(out, str) and out
    record = json.loads(render(comparison, "json"))
    for article, a in zip(comparison.articles, record["articles"], strict=True):
        for s in a["sentences"]:
            assert article.text[s["start"] : s["end"]] == s["text"]
