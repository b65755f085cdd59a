"""What the server refuses, the headers it always sends, and how it fails."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_fixtures import STRIKE, fill_store

from rashomon.errors import StoreError
from rashomon.web import create_app
from rashomon.web.security import CSP, allowed_hosts, host_name
from rashomon.web.views import environment

STRICT_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def assert_guarded(headers: Any) -> None:
    assert headers["content-security-policy"] == STRICT_CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_the_csp_is_the_strict_one() -> None:
    assert CSP == STRICT_CSP


@pytest.mark.parametrize("url", ["/", "/stories/st-000000000000", "/api/stories", "/api/nothing", "/static/web.css",
                                 "/search?q=dam", "/?limit=0", "/api/openapi.json", "/api"])
def test_every_answer_carries_the_security_headers(client: TestClient, url: str) -> None:
    assert_guarded(client.get(url).headers)


# --- Host header (DNS rebinding) -------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost", "LOCALHOST:1234", "[::1]", "[::1]:8000"])
def test_local_host_names_are_served(client: TestClient, host: str) -> None:
    assert client.get("/api/outlets", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "localhost.evil",
                                  "testserver", "", "[::2]:80", "0.0.0.0:8000"])
def test_other_host_names_are_refused(client: TestClient, host: str) -> None:
    r = client.get("/api/stories", headers={"Host": host})
    assert r.status_code == 400 and "unknown Host header" in r.text
    assert_guarded(r.headers)


def test_a_name_given_at_start_is_served(web_db: str) -> None:
    app = create_app(web_db, hosts=["rashomon.lan", "::1", "0.0.0.0"])
    with TestClient(app, base_url="http://rashomon.lan:8000") as c:
        assert c.get("/api/outlets").status_code == 200
        assert c.get("/api/outlets", headers={"Host": "0.0.0.0:8000"}).status_code == 400


@pytest.mark.parametrize(("value", "name"), [("LocalHost:80", "localhost"), ("[::1]:8000", "[::1]"), ("[::1]", "[::1]"),
                                             ("127.0.0.1", "127.0.0.1"), ("a:b:c", "a:b:c")])
def test_host_name_parses_the_header(value: str, name: str) -> None:
    assert host_name(value) == name


def test_allowed_hosts_bracket_ipv6_and_skip_wildcards() -> None:
    assert allowed_hosts(["::1", "fe80::2", "0.0.0.0", "::", "Box.Local"]) == {
        "127.0.0.1", "localhost", "[::1]", "[fe80::2]", "box.local"}


# --- cross-origin writes (CSRF) and methods ----------------------------------------------------


@pytest.mark.parametrize("headers", [
    {"Origin": "http://evil.example"},
    {"Origin": "null"},
    {"Origin": "http://127.0.0.1:9999"},
    {"Origin": "https://127.0.0.1:8000"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},
])
@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_cross_origin_writes_are_refused(client: TestClient, method: str, headers: dict[str, str]) -> None:
    r = client.request(method, "/search", headers=headers)
    assert r.status_code == 403 and "cross-origin" in r.text
    assert_guarded(r.headers)


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://127.0.0.1:8000"}, {"Sec-Fetch-Site": "same-origin"}])
def test_same_origin_writes_meet_a_read_only_server(client: TestClient, headers: dict[str, str]) -> None:
    r = client.post("/", headers=headers)
    assert r.status_code == 405 and "read-only" in r.text


def test_cross_origin_reads_are_answered(client: TestClient) -> None:
    # GET changes nothing; the Host check stops rebinding, the CSP and nosniff the rest.
    assert client.get("/api/outlets", headers={"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}).status_code == 200


def test_websockets_are_refused(client: TestClient) -> None:
    from starlette.websockets import WebSocketDisconnect

    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/"):
        pass


# --- the store: read-only, time-limited, parameters bound ----------------------------------------


def test_request_time_reads_are_read_only_and_time_limited(web_db: str) -> None:
    app = create_app(web_db, timeout_ms=1234)
    site = app.state.site
    with site.reader() as store:
        assert (store.read_only, store.timeout_ms) == (True, 1234)
        with pytest.raises(StoreError, match="read-only"):
            store.add_article(STRIKE[0])
        with pytest.raises(StoreError, match="read-only"):
            store.put_derived("comparison", "x", "y")


def test_a_store_that_times_out_is_503_without_details(web_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(web_db)

    def slow(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise StoreError(f"{web_db}: cannot search: query took longer than 2000 ms")

    monkeypatch.setattr(type(app.state.site), "search", slow)
    with TestClient(app, base_url="http://localhost") as c:
        for url, kind in (("/search?q=dam", "text/html"), ("/api/search?q=dam", "application/json")):
            r = c.get(url)
            assert r.status_code == 503 and r.headers["content-type"].startswith(kind)
            assert web_db not in r.text and "2000 ms" not in r.text
            assert_guarded(r.headers)


def test_an_unexpected_error_is_a_page_in_words_not_a_traceback(web_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(web_db)

    def broken(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internals at /home/user/.config")

    monkeypatch.setattr(type(app.state.site), "index", broken)
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as c:
        for url in ("/", "/api/stories"):
            r = c.get(url)
            assert r.status_code == 500
            assert "Traceback" not in r.text and "secret internals" not in r.text and 'File "' not in r.text
            assert "went wrong" in r.text
            assert_guarded(r.headers)


def test_a_missing_store_is_refused_by_serve(tmp_path: Path) -> None:
    from rashomon.errors import ConfigError
    from rashomon.web import serve

    with pytest.raises(ConfigError, match="no such store"):
        serve(str(tmp_path / "none.db"), port=1)
    assert not (tmp_path / "none.db").exists()


# --- templates -----------------------------------------------------------------------------------


def test_every_template_autoescapes() -> None:
    env = environment()
    names = env.list_templates()
    assert {"base.html.j2", "story.html.j2", "_story_body.html.j2", "_article.html.j2", "_findings.html.j2"} <= set(names)
    assert env.autoescape is True  # for every template, whatever its name
    assert env.from_string("{{ x }}").render(x="<b onclick=x>") == "&lt;b onclick=x&gt;"


def test_web_templates_never_mark_data_safe() -> None:
    folder = Path(__file__).resolve().parents[2] / "src" / "rashomon" / "web" / "templates"
    for path in folder.glob("*.j2"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup", text), path.name


def test_the_cache_writer_is_a_separate_read_write_store(web_db: str, tmp_path: Path) -> None:
    db = fill_store(tmp_path / "fresh.db", STRIKE)
    app: FastAPI = create_app(db)
    with TestClient(app, base_url="http://localhost") as c:
        assert c.get("/api/stories").status_code == 200
    from rashomon.store import open_store

    with open_store(db, read_only=True) as store:
        assert store.count() == 1  # nothing but the cache was written
        site = app.state.site
        assert store.get_derived("stories", site.index(store).key) is not None
