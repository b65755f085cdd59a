"""What is particular to the SQLite backend: the file, its schema version, its encoding."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from rashomon.errors import StoreError
from rashomon.model import Article, Outlet, Paragraph, Removed
from rashomon.store import SQLiteStore
from rashomon.store.sqlite import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, fts_query


def article(n: int, text: str = "Title\n\nSome reporting.", **kw: object) -> Article:
    return Article(
        id=f"a{n}.txt",
        path=f"a{n}.txt",
        text=text,
        paragraphs=(Paragraph(7, len(text)),),
        content_hash=f"h{n}",
        **kw,  # type: ignore[arg-type]
    )


def test_new_file_gets_current_schema_wal_and_application_id(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    with SQLiteStore(db):
        pass
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"articles", "articles_fts", "line_keys", "checkpoints"} <= tables
    finally:
        conn.close()


def test_empty_existing_file_is_migrated(tmp_path: Path) -> None:
    db = tmp_path / "empty.db"
    db.write_bytes(b"")
    with SQLiteStore(db) as s:
        assert s.count() == 0
        assert s.add_article(article(1)).is_new


def test_reopening_keeps_data_and_does_not_migrate_again(tmp_path: Path) -> None:
    db = tmp_path / "keep.db"
    outlet = Outlet("BBC", ("bbc.co.uk",))
    with SQLiteStore(db) as s:
        s.add_article(article(1, outlet=outlet), ["k"])
        s.set_checkpoint("ingest", "done")
    with SQLiteStore(db) as s:
        assert s.count() == 1
        assert s.get("a1.txt") == article(1, outlet=outlet)
        assert s.get_checkpoint("ingest") == "done"
        assert s.line_counts("BBC", ["k"]) == {"k": 1}
        assert [h.article_id for h in s.search("reporting")] == ["a1.txt"]
        assert s.add_article(article(1, outlet=outlet)).status == "duplicate"


def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    with SQLiteStore(db):
        pass
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(
        StoreError, match=rf"schema version {SCHEMA_VERSION + 1}, newer .*upgrade Rashomon"
    ):
        SQLiteStore(db)


def test_non_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "notes.txt"
    db.write_text("These are my notes, not a database.\n" * 100)
    with pytest.raises(StoreError, match="not an SQLite database"):
        SQLiteStore(db)
    assert db.read_text().startswith("These are my notes")  # untouched


def test_other_programs_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not a Rashomon store"):
        SQLiteStore(db)
    conn = sqlite3.connect(db)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    conn.close()
    assert names == ["customers"]


def test_directory_and_missing_parent_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a directory"):
        SQLiteStore(tmp_path)
    with pytest.raises(StoreError, match="does not exist"):
        SQLiteStore(tmp_path / "no" / "such" / "dir.db")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError):
        SQLiteStore(blocker / "store.db")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_directory_is_refused(tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="cannot open store"):
            SQLiteStore(ro / "store.db")
    finally:
        ro.chmod(0o755)


def test_failed_migration_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = ((*MIGRATIONS[0], "CREATE TABLE articles (x)"),)
    monkeypatch.setattr("rashomon.store.sqlite.MIGRATIONS", broken)
    db = tmp_path / "broken.db"
    with pytest.raises(StoreError, match="cannot migrate store"):
        SQLiteStore(db)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        conn.close()
    monkeypatch.undo()
    with SQLiteStore(db) as s:  # the untouched file migrates normally afterwards
        assert s.count() == 0


def test_migrations_apply_in_order_from_any_older_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "old.db"
    with SQLiteStore(db) as s:
        s.add_article(article(1))
    v2 = ("ALTER TABLE articles ADD COLUMN note TEXT", "UPDATE articles SET note = 'migrated'")
    monkeypatch.setattr("rashomon.store.sqlite.MIGRATIONS", (*MIGRATIONS, v2))
    monkeypatch.setattr("rashomon.store.sqlite.SCHEMA_VERSION", len(MIGRATIONS) + 1)
    with SQLiteStore(db) as s:
        assert s.get("a1.txt") == article(1)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) + 1
        assert conn.execute("SELECT note FROM articles").fetchall() == [("migrated",)]
    finally:
        conn.close()


def test_version_1_store_gains_derived_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A store written by session 1's Rashomon (schema 1) opens, keeps its articles and
    # gains the derived-results table.
    db = tmp_path / "v1.db"
    monkeypatch.setattr("rashomon.store.sqlite.MIGRATIONS", MIGRATIONS[:1])
    monkeypatch.setattr("rashomon.store.sqlite.SCHEMA_VERSION", 1)
    with SQLiteStore(db) as s:
        s.add_article(article(1))
    monkeypatch.undo()
    with SQLiteStore(db) as s:
        assert s.get("a1.txt") == article(1)
        s.put_derived("comparison", "k", "v")
        assert s.get_derived("comparison", "k") == "v"


def test_lone_surrogates_round_trip_through_the_file(tmp_path: Path) -> None:
    # From a file name decoded with surrogateescape, and a JSON "\ud83d" escape.
    bad = "caf\udce9.txt"
    text = "Title \ud83d\n\nReporting with a lone \udc80 surrogate and \x00 a NUL."
    a = Article(
        id=bad,
        path=bad,
        text=text,
        title="Title \ud83d",
        paragraphs=(Paragraph(9, len(text)),),
        removed=(Removed(0, 8, "Title \ud83d", "\udcff"),),
        authors=("\ud800",),
        outlet=Outlet("\udfff"),
        content_hash="h",
    )
    db = tmp_path / "s.db"
    with SQLiteStore(db) as s:
        assert s.add_article(a, ["\udc00key"]).is_new
    with SQLiteStore(db) as s:
        assert s.get(bad) == a
        assert s.line_counts("\udfff", ["\udc00key"]) == {"\udc00key": 1}
        hits = s.search("surrogate")
        assert [h.article_id for h in hits] == [bad]
        assert hits[0].title == "Title \ud83d"
        assert s.search("lone \udc80")


def test_two_connections_see_each_others_commits(tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    with SQLiteStore(db) as writer, SQLiteStore(db) as reader:
        writer.add_article(article(1))
        assert reader.count() == 1
        assert reader.add_article(article(1)).status == "duplicate"


def test_in_memory_store(tmp_path: Path) -> None:
    with SQLiteStore(":memory:") as s:
        s.add_article(article(1))
        assert s.count() == 1


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kyiv talks", '"kyiv" "talks"'),
        ('say "no"', '"say" """no"""'),
        ("AND(", '"AND("'),
        ("a\x00b", '"a" "b"'),
        ("  ", ""),
    ],
)
def test_fts_query_quotes_every_word(query: str, expected: str) -> None:
    assert fts_query(query) == expected
