"""URLs as inputs (`rashomon ingest URL`): fetched through rashomon.fetch, refused with a
reason when the policy says no, read with the reader the Content-Type names.

Needs the readers patch (URLs in ``expand`` and ``read_file``). The network is replaced by
an httpx.MockTransport and a dict resolver, injected by wrapping ``rashomon.fetch.fetch``.
"""

from __future__ import annotations

import functools

import httpx
import pytest

from rashomon import fetch as fetching
from rashomon.errors import InputError
from rashomon.ingest import read_articles
from rashomon.ingest.readers import RawDocument, expand, read_file

BODY = "The council said on Tuesday that the dam above Port Alver had failed after days of heavy rain."
HTML = f"""<!doctype html><html><head><meta charset="utf-8"><title>Dam bursts</title></head>
<body><article><h1>Dam bursts</h1><p>{BODY}</p><p>Rescue teams worked through the night, officials said.</p></article></body></html>"""
FEED = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Alver</title>
<item><title>Dam bursts</title><link>https://news.example/dam</link><description>{BODY}</description></item></channel></rss>"""

ROUTES = {
    "/page": (200, "text/html; charset=utf-8", HTML.encode()),
    "/feed": (200, "application/rss+xml", FEED.encode()),
    "/data": (200, "application/json", ('{"title": "Dam", "text": "' + BODY + '"}').encode()),
    "/untyped": (200, "", HTML.encode()),
    "/inside": (302, "", b""),
}


def handler(request: httpx.Request) -> httpx.Response:
    status, ctype, body = ROUTES.get(request.url.path, (404, "text/plain", b"not found"))
    headers = {"content-type": ctype} if ctype else {}
    if status == 302:
        headers["location"] = "http://10.0.0.7/admin"
    return httpx.Response(status, headers=headers, content=body)


@pytest.fixture(autouse=True)
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    real = fetching.fetch
    dns = {"news.example": ["93.184.216.34"]}
    monkeypatch.setattr(
        fetching,
        "fetch",
        functools.partial(real, transport=httpx.MockTransport(handler), resolver=lambda host, port: dns[host]),
    )


def test_expand_passes_urls_through() -> None:
    assert list(expand(["https://news.example/page", "file:///etc/passwd"])) == [
        "https://news.example/page",
        "file:///etc/passwd",
    ]


def test_html_page_is_read_with_the_url_as_id() -> None:
    [doc] = list(read_file("https://news.example/page"))
    assert isinstance(doc, RawDocument)
    assert doc.id == "https://news.example/page" and BODY in doc.text and doc.title == "Dam bursts"


def test_feed_url_yields_its_entries() -> None:
    [doc] = list(read_file("https://news.example/feed"))
    assert isinstance(doc, RawDocument) and doc.id == "https://news.example/feed#1" and doc.text == BODY


def test_json_url_is_read_as_json() -> None:
    [doc] = list(read_file("https://news.example/data"))
    assert isinstance(doc, RawDocument) and doc.text == BODY


def test_untyped_body_is_sniffed() -> None:
    [doc] = list(read_file("https://news.example/untyped"))
    assert isinstance(doc, RawDocument) and BODY in doc.text


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "file://"),
        ("http://127.0.0.1/", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("https://news.example/inside", "10.0.0.7"),
        ("https://news.example/missing", "404"),
    ],
)
def test_refused_urls_cost_themselves_not_the_batch(url: str, reason: str) -> None:
    items = list(read_articles([url, "https://news.example/page"]))
    assert isinstance(items[0], InputError) and reason in items[0].reason and items[0].path == url
    assert not isinstance(items[1], InputError) and items[1].id == "https://news.example/page"
