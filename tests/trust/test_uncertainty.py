"""Uncertainty shown, not hidden: alignment, speaker, entity and clustering decisions carry
a confidence derived from the decision, and every report marks a finding below the bar
(``report.low_confidence`` in the settings) as such."""

from __future__ import annotations

import json
import re

import pytest
from lxml import html as lxml_html
from trust_helpers import StoryOf

from rashomon.report import render
from rashomon.report.json import LOW_CONFIDENCE, comparison_record


def test_confidences_come_from_the_decisions(story_of: StoryOf) -> None:
    c = story_of("examples").comparison
    for name, values in (
        ("claims", [x.confidence for x in c.claims]),
        ("quotes", [q.confidence for n in c.annotations for q in n.quotes]),
        ("entities", [e.confidence for e in c.entities]),
    ):
        assert all(0.0 <= v <= 1.0 for v in values), name
        assert len(set(values)) > 1, f"{name}: every confidence is {values[0]}: not derived from anything"
    # alignment: many distinct calibrated scores, on both sides of the bar
    claims = [x.confidence for x in c.claims]
    assert len(set(claims)) >= 10 and min(claims) < LOW_CONFIDENCE < max(claims)


def test_story_confidence_is_the_weakest_merge(story_of: StoryOf) -> None:
    from rashomon.stories import cluster_articles

    articles = story_of("examples").articles
    stories = cluster_articles(articles)
    merged = [s for s in stories if len(s.articles) > 1]
    assert merged and all(0.0 < s.confidence < 1.0 for s in merged)


def test_the_bar_is_recorded_with_the_result(story_of: StoryOf) -> None:
    record = comparison_record(story_of("examples").comparison)
    assert float(record["settings"]["report.low_confidence"]) == LOW_CONFIDENCE


@pytest.mark.parametrize("section", ["claims", "quotes", "framing", "entities"])
def test_json_flags_exactly_the_low_findings(story_of: StoryOf, section: str) -> None:
    items = comparison_record(story_of("examples").comparison)[section]
    assert items
    assert all(x["low_confidence"] is (x["confidence"] < LOW_CONFIDENCE) for x in items)


def _low_ids(story_of: StoryOf) -> dict[str, list[str]]:
    record = comparison_record(story_of("examples").comparison)
    return {s: [x["id"] for x in record[s] if x["low_confidence"]] for s in ("claims", "quotes", "framing")}


def test_html_badges_every_low_finding_as_uncertain(story_of: StoryOf) -> None:
    low = _low_ids(story_of)
    assert all(low.values()), low  # the examples hold low findings of every kind
    doc = lxml_html.fromstring(render(story_of("examples").comparison, "html"))
    prefix = {"claims": "claim-", "quotes": "quote-", "framing": "framing-"}
    for section, ids in low.items():
        for fid in ids:
            badge = doc.get_element_by_id(prefix[section] + fid).xpath(".//*[@class='lowtag']")
            assert badge, fid
            assert badge[0].text_content() == "uncertain" and "confidence" in badge[0].get("title"), fid
    record = comparison_record(story_of("examples").comparison)
    sure = next(q["id"] for q in record["quotes"] if not q["low_confidence"])
    assert not doc.get_element_by_id("quote-" + sure).xpath(".//*[@class='lowtag']")


def test_markdown_marks_every_low_quote_and_finding(story_of: StoryOf) -> None:
    out = render(story_of("examples").comparison, "md")
    low = _low_ids(story_of)
    for fid in low["quotes"] + low["framing"]:
        assert re.search(rf"^\| {fid}\? \|", out, re.M), fid
    record = comparison_record(story_of("examples").comparison)
    sure = next(q["id"] for q in record["quotes"] if not q["low_confidence"])
    assert re.search(rf"^\| {sure} \|", out, re.M)


def test_terminal_counts_and_explains_the_marks(story_of: StoryOf) -> None:
    c = story_of("examples").comparison
    record = comparison_record(c)
    n = sum(x["low_confidence"] for s in ("claims", "quotes", "framing", "entities") for x in record[s])
    out = render(c, "text")
    assert f"{n} finding(s) scored below confidence {LOW_CONFIDENCE}" in " ".join(out.split())


def test_a_finding_that_drops_below_the_bar_gets_its_mark(story_of: StoryOf) -> None:
    import dataclasses

    c = story_of("ferry").comparison
    claim = next(x for x in c.claims if x.confidence >= LOW_CONFIDENCE)
    lowered = dataclasses.replace(c, claims=tuple(
        dataclasses.replace(x, confidence=0.3) if x is claim else x for x in c.claims))
    record = json.loads(render(lowered, "json"))
    assert next(x for x in record["claims"] if x["id"] == claim.id)["low_confidence"] is True
    doc = lxml_html.fromstring(render(lowered, "html"))
    assert doc.get_element_by_id("claim-" + claim.id).xpath(".//*[@class='lowtag']")
