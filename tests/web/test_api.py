"""Every JSON endpoint, in-process: the pages' data, paginated, documented by OpenAPI."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient


def get(client: TestClient, url: str, status: int = 200, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == status, r.text[:500]
    assert r.headers["content-type"].startswith("application/json")
    return r.json()


def test_stories_lists_every_story_with_coverage(client: TestClient) -> None:
    body = get(client, "/api/stories")
    assert (body["total"], body["offset"], body["limit"], body["next"]) == (2, 0, 50, None)
    strike, dam = body["items"]
    assert strike["title"] == "Velmark rail workers strike over pay"
    assert [a["id"] for a in dam["articles"]] == ["dam/daily-beacon.txt", "dam/rtv-valdora.txt", "dam/alver-independent.txt"]
    assert dam["outlets"] == ["Daily Beacon", "RTV Valdora", "Alver Independent"]
    assert dam["countries"] == ["XB", "XA"] and dam["ownerships"] == ["private", "state-controlled", "nonprofit"]
    assert (dam["first"], dam["last"], dam["independent_sources"]) == ("2031-03-04", "2031-03-05", 3)
    assert dam["articles"][1]["outlet"] == {"name": "RTV Valdora", "country": "XA", "ownership": "state-controlled"}
    assert dam["url"] == f"/stories/{dam['id']}" and dam["api"] == f"/api/stories/{dam['id']}"


def test_stories_paginate_with_next_links(client: TestClient) -> None:
    first = get(client, "/api/stories", limit=1)
    assert first["total"] == 2 and len(first["items"]) == 1
    assert first["next"] == "/api/stories?limit=1&offset=1"
    second = client.get(first["next"]).json()
    assert second["next"] is None and second["offset"] == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]


@pytest.mark.parametrize(("params", "titles"), [
    ({"since": "2031-03-10"}, ["Velmark rail workers strike over pay"]),
    ({"outlet": "Alver Independent"}, ["Kessel dam breach floods valley, 14 dead"]),
    ({"country": "XC", "until": "2031-03-31"}, ["Velmark rail workers strike over pay"]),
    ({"country": "XX"}, []),
])
def test_stories_filter(client: TestClient, params: dict[str, str], titles: list[str]) -> None:
    body = get(client, "/api/stories", **params)
    assert [s["title"] for s in body["items"]] == titles and body["total"] == len(titles)


def test_story_holds_the_comparison_record(client: TestClient, dam_story: dict[str, Any]) -> None:
    body = get(client, f"/api/stories/{dam_story['id']}")
    assert body["story"] == dam_story
    comparison = body["comparison"]
    assert {"articles", "quotes", "entities", "claims", "framing", "voices", "wire_groups", "settings"} <= set(comparison)
    # INTERFACE.md: every sentence of every article appears in exactly one claim
    sentences = [(a["id"], s["id"]) for a in comparison["articles"] for s in a["sentences"]]
    claimed = [(s["article"], s["sentence"]) for c in comparison["claims"] for s in c["sentences"]]
    assert sorted(sentences) == sorted(claimed) and len(set(claimed)) == len(claimed)
    statuses = {c["status"] for c in comparison["claims"]}
    assert statuses == {"shared", "unique", "conflict"}
    assert {"Ana Rell", "Mira Doss"} <= {q["speaker"] for q in comparison["quotes"]}


def test_story_is_served_as_cached(client: TestClient, web_app: Any, dam_story: dict[str, Any]) -> None:
    site = web_app.state.site
    first = client.get(f"/api/stories/{dam_story['id']}").content
    with site.reader() as store:
        cached = store.get_derived("comparison", site.key(site.index(store).by_id[dam_story["id"]]))
    assert cached is not None and cached.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").encode() in first


def test_article_holds_what_rests_on_it(client: TestClient, dam_story: dict[str, Any]) -> None:
    body = get(client, "/api/article", id="dam/alver-independent.txt")
    assert body["article"]["title"] == "Dozens feared dead after Kessel dam bursts"
    assert body["article"]["outlet"]["name"] == "Alver Independent"
    assert [s["id"] for s in body["article"]["sentences"]] == ["s1", "s2", "s3", "s4"]
    assert body["story"]["id"] == dam_story["id"]
    assert body["claims"] and all("dam/alver-independent.txt" in c["articles"] for c in body["claims"])
    assert {q["speaker"] for q in body["quotes"]} >= {"Mira Doss"}
    assert all(q["article"] == "dam/alver-independent.txt" for q in body["quotes"])
    assert body["url"] == "/article?id=dam%2Falver-independent.txt"


def test_outlets_and_an_outlet(client: TestClient, dam_story: dict[str, Any]) -> None:
    client.get(f"/api/stories/{dam_story['id']}")
    outlets = get(client, "/api/outlets")
    assert outlets["total"] == 4
    assert {o["name"] for o in outlets["items"]} == {"Daily Beacon", "RTV Valdora", "Alver Independent", "Velmark Times"}
    body = get(client, "/api/outlet", name="Daily Beacon")
    assert body["outlet"] == {"name": "Daily Beacon", "country": "XB", "ownership": "private", "articles": 1,
                              "stories": 1, "url": "/outlet?name=Daily+Beacon", "api": "/api/outlet?name=Daily+Beacon"}
    assert body["compared"] == 1 and body["total"] == 1 and body["items"][0]["id"] == dam_story["id"]
    assert {"speaker": "Ana Rell", "quotes": 1, "stories": 1} in body["quotes"]


def test_search_is_paginated_and_names_the_story(client: TestClient, dam_story: dict[str, Any]) -> None:
    first = get(client, "/api/search", q="Kessel", limit=2)
    assert first["query"] == "Kessel" and len(first["items"]) == 2 and first["next"]
    rest = client.get(first["next"]).json()
    hits = first["items"] + rest["items"]
    assert sorted(h["article_id"] for h in hits) == ["dam/alver-independent.txt", "dam/daily-beacon.txt", "dam/rtv-valdora.txt"]
    assert all(h["story"] == dam_story["id"] for h in hits)
    assert [h["rank"] for h in first["items"]] == [1, 2]
    assert get(client, "/api/search", q="nothing-like-this")["items"] == []


@pytest.mark.parametrize(("url", "params"), [
    ("/api/stories/st-000000000000", {}),
    ("/api/article", {"id": "no/such.txt"}),
    ("/api/outlet", {"name": "Nobody"}),
    ("/api/nothing", {}),
])
def test_unknown_things_are_404_in_json(client: TestClient, url: str, params: dict[str, str]) -> None:
    body = get(client, url, status=404, **params)
    assert body["status"] == 404 and body["error"]


@pytest.mark.parametrize(("url", "params", "names"), [
    ("/api/stories", {"limit": "0"}, "limit"),
    ("/api/stories", {"limit": "201"}, "limit"),
    ("/api/stories", {"offset": "x"}, "offset"),
    ("/api/stories", {"since": "4 March"}, "since"),
    ("/api/search", {}, "q"),
    ("/api/article", {}, "id"),
])
def test_bad_parameters_are_400_naming_the_parameter(client: TestClient, url: str, params: dict[str, str], names: str) -> None:
    body = get(client, url, status=400, **params)
    assert body["error"] == "Bad parameter" and any(d.startswith(names + ":") for d in body["details"])


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_the_api_is_read_only(client: TestClient, method: str) -> None:
    r = client.request(method, "/api/stories")
    assert r.status_code == 405 and r.json()["status"] == 405


def test_openapi_documents_every_endpoint(client: TestClient) -> None:
    schema = get(client, "/api/openapi.json")
    assert set(schema["paths"]) == {"/api/stories", "/api/stories/{story_id}", "/api/article", "/api/outlets",
                                    "/api/outlet", "/api/search"}
    for path, ops in schema["paths"].items():
        assert set(ops) == {"get"}, path
        ok = ops["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in ok, path
    listed = schema["components"]["schemas"]["StoriesPage"]["properties"]
    assert {"total", "offset", "limit", "next", "items"} <= set(listed)
    params = {p["name"] for p in schema["paths"]["/api/stories"]["get"]["parameters"]}
    assert params == {"since", "until", "outlet", "country", "offset", "limit"}
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_every_answer_matches_its_documented_model(client: TestClient, dam_story: dict[str, Any]) -> None:
    from rashomon.web import api

    cases = [
        (api.StoriesPage, "/api/stories", {}),
        (api.StoryDetail, f"/api/stories/{dam_story['id']}", {}),
        (api.ArticleDetail, "/api/article", {"id": "dam/daily-beacon.txt"}),
        (api.OutletsPage, "/api/outlets", {}),
        (api.OutletDetail, "/api/outlet", {"name": "Alver Independent"}),
        (api.SearchPage, "/api/search", {"q": "dam"}),
    ]
    for model, url, params in cases:
        body = get(client, url, **params)
        parsed = model.model_validate(body)
        # every field the answer holds is documented (the comparison record may add fields)
        assert set(body) == set(type(parsed).model_fields), url
