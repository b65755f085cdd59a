"""The HTML report: self-contained, every finding linked both ways, untrusted text inert."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re

import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.html import HtmlElement

from rashomon.model import Comparison
from rashomon.report.html import Mark, anchor, environment, page_assets, render_html, segments


def parse(page: str) -> HtmlElement:
    return lxml.html.document_fromstring(page)


def ids(doc: HtmlElement) -> set[str]:
    return {el.get("id") for el in doc.iter() if isinstance(el.tag, str) and el.get("id")}


def assert_inert(doc: HtmlElement) -> None:
    """Nothing runs or loads but the page's own script and style."""
    scripts = doc.xpath("//*[local-name()='script']")
    assert len(scripts) == 1 and scripts[0].text == str(page_assets().js)
    assert len(doc.xpath("//*[local-name()='style']")) == 1
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        assert el.tag not in {"img", "iframe", "object", "embed", "textarea", "link", "base", "form", "meta"} or (
            el.tag == "meta" and el.getparent().tag == "head"
        ), el.tag
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), (el.tag, name)
            assert name.lower() not in {"src", "srcdoc", "action", "formaction", "style"}, (el.tag, name)
            if name in {"href", "xlink:href"}:
                assert re.fullmatch(r"#[A-Za-z0-9_.-]+", value), value


# --- self-contained and pinned --------------------------------------------------------------


def test_page_is_self_contained_with_a_strict_csp(story: Comparison) -> None:
    page = render_html(story)
    doc = parse(page)
    assert_inert(doc)
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert "default-src 'none'" in csp and "base-uri 'none'" in csp and "unsafe-inline" not in csp

    def digest(text: str) -> str:
        return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()

    assert f"script-src '{digest(doc.xpath('//script')[0].text)}'" in csp
    assert f"style-src '{digest(doc.xpath('//style')[0].text)}'" in csp
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "") and "https://" not in page


def test_autoescape_is_on_for_every_template() -> None:
    env = environment()
    assert env.autoescape is True
    assert str(env.from_string("{{ x }}").render(x="<b>")) == "&lt;b&gt;"


def test_rendering_is_deterministic(story: Comparison) -> None:
    assert render_html(story) == render_html(story)


# --- side by side, text intact ----------------------------------------------------------------


def test_articles_stand_side_by_side_with_their_text_intact(story: Comparison) -> None:
    doc = parse(render_html(story))
    columns = doc.xpath("//div[@class='columns']/article")
    assert [c.get("id") for c in columns] == ["a1", "a2", "a3"]
    for column, article in zip(columns, story.articles, strict=True):
        for badge in column.xpath(".//a[@class='cl']"):
            badge.drop_tree()
        paras = column.xpath(".//p[contains(@class, 'para')]")
        assert [p.text_content() for p in paras] == article.paragraph_texts()
        title = column.xpath(".//h3[@class='title']")[0].text_content()
        assert title == article.title


def test_sentences_carry_ids_and_claim_status(story: Comparison) -> None:
    doc = parse(render_html(story))
    first = doc.get_element_by_id("a1-s1")
    assert "st-conflict" in first.get("class")
    assert first.text_content().startswith("MARREN (Reuters)")
    assert "st-unique" in doc.get_element_by_id("a3-s3").get("class")
    shared = doc.get_element_by_id("a2-s2").get("class").split()
    assert "st-shared" in shared and "low" in shared  # c2 is a low-confidence alignment


# --- linked both ways -------------------------------------------------------------------------


def test_every_internal_link_has_a_target_and_ids_are_unique(story: Comparison) -> None:
    doc = parse(render_html(story))
    all_ids = [el.get("id") for el in doc.iter() if isinstance(el.tag, str) and el.get("id")]
    assert len(all_ids) == len(set(all_ids))
    hrefs = {el.get("href") for el in doc.iter() if isinstance(el.tag, str) and el.get("href")}
    assert hrefs and all(h[1:] in set(all_ids) for h in hrefs), hrefs - {f"#{i}" for i in all_ids}


@pytest.mark.parametrize(("finding", "span_text", "css"), [
    ("q1", '"We are doing everything we can,"', "hl-quote"),
    ("q3", "rescue teams reached the area within an hour", "low"),
    ("f1", '"chaotic"', "hl-scare_quote"),
    ("f2", "reportedly", "hl-hedge"),
    ("f3", "Kessel reservoir incident", "hl-label"),
    ("f4", "So-called activists", "hl-loaded"),
])
def test_findings_link_to_their_words_and_back(story: Comparison, finding: str, span_text: str, css: str) -> None:
    doc = parse(render_html(story))
    item = doc.get_element_by_id(("quote-" if finding[0] == "q" else "framing-") + finding)
    jump = item.xpath(".//a[@class='jump']")[0].get("href")
    assert jump == f"#span-{finding}"
    target = doc.get_element_by_id(jump[1:])
    assert target.get("data-key") == finding
    pieces = doc.xpath(f"//a[contains(concat(' ', @data-f, ' '), ' {finding} ')]")
    assert span_text in "".join(p.text_content() for p in pieces)
    assert any(css in p.get("class").split() for p in pieces)
    # The words link back to the finding.
    assert any(p.get("href") == "#" + item.get("id") for p in pieces)


def test_claims_link_to_sentences_and_sentences_back(story: Comparison) -> None:
    doc = parse(render_html(story))
    claim = doc.get_element_by_id("claim-c1")
    assert "deaths: 12" in claim.text_content()
    links = [a.get("href") for a in claim.xpath(".//ul//a")]
    assert links == ["#a1-s1", "#a2-s1", "#a3-s1"]
    for href in links:
        sentence = doc.get_element_by_id(href[1:])
        assert sentence.xpath("./a[@class='cl']")[0].get("href") == "#claim-c1"


