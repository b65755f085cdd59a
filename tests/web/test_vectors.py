"""Hostile text stays text: every XSS vector, placed in a title, an outlet name, an article id
and an article body, comes out inert in every page and every API answer.

The vectors are bleach's (``../shared/robustness/bleach/vectors``, Apache-2.0, read where they
are, not copied; each file holds the input, a ``--`` line and bleach's output, of which only the
input is used) plus our own below, so the check never disappears where ../shared is absent.

"Inert" is checked on the parsed page, not on strings: every element is one our templates
write, no attribute is an event handler or a style, every link and source stays on this
server, the only script is ours, there are no comments; and the vector's text is there,
as text (so it was escaped, not dropped). API answers hold no ``<`` or ``>`` byte at all,
and decode to the vector exactly.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from htmlq import select
from lxml import etree
from lxml import html as lxml_html
from web_fixtures import fill_store, make_article

from rashomon.model import Outlet
from rashomon.web import create_app
from rashomon.web.views import article_url, outlet_url

BLEACH = Path(__file__).resolve().parents[2].parent / "shared" / "robustness" / "bleach" / "vectors"

OWN = [
    '<script>alert(1)</script>',
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(2)>",
    '<a href="javascript:alert(3)">x</a>',
    '<iframe srcdoc="<script>alert(4)</script>"></iframe>',
    '</textarea></title></style><base href="//evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(5)">',
    '<!-- comment --><![CDATA[x]]>{{ 7*7 }}{% raw %}${7*7}',
    '<math><mi xlink:href="javascript:alert(6)">m</mi></math>',
    '<div style="background:url(javascript:alert(7))">\u202eevil</div>',
]


def bleach_vectors() -> list[str]:
    return [p.read_text(encoding="utf-8").split("\n--\n", 1)[0].rstrip("\n")
            for p in sorted(BLEACH.glob("*.test"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0)]


# Every tag and attribute our templates write (the web app's and the report's, read from
# the template files, so a template that gains one keeps this test right); anything else
# in a page came from the data.
TEMPLATES = [Path(__file__).resolve().parents[2] / "src" / "rashomon" / sub / "templates" for sub in ("web", "report")]


def template_markup() -> tuple[set[str], set[str]]:
    tags: set[str] = set()
    attrs = {"defer", "selected"}  # boolean attributes, written without a value
    seen: set[str] = set()
    for folder in TEMPLATES:  # the web app's first: a report template of the same name is shadowed
        for path in folder.glob("*.j2"):
            if path.name in seen:
                continue
            seen.add(path.name)
            source = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
            tags |= {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", source)}
            attrs |= {a.lower() for a in re.findall(r"\s([a-zA-Z][\w:-]*)=[\"']", source)}
    return tags, attrs


TAGS, ATTRS = template_markup()
URL_ATTRS = {"href", "src", "action"}
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


def assert_inert_html(text: str, expected: Sequence[str] = ()) -> lxml_html.HtmlElement:
    doc = lxml_html.document_fromstring(text)
    for el in doc.iter():
        assert isinstance(el.tag, str), f"a comment or processing instruction in the page: {etree.tostring(el)!r}"
        tag = el.tag.lower()
        assert tag in TAGS, f"element <{tag}> from the data"
        for name, value in el.attrib.items():
            name = name.lower()
            assert name in ATTRS and not name.startswith("on"), f"attribute {name}={value!r} on <{tag}>"
            if name in URL_ATTRS:
                assert value.startswith(("/", "#")) and not value.startswith("//"), f"{name}={value!r}"
        if tag == "script":
            assert el.get("src") == "/static/report.js" and not (el.text or "").strip()
        if tag == "link":
            assert el.get("href") in ("/static/report.css", "/static/web.css", "/static/favicon.svg")
        if tag == "meta":
            assert el.get("http-equiv") is None
    content = doc.text_content()
    assert not BIDI.search(content), "a bidi override reached the page"
    for vector in expected:
        # Bidi overrides are shown as U+FFFD (or dropped, in display names); the rest as is.
        assert BIDI.sub("", vector) in content.replace("\ufffd", ""), f"{vector!r} is not shown as text"
    return doc


def assert_inert_json(body: bytes) -> Any:
    assert b"<" not in body and b">" not in body
    return json.loads(body)


VECTORS = bleach_vectors() + OWN


def hostile_articles() -> list[Any]:
    out = []
    for i, v in enumerate(VECTORS, 1):
        out.append(make_article(
            f"hostile/{i}/{v}", Outlet(f"{v} News {i}", country="XA", ownership="private"),
            f"Kessel dam breach {v} floods the valley", "2031-03-04",
            [
                f"The Kessel dam burst on Tuesday, flooding the valley below the reservoir {v} and "
                "killing 14 people, the Interior Ministry said.",
                f"\"The dam was safe {v},\" Interior Minister Ana Rell said.",
                f"Rescuers searched the villages of Orsk and Telen for survivors {v}.",
            ],
        ))
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    db = fill_store(tmp_path_factory.mktemp("hostile") / "hostile.db", hostile_articles())
    with TestClient(create_app(db), base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.fixture(scope="module")
def stories(hostile: TestClient) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    url: str | None = "/api/stories?limit=200"
    while url:
        body = assert_inert_json(hostile.get(url).content)
        items += body["items"]
        url = body["next"]
    return items


def test_the_shared_vectors_are_there() -> None:
    if not BLEACH.is_dir():
        pytest.skip(f"{BLEACH} is absent (../shared not checked out); the test's own vectors still run")
    assert len(bleach_vectors()) >= 20


def test_every_stored_article_is_listed(stories: list[dict[str, Any]]) -> None:
    ids = sorted(a["id"] for s in stories for a in s["articles"])
    assert ids == sorted(f"hostile/{i}/{v}" for i, v in enumerate(VECTORS, 1))
    titles = {a["title"] for s in stories for a in s["articles"]}
    assert titles == {f"Kessel dam breach {v} floods the valley" for v in VECTORS}


def test_stories_and_outlets_lists_are_inert(hostile: TestClient) -> None:
    outlets = [f"{v} News {i}" for i, v in enumerate(VECTORS, 1)]
    assert_inert_html(hostile.get("/").text, outlets)
    doc = assert_inert_html(hostile.get("/outlets").text, outlets)
    assert len(select(doc, "table.outlets tbody tr")) == len(VECTORS)
    for name in outlets[:3]:
        r = hostile.get("/", params={"outlet": name})
        assert r.status_code == 200
        assert_inert_html(r.text, [name])


def test_story_pages_are_inert(hostile: TestClient, stories: list[dict[str, Any]]) -> None:
    for story in stories:
        r = hostile.get(f"/stories/{story['id']}")
        assert r.status_code == 200
        shown = [a["title"] for a in story["articles"]] + [a["outlet"]["name"] for a in story["articles"]]
        doc = assert_inert_html(r.text, shown)
        assert len(select(doc, ".columns > article.col")) == len(story["articles"])
        body = assert_inert_json(hostile.get(f"/api/stories/{story['id']}").content)
        assert {a["title"] for a in body["comparison"]["articles"]} == {a["title"] for a in story["articles"]}


def test_article_pages_are_inert(hostile: TestClient) -> None:
    for i, v in enumerate(VECTORS, 1):
        aid = f"hostile/{i}/{v}"
        r = hostile.get(article_url(aid))
        assert r.status_code == 200, aid
        assert_inert_html(r.text, [f"Kessel dam breach {v} floods the valley", f"{v} News {i}",
                                   f"survivors {v}.", f"\"The dam was safe {v},\""])
        body = assert_inert_json(hostile.get("/api/article", params={"id": aid}).content)
        assert body["article"]["id"] == aid and body["article"]["outlet"]["name"] == f"{v} News {i}"
        assert any(v in s["text"] for s in body["article"]["sentences"])


def test_outlet_pages_are_inert(hostile: TestClient, stories: list[dict[str, Any]]) -> None:
    for story in stories:
        hostile.get(f"/stories/{story['id']}")  # compared, so the outlet pages show quotes too
    for i, v in enumerate(VECTORS, 1):
        name = f"{v} News {i}"
        r = hostile.get(outlet_url(name))
        assert r.status_code == 200, name
        assert_inert_html(r.text, [name])
        body = assert_inert_json(hostile.get("/api/outlet", params={"name": name}).content)
        assert body["outlet"]["name"] == name and body["compared"] == 1


def test_search_is_inert(hostile: TestClient) -> None:
    doc = assert_inert_html(hostile.get("/search", params={"q": "Kessel", "limit": 200}).text)
    assert len(select(doc, "li.hit")) == len(VECTORS)
    for v in VECTORS:
        r = hostile.get("/search", params={"q": v})
        assert r.status_code == 200
        doc = assert_inert_html(r.text)
        shown = BIDI.sub("\ufffd", v)
        assert select(doc, "input[name=q]")[0].get("value") == shown
        assert shown in select(doc, "h1")[0].text_content()
        body = assert_inert_json(hostile.get("/api/search", params={"q": v}).content)
        assert body["query"] == v


def test_error_pages_are_inert(hostile: TestClient) -> None:
    for v in VECTORS:
        for url in (f"/article?id={quote(v)}", f"/outlet?name={quote(v)}", f"/stories/{quote(v, safe='')}",
                    f"/?since={quote(v)}"):
            r = hostile.get(url)
            assert r.status_code in (400, 404), url
            assert_inert_html(r.text)
        for url in (f"/api/article?id={quote(v)}", f"/api/outlet?name={quote(v)}", f"/api/stories?since={quote(v)}"):
            r = hostile.get(url)
            assert r.status_code in (400, 404)
            assert_inert_json(r.content)


def test_the_allowlists_are_read_from_the_templates() -> None:
    assert {"html", "script", "a", "span", "svg", "circle", "article", "select"} <= TAGS
    assert {"img", "iframe", "style", "object", "xss", "imgsrc", "wbr", "base", "math"}.isdisjoint(TAGS)
    assert {"href", "class", "data-f", "viewbox", "transform"} <= ATTRS
    assert not any(a.startswith("on") for a in ATTRS) and "style" not in ATTRS and "srcdoc" not in ATTRS


def test_the_checker_catches_markup() -> None:
    # The check itself must fail on what it is meant to catch.
    page = "<html><body>{}</body></html>"
    for bad in ('<img src=x onerror=alert(1)>', '<a href="javascript:alert(1)">x</a>', "<script>alert(1)</script>",
                "<!-- x -->", '<p style="x">y</p>', '<a href="//evil.example/">x</a>', "<xss>x</xss>"):
        with pytest.raises(AssertionError):
            assert_inert_html(page.format(bad))
    with pytest.raises(AssertionError):
        assert_inert_html(page.format("&lt;b&gt;"), ["<i>"])
    with pytest.raises(AssertionError):
        assert_inert_json(b'{"a": "<b>"}')
