"""Comparisons and the stories list are computed once and kept in the store (derived results)."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from web_fixtures import DAM, STRIKE, VELMARK, fill_store, make_article

from rashomon.store import open_store
from rashomon.web import create_app, warm
from rashomon.web.data import Site, StoryIndex, article_key, comparison_key
from rashomon.web.views import article_url, render_comparison


def test_a_compared_story_leaves_every_piece_in_the_store(client: TestClient, web_app: Any, web_db: str,
                                                          dam_story: dict[str, Any]) -> None:
    assert client.get(f"/stories/{dam_story['id']}").status_code == 200
    site: Site = web_app.state.site
    with open_store(web_db, read_only=True) as store:
        entry = site.index(store).by_id[dam_story["id"]]
        key = comparison_key(entry, site.settings)
        html = store.get_derived("comparison-html", key)
        assert html is not None and 'class="columns"' in html
        record = store.get_derived("comparison", key)
        assert record is not None and '"claims"' in record
        assert store.get_derived("comparison-digest", key) is not None
        for a in entry.articles:
            piece = store.get_derived("comparison-article", article_key(key, a.id))
            assert piece is not None and 'class="col"' in piece
        assert StoryIndex.from_json(site.index(store).key, store.get_derived("stories", site.index(store).key) or "")


def test_a_cached_story_is_never_compared_again(client: TestClient, web_app: Any, dam_story: dict[str, Any],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    client.get(f"/stories/{dam_story['id']}")

    def refuse(*args: Any) -> Any:
        raise AssertionError("compared again")

    monkeypatch.setattr(web_app.state.site, "_compare", refuse)
    for url in (f"/stories/{dam_story['id']}", f"/api/stories/{dam_story['id']}", article_url("dam/rtv-valdora.txt"),
                "/api/article?id=dam/rtv-valdora.txt", "/outlet?name=RTV+Valdora"):
        assert client.get(url).status_code == 200, url


def test_the_stories_index_is_kept_in_memory_until_the_store_changes(web_app: Any) -> None:
    site: Site = web_app.state.site
    with site.reader() as store:
        assert site.index(store) is site.index(store)


def test_the_comparison_key_follows_content_version_and_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    with open_store(":memory:") as store:
        for a in DAM:
            store.add_article(a)
        index = Site(":memory:", render=render_comparison)._cluster(store, "k")
    entry = index.stories[0]
    key = comparison_key(entry, {"nlp.pipeline": "default"})
    assert comparison_key(replace(entry, articles=entry.articles[::-1]), {"nlp.pipeline": "default"}) == key
    assert comparison_key(entry, {"nlp.pipeline": "en_core_web_md"}) != key
    edited = replace(entry, articles=(replace(entry.articles[0], content_hash="0" * 64), *entry.articles[1:]))
    assert comparison_key(edited, {"nlp.pipeline": "default"}) != key
    monkeypatch.setattr("rashomon.web.data.__version__", "99.0")
    assert comparison_key(entry, {"nlp.pipeline": "default"}) != key


def test_a_new_article_regroups_the_stories(tmp_path: Path) -> None:
    db = fill_store(tmp_path / "grow.db", STRIKE)
    app = create_app(db)
    with TestClient(app, base_url="http://localhost") as c:
        before = c.get("/api/stories").json()["items"]
        assert [len(s["articles"]) for s in before] == [1]
        with open_store(db) as store:
            store.add_article(make_article(
                "strike/velmark-times-2.txt", VELMARK, "Velmark rail strike: train drivers stay out over pay",
                "2031-03-20",
                ["Velmark train drivers stayed out for a second day on Thursday in the dispute over wages, "
                 "halting commuter services in the capital.",
                 "\"We have not had a raise in six years,\" union secretary Oskar Lind said again."]))
        after = c.get("/api/stories").json()["items"]
        assert [len(s["articles"]) for s in after] == [2]
        assert "1 story · 2 stored articles" in c.get("/").text


def test_warm_compares_each_story_once_and_concurrent_requests_share_one_comparison(tmp_path: Path) -> None:
    db = fill_store(tmp_path / "warm.db", STRIKE)
    app = create_app(db)
    site: Site = app.state.site
    calls: list[str] = []
    real = site._compare
    release = threading.Event()

    def counted(store: Any, entry: Any) -> Any:
        calls.append(entry.id)
        release.wait(10)
        return real(store, entry)

    site._compare = counted  # type: ignore[method-assign]
    with site.reader() as store:
        entry = site.index(store).stories[0]
    results: list[str] = []

    def request() -> None:
        with site.reader() as store:
            results.append(site.cached(store, "comparison-html", entry))

    threads = [threading.Thread(target=request) for _ in range(3)]
    for t in threads:
        t.start()
    release.set()
    for t in threads:
        t.join(60)
    assert calls == [entry.id] and len(results) == 3 and len(set(results)) == 1
    assert warm(app) == 0  # already cached
    with open_store(db) as store:
        assert store.drop_derived("comparison-digest") == 1
    assert warm(app) == 1 and calls == [entry.id, entry.id]


@pytest.mark.parametrize("payload", ["{not json", '{"format": "web-0", "stories": []}', '{"format": "web-1", "stories": [{"id": 1}]}'])
def test_an_unreadable_stories_cache_is_rebuilt(tmp_path: Path, payload: str) -> None:
    db = fill_store(tmp_path / "damaged.db", STRIKE)
    site = create_app(db).state.site
    with site.reader() as store:
        key = site.index(store).key
    with open_store(db) as store:
        store.put_derived("stories", key, payload)
    site._index = None  # forget the copy in memory
    with site.reader() as store:
        assert [s.title for s in site.index(store).stories] == ["Velmark rail workers strike over pay"]
    with open_store(db, read_only=True) as store:
        assert store.get_derived("stories", key) != payload
