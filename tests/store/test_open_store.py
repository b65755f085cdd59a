"""open_store: from a path or URL to a backend, or a clear refusal."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from rashomon.errors import MissingExtraError, StoreError
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
    "url, expected",
    [
        (
            "postgresql://rashomon:s3cret@db.example.org:5432/news",
            "postgresql://rashomon:s3cret@db.example.org:5432/news",
        ),
        ("postgres://localhost/news", "postgresql://localhost/news"),
        ("postgresql+psycopg://localhost/news", "postgresql://localhost/news"),
        ("PostgreSQL://localhost/news", "postgresql://localhost/news"),
    ],
)
def test_postgresql_urls_open_the_postgresql_backend(
    url: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[tuple[str, bool, int | None]] = []

    class Recorder:
        def __init__(self, url: str, *, read_only: bool, timeout_ms: int | None) -> None:
            opened.append((url, read_only, timeout_ms))

    monkeypatch.setattr("rashomon.store.PostgreSQLStore", Recorder)
    open_store(url)
    open_store(url, read_only=True, timeout_ms=500)
    assert opened == [(expected, False, None), (expected, True, 500)]


def test_postgresql_without_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    with pytest.raises(MissingExtraError, match=r"pip install 'rashomon\[postgres\]'") as info:
        open_store("postgresql://rashomon:hunter2@127.0.0.1:1/news")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://rashomon:hunter2@127.0.0.1:1/news",
        "postgresql://rashomon@127.0.0.1:1/news?password=hunter2",
        "postgresql://rashomon:hunter2@127.0.0.1:1/news?sslmode=disable&password=hunter2",
    ],
)
def test_unreachable_postgresql_is_one_line_without_password(url: str) -> None:
    pytest.importorskip("psycopg")
    # Port 1 on this machine: refused at once, no network involved.
    with pytest.raises(StoreError, match="cannot open store") as info:
        open_store(url)
    assert "hunter2" not in str(info.value)
    assert "\n" not in str(info.value)
    assert str(info.value).startswith("postgresql://rashomon")


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(StoreError, match="unknown store URL scheme 'mysql'") as info:
        open_store("mysql://root:hunter2@localhost/news")
    assert "hunter2" not in str(info.value)