def test_entity_labels_link_to_each_outlets_mention(story: Comparison) -> None:
    doc = parse(render_html(story))
    row = doc.get_element_by_id("entity-e2")
    assert "differs" in row.get("class")
    forms = row.xpath(".//a")
    assert [a.text_content() for a in forms] == ["Kessel dam", "Kessel dam", "Kessel reservoir"]
    target = doc.get_element_by_id(forms[2].get("href")[1:])
    assert target.text_content() == "Kessel reservoir"
    assert "differs" not in (doc.get_element_by_id("entity-e3").get("class") or "")  # MARREN = Marren


def test_matrix_has_a_row_per_claim_and_a_column_per_article(story: Comparison) -> None:
    doc = parse(render_html(story))
    svg = doc.xpath("//*[local-name()='svg']")[0]
    rows = svg.xpath(".//*[local-name()='g']")
    assert len(rows) == len(story.claims)
    assert [t.text_content().split()[0] for t in svg.xpath(".//*[@class='rowhead']")] == [
        "c1", "c2", "c3", "c4", "c5"]
    assert len(svg.xpath(".//*[@class='colhead']")) == 3
    conflict = rows[0]
    assert len(conflict.xpath(".//*[contains(@class, 'cell conflict')]")) == 3
    unique = rows[4]  # c5: RTV only
    states = [c.get("class") for c in unique.xpath(".//*[contains(@class, 'cell')]")]
    assert states == ["cell absent", "cell absent", "cell stated"]
    assert unique.xpath(".//*[local-name()='a']")[-1].get("href") == "#a3-s3"


def test_low_confidence_findings_are_marked(story: Comparison) -> None:
    doc = parse(render_html(story))
    for element in ("claim-c2", "quote-q3", "framing-f3", "entity-e3"):
        assert doc.get_element_by_id(element).xpath(".//*[@class='lowtag']"), element
    assert not doc.get_element_by_id("claim-c1").xpath(".//*[@class='lowtag']")


# --- untrusted text ---------------------------------------------------------------------------


def test_hostile_text_comes_out_inert(hostile_story: Comparison) -> None:
    page = render_html(hostile_story)
    assert "<script>alert" not in page and "<img" not in page and "</textarea>" not in page
    doc = parse(page)
    assert_inert(doc)
    shown = doc.text_content()
    # Shown as text, neither dropped nor evaluated.
    assert "<script>alert(1)</script>" in shown
    assert "{{ 7*7 }}" in shown and "{% raw %}" in shown
    assert "\x1b" not in page and "\ufffd[2J" in shown
    # In the outlet name, the path, the title, quotes, notes and settings alike.
    for where in ("//p[@class='outlet']", "//p[@class='path']", "//h1", "//span[@class='cnote']",
                  "//table[@class='settings']"):
        assert any("<script>alert(1)</script>" in el.text_content() for el in doc.xpath(where)), where


def test_hostile_ids_cannot_break_out_of_attributes(story: Comparison) -> None:
    evil = 'c1"><svg onload=alert(1)>'
    claims = (dataclasses.replace(story.claims[0], id=evil), *story.claims[1:])
    entities = (dataclasses.replace(story.entities[0], id="e1' onmouseover='alert(1)"), *story.entities[1:])
    doc = parse(render_html(dataclasses.replace(story, claims=claims, entities=entities)))
    assert_inert(doc)
    assert f"#claim-{anchor(evil)}" in {a.get("href") for a in doc.iter("a")}
    assert re.fullmatch(r"x[0-9a-f]{12}", anchor(evil))
    assert anchor("c12") == "c12"


# --- segmentation ---------------------------------------------------------------------------


def mark(start: int, end: int, key: str, rank: int = 5) -> Mark:
    return Mark(start, end, key, f"hl-{key}", f"#{key}", key, rank, f"span-{key}")


@pytest.mark.parametrize(("marks", "expected"), [
    ([], [("abcdefghij", "")]),
    ([mark(2, 5, "q")], [("ab", ""), ("cde", "q"), ("fghij", "")]),
    # A hedge inside a quote: the inner run carries both, and links to the more specific one.
    ([mark(0, 10, "q"), mark(3, 5, "f", 2)], [("abc", "q"), ("de", "f q"), ("fghij", "q")]),
    # Crossing spans.
    ([mark(1, 6, "a"), mark(4, 8, "b")], [("a", ""), ("bcd", "a"), ("ef", "a b"), ("gh", "b"), ("ij", "")]),
    # Empty and out-of-region marks are ignored.
    ([mark(3, 3, "z"), mark(20, 30, "y")], [("abcdefghij", "")]),
])
def test_segments_cut_where_marks_start_and_end(marks: list[Mark], expected: list[tuple[str, str]]) -> None:
    runs = segments("abcdefghij", 0, 10, marks, set())
    assert [(r.text, r.keys) for r in runs] == expected
    targets = [t.id for r in runs for t in r.targets]
    assert len(targets) == len(set(targets))
    nested = [r for r in runs if r.keys == "f q"]
    if nested:
        assert nested[0].href == "#f"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30), st.lists(st.tuples(st.integers(0, 35), st.integers(0, 35)), max_size=6),
       st.integers(0, 30), st.integers(0, 30))
def test_segments_never_lose_or_repeat_text(text: str, spans: list[tuple[int, int]], a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    marks = [mark(s, e, f"k{i}") for i, (s, e) in enumerate(spans)]
    placed: set[str] = set()
    runs = segments(text, start, end, marks, placed)
    assert "".join(r.text for r in runs) == text[start:end]
    assert all(r.text for r in runs)
