"""Every HTML page, in-process (FastAPI's test client over the store of conftest.py)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from htmlq import select
from lxml import html as lxml_html

from rashomon.web.views import article_url, outlet_url


def page(client: TestClient, url: str, status: int = 200) -> lxml_html.HtmlElement:
    r = client.get(url)
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("text/html")
    return lxml_html.fromstring(r.text)


def texts(doc: lxml_html.HtmlElement, css: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in select(doc, css)]


# --- stories -----------------------------------------------------------------------------


def test_stories_page_lists_newest_first_with_coverage(client: TestClient, dam_story: dict[str, Any]) -> None:
    doc = page(client, "/")
    rows = select(doc, "table.stories tr.story")
    assert texts(doc, "a.story-link") == ["Velmark rail workers strike over pay", dam_story["title"]]
    dam = " ".join(rows[1].text_content().split())
    for shown in ("Daily Beacon", "RTV Valdora", "Alver Independent", "XB, XA", "private, state-controlled, nonprofit"):
        assert shown in dam
    cells = [" ".join(td.text_content().split()) for td in select(rows[1], "td")]
    assert cells[0] == "2031-03-04 – 2031-03-05"
    assert cells[2:4] == ["3", "3"]  # articles, independent sources
    assert select(rows[1], "a.story-link")[0].get("href") == f"/stories/{dam_story['id']}"
    assert "2 stories · 4 stored articles" in texts(doc, ".headline")[0]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("since=2031-03-10", ["Velmark rail workers strike over pay"]),
        ("until=2031-03-06", ["Kessel dam breach floods valley, 14 dead"]),
        ("since=2031-03-05&until=2031-03-05", ["Kessel dam breach floods valley, 14 dead"]),
        ("since=2031-04-01", []),
        ("outlet=RTV+Valdora", ["Kessel dam breach floods valley, 14 dead"]),
        ("outlet=Nobody", []),
        ("country=XC", ["Velmark rail workers strike over pay"]),
        ("country=xa", ["Kessel dam breach floods valley, 14 dead"]),
        ("country=XB&since=2031-03-10", []),
        # an empty form field means "any"
        ("since=&until=&outlet=&country=", ["Velmark rail workers strike over pay", "Kessel dam breach floods valley, 14 dead"]),
    ],
)
def test_stories_page_filters(client: TestClient, query: str, expected: list[str]) -> None:
    doc = page(client, "/?" + query)
    assert texts(doc, "a.story-link") == expected
    if not expected:
        assert "No story matches these filters." in doc.text_content()


def test_stories_page_filter_form_offers_the_stores_outlets_and_countries(client: TestClient) -> None:
    doc = page(client, "/?outlet=RTV+Valdora")
    options = [o.get("value") for o in select(doc, "select[name=outlet] option")]
    assert options == ["", "Alver Independent", "Daily Beacon", "RTV Valdora", "Velmark Times"]
    assert select(doc, "select[name=outlet] option[selected]")[0].get("value") == "RTV Valdora"
    assert [o.get("value") for o in select(doc, "select[name=country] option")] == ["", "XA", "XB", "XC"]


def test_stories_page_paginates(client: TestClient) -> None:
    first = page(client, "/?limit=1")
    assert texts(first, "a.story-link") == ["Velmark rail workers strike over pay"]
    nxt = select(first, "a[rel=next]")[0].get("href")
    assert nxt == "/?offset=1&limit=1"
    assert not select(first, "a[rel=prev]")
    second = page(client, nxt)
    assert texts(second, "a.story-link") == ["Kessel dam breach floods valley, 14 dead"]
    assert select(second, "a[rel=prev]")[0].get("href") == "/?offset=0&limit=1"
    assert not select(second, "a[rel=next]")


@pytest.mark.parametrize("query", ["since=yesterday", "until=2031-3-4", "limit=0", "limit=1000", "offset=-1"])
def test_stories_page_refuses_bad_parameters_in_words(client: TestClient, query: str) -> None:
    doc = page(client, "/?" + query, status=400)
    message = select(doc, "h1")[0].text_content()
    assert message.startswith("Bad parameter: ") and query.split("=")[0] in message
    assert "Traceback" not in doc.text_content()


# --- a story -------------------------------------------------------------------------------


def test_story_page_compares_side_by_side(client: TestClient, dam_story: dict[str, Any]) -> None:
    doc = page(client, f"/stories/{dam_story['id']}")
    assert texts(doc, "h1") == ["Kessel dam breach floods valley, 14 dead"]
    columns = select(doc, ".columns > article.col")
    # the comparison's order (by article id)
    assert [texts(c, ".outlet")[0] for c in columns] == ["Alver Independent", "Daily Beacon", "RTV Valdora"]
    assert "Mira Doss" in columns[0].text_content() and "Mira Doss" not in columns[1].text_content()
    # shared / unique / conflicting facts, with the conflict's note
    headings = texts(doc, "#claims h3")
    assert [h.split(" (")[0] for h in headings] == ["Conflicting facts", "Shared facts", "Facts only one outlet states"]
    assert any("numbers differ" in n for n in texts(doc, "#claims .cnote"))
    # voices, labels and framing, the facts x outlets matrix, the timeline
    assert "Ana Rell" in texts(doc, "table.voices")[0]
    assert select(doc, "#entities table.entities")
    framing = [t[: t.index("”") + 1] for t in texts(doc, "#framing li.framing")]  # then the lexicon's note
    assert framing == ["f1 loaded, Alver Independent: “regime”", "f2 hedge, RTV Valdora: “so-called”"]
    assert len(select(doc, "svg.matrix g.row")) == 10
    assert len(select(doc, "svg.matrix circle.stated, svg.matrix rect.conflict")) >= 12
    timeline = select(doc, "svg.timeline")[0]
    assert [t.text_content() for t in select(timeline, "text.ticklabel")] == ["2031-03-04", "2031-03-05"]
    assert len(select(timeline, "circle.pub")) == 3
    # links: outlets to their pages, articles to theirs
    table = select(doc, "#outlets table.outlets")[0]
    assert outlet_url("RTV Valdora") in [a.get("href") for a in select(table, "a")]
    assert article_url("dam/rtv-valdora.txt") in [a.get("href") for a in select(table, "a.article-link")]
    assert "3 articles from 3 outlets, 3 independent sources" in texts(doc, ".headline")[0]


def test_story_page_unknown_story_is_404(client: TestClient) -> None:
    doc = page(client, "/stories/st-000000000000", status=404)
    assert texts(doc, "h1") == ["No such story in this store."]


# --- an article ----------------------------------------------------------------------------


def test_article_page_highlights_and_links_into_the_story(client: TestClient, dam_story: dict[str, Any]) -> None:
    doc = page(client, article_url("dam/alver-independent.txt"))
    assert texts(doc, "h1") == ["Dozens feared dead after Kessel dam bursts"]
    story = f"/stories/{dam_story['id']}"
    assert select(doc, "a.story-link")[0].get("href") == story
    column = select(doc, ".columns.single > article.col")[0]
    assert "They are hiding the dead" in column.text_content()
    # the conflicting sentence is marked, and its badge leads to the claim on the story page
    assert select(column, ".sent.st-conflict")
    links = [a.get("href") for a in select(column, "a")]
    assert f"{story}#claim-c1" in links
    assert any(h.startswith(f"{story}#quote-") for h in links)
    assert not any(h.startswith("#") for h in links)  # nothing points into this page's void
    assert texts(doc, "ul.others a") == ["Kessel dam breach floods valley, 14 dead",
                                         "Kessel reservoir: authorities act swiftly after dam breach"]
    assert select(doc, "p.brand a")[0].get("href") == outlet_url("Alver Independent")


@pytest.mark.parametrize("url", ["/article?id=dam/nowhere.txt", "/article?id=" + quote("<script>x</script>")])
def test_article_page_unknown_article_is_404(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404 and "<script>x" not in r.text


def test_article_page_needs_an_id(client: TestClient) -> None:
    assert client.get("/article").status_code == 400


# --- outlets -------------------------------------------------------------------------------


def test_outlets_page_lists_every_outlet_with_counts(client: TestClient) -> None:
    doc = page(client, "/outlets")
    rows = [[" ".join(td.text_content().split()) for td in select(tr, "td")] for tr in select(doc, "table.outlets tbody tr")]
    assert ["RTV Valdora", "XA", "state-controlled", "1", "1"] in rows
    assert ["Velmark Times", "XC", "private", "1", "1"] in rows
    assert len(rows) == 4


def test_outlet_page_covers_quotes_and_names(client: TestClient, dam_story: dict[str, Any]) -> None:
    client.get(f"/stories/{dam_story['id']}")  # compared (and cached) by now
    doc = page(client, outlet_url("RTV Valdora"))
    assert texts(doc, "h1") == ["RTV Valdora"]
    assert texts(doc, "p.brand") == ["Outlet · XA · state-controlled"]
    assert texts(doc, "#covers a")[0] == dam_story["title"]
    assert "Daily Beacon" in texts(doc, "#covers td")[3]  # the other outlets of the story
    voices = {tuple(r) for r in ([" ".join(td.text_content().split()) for td in select(tr, "td")]
                                 for tr in select(doc, "#voices tbody tr"))}
    assert ("Ana Rell", "2", "1") in voices and ("Interior Ministry", "1", "1") in voices
    framing = [[" ".join(td.text_content().split()) for td in tr.xpath("td")] for tr in select(doc, "#labels tbody tr")]
    assert framing == [["hedge", "so-called", "1"]]
    alver = page(client, outlet_url("Alver Independent"))
    assert [[td.text_content() for td in tr.xpath("td")] for tr in select(alver, "#labels tbody tr")] == [["loaded", "regime", "1"]]
    assert "compared so far" not in doc.text_content()  # its one story is compared


def test_outlet_page_unknown_outlet_is_404(client: TestClient) -> None:
    assert client.get(outlet_url("Nobody News")).status_code == 404


# --- search --------------------------------------------------------------------------------


def test_search_finds_articles_and_their_stories(client: TestClient, dam_story: dict[str, Any]) -> None:
    doc = page(client, "/search?q=Kessel+cracks")
    hits = select(doc, "li.hit")
    assert sorted(texts(doc, "a.hit-link")) == ["Dozens feared dead after Kessel dam bursts",
                                                "Kessel dam breach floods valley, 14 dead"]
    assert all(select(h, ".note a")[0].get("href") == f"/stories/{dam_story['id']}" for h in hits)
    assert all("cracks" in s.lower() for s in texts(doc, "p.snippet"))
    assert select(doc, "input[name=q]")[0].get("value") == "Kessel cracks"


@pytest.mark.parametrize("q", ['"Kessel', "Kessel AND (dam", "NEAR(dam wall)", "title:Kessel", "dam*", "'; DROP TABLE articles; --"])
def test_search_takes_query_syntax_as_words(client: TestClient, q: str) -> None:
    r = client.get("/search", params={"q": q})
    assert r.status_code == 200
    assert client.get("/api/search", params={"q": q}).status_code == 200
    assert len(select(page(client, "/"), "tr.story")) == 2  # nothing dropped


def test_search_paginates(client: TestClient) -> None:
    first = page(client, "/search?q=Kessel&limit=2")
    assert len(select(first, "li.hit")) == 2
    second = page(client, select(first, "a[rel=next]")[0].get("href"))
    assert len(select(second, "li.hit")) == 1
    seen = texts(first, "a.hit-link") + texts(second, "a.hit-link")
    assert len(set(seen)) == 3


def test_search_without_words_explains(client: TestClient) -> None:
    doc = page(client, "/search")
    assert not select(doc, "li.hit")
    assert "Every word must occur" in doc.text_content()


# --- the rest ------------------------------------------------------------------------------


def test_api_page_documents_every_endpoint(client: TestClient) -> None:
    doc = page(client, "/api")
    paths = [re.sub(r"^GET ", "", t) for t in texts(doc, "section.endpoint h2")]
    assert paths == ["/api/stories", "/api/stories/{story_id}", "/api/article", "/api/outlets", "/api/outlet", "/api/search"]
    assert "offset" in doc.text_content() and select(doc, "a[href='/api/openapi.json']")


@pytest.mark.parametrize(("name", "kind", "needle"), [
    ("report.css", "text/css", ".columns{"), ("report.js", "text/javascript", "hashchange"),
    ("web.css", "text/css", "nav.site"), ("favicon.svg", "image/svg+xml", "<svg"),
])
def test_static_assets_are_served_locally(client: TestClient, name: str, kind: str, needle: str) -> None:
    r = client.get(f"/static/{name}")
    assert r.status_code == 200 and r.headers["content-type"].startswith(kind) and needle in r.text


@pytest.mark.parametrize("url", ["/static/html.py", "/static/..%2F..%2Fweb%2Fapp.py", "/static/base.html.j2", "/static/"])
def test_static_serves_nothing_else(client: TestClient, url: str) -> None:
    assert client.get(url).status_code == 404


def test_pages_load_nothing_from_elsewhere(client: TestClient, dam_story: dict[str, Any]) -> None:
    for url in ("/", f"/stories/{dam_story['id']}", article_url("dam/rtv-valdora.txt"), "/outlets",
                outlet_url("Daily Beacon"), "/search?q=dam", "/api"):
        doc = page(client, url)
        refs = [e.get(a) for a in ("src", "href", "action") for e in doc.iter() if isinstance(e.tag, str) and e.get(a)]
        assert refs and all(r.startswith(("/", "#")) for r in refs), url
        assert [s.get("src") for s in select(doc, "script")] == ["/static/report.js"]


def test_head_is_answered_without_a_body(client: TestClient) -> None:
    r = client.head("/")
    assert r.status_code == 200 and r.content == b"" and int(r.headers["content-length"]) > 1000
