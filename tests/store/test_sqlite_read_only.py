"""SQLite opened read-only and with a per-call time limit (the web app's mode)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from rashomon.errors import StoreError
from rashomon.model import Article, Paragraph
from rashomon.store import SQLiteStore, open_store
from rashomon.store.sqlite import MIGRATIONS, SCHEMA_VERSION


def article(n: int) -> Article:
    text = f"Title {n}\n\nSome reporting about Geneva number {n}."
    return Article(
        id=f"a{n}.txt",
        path=f"a{n}.txt",
        text=text,
        paragraphs=(Paragraph(9, len(text)),),
        content_hash=f"h{n}",
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    with SQLiteStore(path) as s:
        s.add_article(article(1), ["k"])
        s.set_checkpoint("ingest", "1")
        s.put_derived("comparison", "k", "v")
    return path


def test_read_only_reads_everything(db: Path) -> None:
    with open_store(db, read_only=True) as s:
        assert isinstance(s, SQLiteStore) and s.read_only
        assert s.count() == 1
        assert s.get("a1.txt") == article(1)
        assert [h.article_id for h in s.search("geneva")] == ["a1.txt"]
        assert s.get_checkpoint("ingest") == "1"
        assert s.get_derived("comparison", "k") == "v"


def test_read_only_sees_a_writer_s_later_commits(db: Path) -> None:
    with SQLiteStore(db) as writer, open_store(db, read_only=True) as reader:
        writer.add_article(article(2))
        assert reader.count() == 2


@pytest.mark.parametrize(
    "write",
    [
        lambda s: s.add_article(article(2)),
        lambda s: s.set_checkpoint("ingest", "2"),
        lambda s: s.put_derived("comparison", "k2", "v"),
        lambda s: s.drop_derived(),
        lambda s: s.transaction().__enter__(),
    ],
    ids=["add_article", "set_checkpoint", "put_derived", "drop_derived", "transaction"],
)
def test_every_write_is_refused(db: Path, write: object) -> None:
    with open_store(db, read_only=True) as s:
        with pytest.raises(StoreError, match="open read-only") as info:
            write(s)  # type: ignore[operator]
        assert "\n" not in str(info.value)
        assert s.count() == 1  # still usable, and nothing changed
    with SQLiteStore(db) as s:
        assert s.count() == 1
        assert s.get_checkpoint("ingest") == "1"
        assert s.get_derived("comparison", "k") == "v"


def test_read_only_connection_itself_refuses_writes(db: Path) -> None:
    # Even past the store's own check, SQLite refuses: the file is opened mode=ro.
    with SQLiteStore(db, read_only=True) as s, pytest.raises(sqlite3.OperationalError):
        s._conn.execute("DELETE FROM checkpoints")
    with SQLiteStore(db) as s:
        assert s.get_checkpoint("ingest") == "1"


def test_missing_store_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    with pytest.raises(StoreError, match="run `rashomon ingest` first") as info:
        open_store(path, read_only=True)
    assert "\n" not in str(info.value)
    assert not path.exists()


def test_empty_file_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.write_bytes(b"")
    with pytest.raises(StoreError, match="run `rashomon ingest` first"):
        open_store(path, read_only=True)
    assert path.read_bytes() == b""


def test_older_schema_is_refused_not_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v1.db"
    monkeypatch.setattr("rashomon.store.sqlite.MIGRATIONS", MIGRATIONS[:1])
    monkeypatch.setattr("rashomon.store.sqlite.SCHEMA_VERSION", 1)
    with SQLiteStore(path) as s:
        s.add_article(article(1))
    monkeypatch.undo()
    with pytest.raises(StoreError, match=r"schema version 1, older .*rashomon ingest") as info:
        open_store(path, read_only=True)
    assert "\n" not in str(info.value)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1  # untouched
    finally:
        conn.close()
    with SQLiteStore(path):  # read-write opening upgrades it, then read-only works
        pass
    with open_store(path, read_only=True) as s:
        assert s.count() == 1


def test_newer_schema_is_refused(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match=r"newer .*upgrade Rashomon"):
        open_store(db, read_only=True)


def test_other_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a Rashomon store"):
        open_store(path, read_only=True)


@pytest.mark.parametrize("url", [":memory:", "sqlite://"])
def test_in_memory_read_only_is_refused(url: str) -> None:
    with pytest.raises(StoreError, match="in-memory store is always empty"):
        open_store(url, read_only=True)


def test_sqlite_url_read_only(db: Path) -> None:
    with open_store(f"sqlite:///{db}", read_only=True) as s:
        assert s.count() == 1


def test_path_with_uri_characters_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "news?mode=rwc#1 %20.db"
    with SQLiteStore(path) as s:
        s.add_article(article(1))
    with open_store(path, read_only=True) as s:
        assert s.count() == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == [path.name]


# --- timeout_ms --------------------------------------------------------------------------

# Counts to 10**8 through a recursive CTE: SQLite needs many seconds for it, so a limit
# of a few milliseconds always cuts it short, and a broken limit shows as a wrong answer.
LONG_QUERY = (
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) "
    "SELECT count(*) FROM c"
)


@pytest.mark.parametrize("read_only", [True, False])
def test_long_query_is_interrupted(db: Path, read_only: bool) -> None:
    with SQLiteStore(db, read_only=read_only, timeout_ms=20) as s:
        with (
            pytest.raises(StoreError, match="query took longer than 20 ms") as info,
            s._errors("cannot count"),
        ):
            s._conn.execute(LONG_QUERY).fetchone()
        assert "\n" not in str(info.value)
        # The next call gets its own time, and the store is still usable.
        assert s.count() == 1
        assert s.get("a1.txt") == article(1)


def test_interrupted_write_leaves_store_usable(db: Path) -> None:
    with SQLiteStore(db, timeout_ms=20) as s:
        with pytest.raises(StoreError, match="query took longer"), s.transaction():
            s.add_article(article(2))
            with s._errors("cannot write"):
                s._conn.execute(
                    f"INSERT INTO checkpoints (name, value) SELECT 'x', count(*) FROM ({LONG_QUERY})"
                )
        assert s.count() == 1  # the whole block was rolled back
        assert s.add_article(article(2)).is_new


@pytest.mark.parametrize("bad", [0, -5])
def test_timeout_must_be_positive(db: Path, bad: int) -> None:
    with pytest.raises(ValueError, match="timeout_ms"):
        open_store(db, timeout_ms=bad)
