"""Provenance: every span a finding rests on holds the text recorded beside it, on every
packaged example, on the seeds (where ../shared is present) and on a story written here;
and the check itself catches a shifted or mislabelled span."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from trust_helpers import StoryOf

from rashomon.model import Comparison
from rashomon.provenance import Span, check_spans, spans
from rashomon.report.json import comparison_record


@pytest.mark.parametrize("name", ["examples", "ferry", "seeds"])
def test_every_span_holds_its_text(story_of: StoryOf, name: str) -> None:
    c = story_of(name).comparison
    record = comparison_record(c)
    found = list(spans(c, record))
    problems = check_spans(c, record)
    assert problems == [], "\n".join(map(str, problems[:20]))
    # every kind of finding took part (a walk that skips a kind would pass vacuously)
    kinds = {s.where.split()[0] if not s.where.startswith("record") else "record " + s.where.split()[1] for s in found}
    assert {"sentence", "mention", "quote", "entity", "claim", "framing", "voice"} <= kinds, kinds
    assert {"record sentence", "record quote", "record claim", "record framing", "record voice"} <= kinds, kinds


def test_every_example_article_is_covered(story_of: StoryOf) -> None:
    c = story_of("examples").comparison
    record = comparison_record(c)
    covered = {s.article for s in spans(c, record) if s.where.startswith("record sentence")}
    assert covered == {a.id for a in c.articles}
    assert len(covered) == 7  # the seven bundled articles (one XML file holds two)


def test_a_conflict_carries_the_spans_of_its_differing_values(story_of: StoryOf) -> None:
    c = story_of("ferry").comparison
    conflicts = [cl for cl in c.claims if cl.status == "conflict"]
    assert conflicts, [(cl.status, cl.note) for cl in c.claims]
    texts = {a.id: a.text for a in c.articles}
    values = {(v.article, v.kind, texts[v.article][v.start : v.end]) for cl in conflicts for v in cl.values}
    assert ("ferry/harbour-post.txt", "number", "At least 14") in values or ("ferry/harbour-post.txt", "number", "14") in values, values
    assert any(a == "ferry/valdora-daily.txt" and kind == "number" for a, kind, _ in values), values
    record = comparison_record(c)
    listed = [v for cl in record["claims"] if cl["status"] == "conflict" for v in cl["values"]]
    assert listed and all(texts[v["article"]][v["start"] : v["end"]] == v["text"] for v in listed)


def test_voices_point_at_the_quotes_they_count(story_of: StoryOf) -> None:
    record = comparison_record(story_of("examples").comparison)
    quote_ids = {q["id"]: q for q in record["quotes"]}
    for v in record["voices"]:
        assert v["quotes"], v["speaker"]
        kinds = v["direct"] + v["indirect"] + v["mixed"]
        assert len(v["quotes"]) <= kinds
        for q in v["quotes"]:
            assert q["id"] in quote_ids and quote_ids[q["id"]]["content"] == q["text"]
            assert q["article"] in v["articles"]


def _tamper_framing(c: Comparison) -> Comparison:
    f = c.framing[0]
    return dataclasses.replace(c, framing=(dataclasses.replace(f, start=f.start + 1), *c.framing[1:]))


def _tamper_claim(c: Comparison) -> Comparison:
    claim = c.claims[0]
    s = claim.sentences[0]
    moved = dataclasses.replace(claim, sentences=(dataclasses.replace(s, end=s.end - 1), *claim.sentences[1:]))
    return dataclasses.replace(c, claims=(moved, *c.claims[1:]))


def _tamper_entity(c: Comparison) -> Comparison:
    e = c.entities[0]
    m = e.mentions[0]
    wrong = dataclasses.replace(e, mentions=(dataclasses.replace(m, text=m.text + "x"), *e.mentions[1:]))
    return dataclasses.replace(c, entities=(wrong, *c.entities[1:]))


def _tamper_outside(c: Comparison) -> Comparison:
    a = c.annotations[0]
    s = a.sentences[-1]
    far = dataclasses.replace(s, end=len(c.articles[0].text) + 5)
    return dataclasses.replace(c, annotations=(dataclasses.replace(a, sentences=(*a.sentences[:-1], far)), *c.annotations[1:]))


@pytest.mark.parametrize(
    ("tamper", "where"),
    [
        (_tamper_framing, "framing"),
        (_tamper_claim, "claim"),
        (_tamper_entity, "entity"),
        (_tamper_outside, "sentence"),
    ],
)
def test_a_wrong_span_in_the_result_is_caught(story_of: StoryOf, tamper: Any, where: str) -> None:
    problems = check_spans(tamper(story_of("ferry").comparison))
    assert problems and any(p.span.where.startswith(where) for p in problems), problems


@pytest.mark.parametrize(
    ("section", "field", "shift"),
    [("quotes", "start", 1), ("framing", "end", -1), ("claims", None, 1), ("voices", None, 1)],
)
def test_a_wrong_span_in_the_json_record_is_caught(story_of: StoryOf, section: str, field: str | None, shift: int) -> None:
    c = story_of("examples").comparison
    record = json.loads(json.dumps(comparison_record(c)))
    item = record[section][0]
    if section == "claims":
        item["sentences"][0]["start"] += shift
    elif section == "voices":
        item["quotes"][0]["end"] += shift
    else:
        assert field is not None
        item[field] += shift
    problems = check_spans(c, record)
    assert problems and all(p.span.where.startswith("record") for p in problems), problems


def test_a_problem_says_what_the_text_holds() -> None:
    from rashomon.provenance import check_span

    problem = check_span(Span("framing hedge", "a.txt", 4, 12, "alleged"), {"a.txt": "the allegedly"})
    assert problem is not None and problem.found == "allegedl" and "records 'alleged'" in str(problem)
    assert check_span(Span("x", "a.txt", 4, 11, "alleged"), {"a.txt": "the alleged one"}) is None
    assert check_span(Span("x", "a.txt", 4, 40), {"a.txt": "the alleged one"}) is not None
    assert check_span(Span("x", "b.txt", 0, 0), {"a.txt": ""}) is not None


def test_the_html_report_jumps_to_every_span_a_conflict_or_voice_rests_on(story_of: StoryOf) -> None:
    from lxml import html as lxml_html

    from rashomon.report import render

    c = story_of("ferry").comparison
    doc = lxml_html.fromstring(render(c, "html"))
    texts = {a.id: a.text for a in c.articles}
    conflict = next(cl for cl in c.claims if cl.status == "conflict" and cl.values)
    links = doc.get_element_by_id(f"claim-{conflict.id}").xpath(".//span[@class='cvals']/a/@href")
    assert len(links) == len(conflict.values)
    for href, value in zip(links, conflict.values, strict=True):
        seg = doc.get_element_by_id(href[1:]).text_content()
        words = texts[value.article][value.start : value.end]
        # the target opens where the value's words begin (another highlight may cut it short)
        assert seg and (seg.startswith(words) or words.startswith(seg)), (seg, words)
    voice_links = doc.xpath("//table[@class='voices']//span[@class='vq']/a/@href")
    assert voice_links
    for href in voice_links:
        assert doc.get_element_by_id(href[1:]).get("class").startswith("quote")
    md = render(c, "md")
    assert "differing: “" in md
