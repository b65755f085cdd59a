"""open_store: from a path or URL to a backend, or a clear refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.errors import StoreError
from rashomon.store import DEFAULT_DB, SQLiteStore, open_store


def test_default_db_name() -> None:
    assert DEFAULT_DB == "rashomon.db"


def test_plain_path_and_pathlike_open_sqlite(tmp_path: Path) -> None:
    for target in (str(tmp_path / "a.db"), tmp_path / "b.db"):
        with open_store(target) as s:
            assert isinstance(s, SQLiteStore)
            assert s.count() == 0
    assert (tmp_path / "a.db").exists() and (tmp_path / "b.db").exists()


def test_sqlite_url_absolute(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path}/c.db") as s:  # tmp_path starts with "/"
        assert isinstance(s, SQLiteStore)
        assert s.path == f"{tmp_path}/c.db"
    assert (tmp_path / "c.db").exists()


def test_sqlite_url_relative(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///rel.db") as s:
        assert s.count() == 0
    assert (tmp_path / "rel.db").exists()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", ":memory:"])
def test_in_memory(url: str) -> None:
    with open_store(url) as s:
        assert s.count() == 0


def test_sqlite_url_with_two_slashes_is_explained() -> None:
    with pytest.raises(StoreError, match="three slashes"):
        open_store("sqlite://host/file.db")


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://rashomon:hunter2@db.example.org:5432/news",
        "postgres://localhost/news",
        "postgresql+psycopg://localhost/news",
        "PostgreSQL://localhost/news",
    ],
)
def test_postgresql_is_not_built_yet(url: str) -> None:
    with pytest.raises(StoreError, match="PostgreSQL backend is not built yet") as info:
        open_store(url)
    assert "hunter2" not in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(StoreError, match="unknown store URL scheme 'mysql'"):
        open_store("mysql://localhost/news")
