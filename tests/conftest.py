"""Fixtures shared across test folders: a real PostgreSQL server (see ``pg_server.py``).

``postgres_url`` (session): the server, started once; ``postgres_store_url``: a URL to a
fresh, empty store on it for one test. Without a server the tests that use them skip,
unless RASHOMON_REQUIRE_POSTGRES=1 (CI), where they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

import pg_server


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[pg_server.Server]:
    try:
        with pg_server.server() as server:
            yield server
    except pg_server.Unavailable as e:
        if os.environ.get(pg_server.ENV_REQUIRE) == "1":
            pytest.fail(f"PostgreSQL is required ({pg_server.ENV_REQUIRE}=1): {e}")
        pytest.skip(f"no PostgreSQL: {e}")


@pytest.fixture(scope="session")
def postgres_url(postgres_server: pg_server.Server) -> str:
    """The test server's URL (a database shared by the session; prefer postgres_store_url)."""
    return postgres_server.url


@pytest.fixture
def postgres_store_url(postgres_server: pg_server.Server) -> str:
    """A URL for ``open_store`` to a store of this test's own, empty until it writes."""
    return postgres_server.fresh_url()
