"""One store and one app over it per test session (see web_fixtures.py for the articles).

The dam story is compared once per session (spaCy and the embedder are slow to load);
every test after the first reads the comparison from the store's cache.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from web_fixtures import ARTICLES, fill_store

from rashomon.web import create_app


@pytest.fixture(scope="session")
def web_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    return fill_store(tmp_path_factory.mktemp("web") / "web.db", ARTICLES)


@pytest.fixture(scope="session")
def web_app(web_db: str) -> FastAPI:
    return create_app(web_db)


@pytest.fixture(scope="session")
def client(web_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app, base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.fixture(scope="session")
def dam_story(client: TestClient) -> dict[str, Any]:
    """The dam story as the API lists it."""
    stories = client.get("/api/stories").json()["items"]
    return next(s for s in stories if any(a["id"] == "dam/daily-beacon.txt" for a in s["articles"]))
