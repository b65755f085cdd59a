"""Neutrality of outlet facts: Rashomon rates no outlet. Country and ownership come from
the outlet registry, shown with the registry's source; what the registry does not say
stays unknown (null in JSON, "?" in the reports), never guessed."""

from __future__ import annotations

import json

import pytest
from lxml import html as lxml_html
from trust_helpers import StoryOf

from rashomon.report import render

OUTLET_FIELDS = {"name", "country", "ownership", "via"}


def _outlets(story_of: StoryOf, name: str) -> dict[str, dict[str, object]]:
    record = json.loads(render(story_of(name).comparison, "json"))
    return {a["id"]: {**a["outlet"], "source": a["outlet_source"]} for a in record["articles"]}


def test_unknown_facts_stay_null_in_json(story_of: StoryOf) -> None:
    outlets = _outlets(story_of, "ferry")
    assert outlets["ferry/harbour-post.txt"] == {"name": "Harbour Post", "country": "XA", "ownership": "private",
                                                 "via": "metadata", "source": "fictional, trust tests"}
    # the registry knows the outlet but not its country or ownership, nor a source
    assert outlets["ferry/valdora-daily.txt"] == {"name": "Valdora Daily", "country": None, "ownership": None,
                                                  "via": "metadata", "source": None}
    # no outlet identified: nothing about it is known
    assert outlets["ferry/unknown-blog.txt"] == {"name": None, "country": None, "ownership": None, "via": None,
                                                 "source": None}


@pytest.mark.parametrize("name", ["examples", "ferry"])
def test_no_rating_is_invented(story_of: StoryOf, name: str) -> None:
    record = json.loads(render(story_of(name).comparison, "json"))
    for article in record["articles"]:
        assert set(article["outlet"]) == OUTLET_FIELDS
    keys: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            keys.update(value)
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(record)
    # no field rates an outlet, at any depth
    assert not {k for k in keys for word in ("bias", "reliab", "rating", "credib", "trust", "lean") if word in k.lower()}


def test_every_registry_fact_is_shown_with_its_source(story_of: StoryOf) -> None:
    c = story_of("examples").comparison
    assert all(a.outlet and a.outlet.source for a in c.articles)
    source = "fictional, Rashomon examples"
    for fmt in ("text", "md"):
        out = " ".join(render(c, fmt).split())
        assert f"country and ownership from the outlet registry ({source})" in out, fmt
        for name in ("Alver Independent", "RTV Valdora", "VBC News"):
            assert name in out
    doc = lxml_html.fromstring(render(c, "html"))
    assert source in doc.xpath("string(//*[@class='facts-source'])")
    metas = doc.xpath("//p[@class='meta']")
    assert len(metas) == len(c.articles) and all(source in m.get("title", "") for m in metas)


def test_unknown_facts_read_as_unknown_in_every_report(story_of: StoryOf) -> None:
    c = story_of("ferry").comparison
    text = render(c, "text")
    row = next(line for line in text.splitlines() if line.strip().startswith("Valdora Daily"))
    assert row.split()[2:4] == ["?", "?"]
    flat = " ".join(text.split())
    assert "Valdora Daily: the outlet registry names no source" in flat
    assert "unknown-blog.txt: outlet not identified; country and ownership unknown" in flat
    md = render(c, "md")
    assert any(line.startswith("| Valdora Daily | ? | ? |") for line in md.splitlines())
    doc = lxml_html.fromstring(render(c, "html"))
    rows = {r.xpath("string(td[1])"): [r.xpath(f"string(td[{k}])") for k in (2, 3)]
            for r in doc.xpath("//table[@class='outlets']/tbody/tr")}
    assert rows["Valdora Daily"] == ["?", "?"]
    assert "country ?" in doc.xpath("string(//article[@aria-label='Valdora Daily']//p[@class='meta'])")
