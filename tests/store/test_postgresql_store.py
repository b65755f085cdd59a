"""What is particular to the PostgreSQL backend: URLs, schema versions, text PostgreSQL
cannot hold, its query syntax kept away from user text, queued writers, timeouts.

The tests that need a server take ``postgres_store_url`` (a fresh schema on the
session's server; see ``tests/pg_server.py``) and skip without one, unless
RASHOMON_REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

import pytest

import pg_server
from rashomon.errors import StoreError
from rashomon.model import Article, Outlet, Paragraph, Removed
from rashomon.store import PostgreSQLStore, open_store
from rashomon.store.postgresql import MIGRATIONS, SCHEMA_VERSION, _dump, _load, fold, redact

try:
    import psycopg
except ImportError:  # the server fixtures then skip, or fail under RASHOMON_REQUIRE_POSTGRES
    psycopg = None


def article(n: int, text: str | None = None, **kw: Any) -> Article:
    if text is None:
        text = f"Title {n}\n\nReporting about Kyiv and Geneva, number {n}."
    return Article(
        id=f"a{n}.txt",
        path=f"a{n}.txt",
        text=text,
        paragraphs=(Paragraph(text.find("\n\n") + 2, len(text)),),
        content_hash=f"h{n}",
        **kw,
    )


@pytest.fixture
def sql(postgres_store_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A plain connection to the test's schema, to look at what the store wrote."""
    with psycopg.connect(postgres_store_url, autocommit=True) as conn:
        yield conn


# --- URLs and passwords ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, shown",
    [
        ("postgresql://u:hunter2@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("postgresql://u:hun%40ter2@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u@h/db?password=hunter2", "postgresql://u@h/db?password=***"),
        (
            "postgresql://u@h/db?sslmode=require&password=hunter2&x=1",
            "postgresql://u@h/db?sslmode=require&password=***&x=1",
        ),
        ("postgresql://h/db", "postgresql://h/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("postgresql:///db?host=/run/postgresql", "postgresql:///db?host=/run/postgresql"),
    ],
)
def test_redact_hides_the_password(url: str, shown: str) -> None:
    assert redact(url) == shown


def test_bad_url_is_one_line_store_error() -> None:
    with pytest.raises(StoreError, match="cannot open store") as info:
        open_store("postgresql://u:hunter2@127.0.0.1:1/db?nonsense_option=1")
    assert "hunter2" not in str(info.value) and "\n" not in str(info.value)


def test_missing_database_is_one_line_without_the_password(postgres_url: str) -> None:
    parts = urllib.parse.urlsplit(postgres_url)
    netloc = f"{parts.username or 'postgres'}:hunter2@{parts.hostname}:{parts.port}"
    bad = urllib.parse.urlunsplit(parts._replace(netloc=netloc, path="/no_such_database_xyz"))
    with pytest.raises(StoreError, match="cannot open store") as info:
        open_store(bad)
    assert "hunter2" not in str(info.value) and "\n" not in str(info.value)


# --- schema and migrations ----------------------------------------------------------------


def test_new_store_gets_current_schema(postgres_store_url: str, sql: Any) -> None:
    with open_store(postgres_store_url) as s:
        assert isinstance(s, PostgreSQLStore)
        assert "PostgreSQLStore(" in repr(s)
    versions = [r[0] for r in sql.execute("SELECT version FROM rashomon_schema ORDER BY 1")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    tables = {
        r[0]
        for r in sql.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    }
    assert tables == {"rashomon_schema", "articles", "line_keys", "checkpoints", "derived"}


def test_reopening_keeps_data_and_does_not_migrate_again(postgres_store_url: str, sql: Any) -> None:
    outlet = Outlet("BBC", ("bbc.co.uk",))
    with open_store(postgres_store_url) as s:
        s.add_article(article(1, outlet=outlet), ["k"])
        s.set_checkpoint("ingest", "done")
    with open_store(postgres_store_url) as s:
        assert s.get("a1.txt") == article(1, outlet=outlet)
        assert s.get_checkpoint("ingest") == "done"
        assert s.line_counts("BBC", ["k"]) == {"k": 1}
        assert s.add_article(article(1, outlet=outlet)).status == "duplicate"
    assert sql.execute("SELECT count(*) FROM rashomon_schema").fetchone()[0] == SCHEMA_VERSION


def test_migrations_apply_in_order_from_an_older_version(
    postgres_store_url: str, sql: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("rashomon.store.postgresql.MIGRATIONS", MIGRATIONS[:1])
    monkeypatch.setattr("rashomon.store.postgresql.SCHEMA_VERSION", 1)
    with open_store(postgres_store_url) as s:
        s.add_article(article(1))
    monkeypatch.undo()
    # Read-only refuses the older schema and leaves it alone ...
    with pytest.raises(StoreError, match=r"schema version 1, older .*rashomon ingest"):
        open_store(postgres_store_url, read_only=True)
    assert sql.execute("SELECT max(version) FROM rashomon_schema").fetchone()[0] == 1
    # ... read-write brings it up to date, keeping its articles.
    with open_store(postgres_store_url) as s:
        assert s.get("a1.txt") == article(1)
        s.put_derived("comparison", "k", "v")
        assert s.get_derived("comparison", "k") == "v"
    assert sql.execute("SELECT max(version) FROM rashomon_schema").fetchone()[0] == SCHEMA_VERSION


def test_failed_migration_rolls_back(
    postgres_store_url: str, sql: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = ((*MIGRATIONS[0], "CREATE TABLE articles (x int)"),)
    monkeypatch.setattr("rashomon.store.postgresql.MIGRATIONS", broken)
    with pytest.raises(StoreError, match="cannot migrate store") as info:
        open_store(postgres_store_url)
    assert "\n" not in str(info.value)
    assert (
        sql.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchone()[0]
        == 0
    )
    monkeypatch.undo()
    with open_store(postgres_store_url) as s:  # the untouched schema migrates normally
        assert s.count() == 0


def test_newer_schema_version_is_refused(postgres_store_url: str, sql: Any) -> None:
    with open_store(postgres_store_url):
        pass
    sql.execute("INSERT INTO rashomon_schema (version) VALUES (%s)", (SCHEMA_VERSION + 1,))
    for read_only in (False, True):
        with pytest.raises(StoreError, match=r"newer .*upgrade Rashomon"):
            open_store(postgres_store_url, read_only=read_only)


def test_other_programs_tables_are_refused(postgres_store_url: str, sql: Any) -> None:
    sql.execute("CREATE TABLE customers (id int)")
    with pytest.raises(StoreError, match="not a Rashomon store") as info:
        open_store(postgres_store_url)
    assert "\n" not in str(info.value)
    tables = [
        r[0]
        for r in sql.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    ]
    assert tables == ["customers"]


def test_missing_schema_is_explained(postgres_url: str) -> None:
    url = pg_server.with_options(postgres_url, "-csearch_path=no_such_schema_here")
    with pytest.raises(StoreError, match="no schema of the search_path exists"):
        open_store(url)


def test_two_stores_open_one_new_schema_at_once(postgres_store_url: str) -> None:
    # Both migrate under the advisory lock: the second finds the first's work done.
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            with open_store(postgres_store_url) as s:
                s.count()
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


# --- text PostgreSQL cannot hold ----------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["plain", "", "\x01", "\x01starts with the marker", "a\x00b", "\x00", "\ud800", "caf\udce9",
     "\\u0000 looks escaped", '"quoted"', "tab\tnew\nline", "é😀\U0010ffff"],
)  # fmt: skip
def test_escaping_round_trips_and_is_storable(value: str) -> None:
    stored = _dump(value)
    assert _load(stored) == value
    assert "\x00" not in stored
    stored.encode("utf-8")  # no lone surrogate left
    if "\x00" not in value and not value.startswith("\x01") and value.isprintable():
        assert stored == value  # ordinary text is stored as it is


def test_nul_and_surrogates_round_trip_through_the_server(
    postgres_store_url: str, sql: Any
) -> None:
    bad = "caf\udce9.txt"
    text = "Title \ud83d\n\nReporting with a lone \udc80 surrogate and \x00 a NUL."
    a = Article(
        id=bad,
        path=bad,
        text=text,
        title="Title \ud83d",
        paragraphs=(Paragraph(9, len(text)),),
        removed=(Removed(0, 8, "Title \ud83d", "\udcff"),),
        authors=("\ud800", "\x00"),
        outlet=Outlet("\udfff"),
        content_hash="h\x00",
    )
    with open_store(postgres_store_url) as s:
        assert s.add_article(a, ["\udc00key", "k\x00"]).is_new
    with open_store(postgres_store_url) as s:
        assert s.get(bad) == a
        assert s.articles(outlet="\udfff") == [a]
        assert s.line_counts("\udfff", ["\udc00key", "k\x00", "k"]) == {
            "\udc00key": 1,
            "k\x00": 1,
            "k": 0,
        }
        assert s.add_article(a).status == "duplicate"  # the escaped hash is found again
        hits = s.search("surrogate")
        assert [h.article_id for h in hits] == [bad]
        assert hits[0].title == "Title \ud83d"
        assert "\ufffd" in hits[0].snippet  # the index saw U+FFFD, as SQLite's does
        assert s.search("lone \udc80")
    # What the server holds is escaped text.
    stored_id, stored_hash = sql.execute("SELECT id, content_hash FROM articles").fetchone()
    assert stored_id == "\x01caf\\udce9.txt"
    assert stored_hash == "\x01h\\u0000"


# --- full-text search ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ['" OR 1=1; --', "NEAR(", "*", "-", ":", "&|!", "kyiv & !geneva", "kyiv:*", "kyiv <-> geneva",
     "!kyiv", "kyiv | nothing", "'kyiv'", "(kyiv", "kyiv:A", "\\", "'; DROP TABLE articles; --",
     "%s", "%(x)s", "{}", "$1", "\x00", "\ud800"],
)  # fmt: skip
def test_query_syntax_is_never_interpreted(postgres_store_url: str, query: str) -> None:
    with open_store(postgres_store_url) as s:
        s.add_article(article(1))
        s.add_article(article(2, "x\n\nOnly Kyiv here."))
        hits = s.search(query)
        assert s.count() == 2
    # User text is a list of words, all required: operators neither negate nor widen.
    words = set(re.findall(r"\w+", fold(query)))
    documents = {
        "a1.txt": {"reporting", "about", "kyiv", "and", "geneva", "number", "1"},
        "a2.txt": {"only", "kyiv", "here"},
    }
    expected = {d for d, has in documents.items() if words and words <= has}
    assert {h.article_id for h in hits} == expected, query


def test_no_prefix_search_and_no_stemming(postgres_store_url: str) -> None:
    with open_store(postgres_store_url) as s:
        s.add_article(article(1, "x\n\nThe talks are not over."))
        assert s.search("talk") == []
        assert s.search("talk:*") == []
        assert [h.article_id for h in s.search("not over")] == ["a1.txt"]  # no stop words


def test_snippet_is_plain_text_around_the_match(postgres_store_url: str) -> None:
    body = (
        " ".join(f"word{i}" for i in range(60))
        + " Geneva "
        + " ".join(f"more{i}" for i in range(60))
    )
    with open_store(postgres_store_url) as s:
        s.add_article(article(1, "Head\n\n" + body))
        (hit,) = s.search("geneva")
    assert "Geneva" in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "<b>" not in hit.snippet and "\n" not in hit.snippet
    assert len(hit.snippet.split()) <= 18


# --- writers, readers, timeouts ------------------------------------------------------------


def test_concurrent_writers_queue_so_dedup_stays_exact(postgres_store_url: str) -> None:
    with open_store(postgres_store_url) as first, open_store(postgres_store_url) as second:
        results: list[Any] = []
        with first.transaction():
            first.add_article(article(1))
            worker = threading.Thread(target=lambda: results.append(second.add_article(article(1))))
            worker.start()
            # Wait until the second writer is blocked on the store's lock (bounded).
            with psycopg.connect(postgres_store_url, autocommit=True) as watch:
                for _ in range(200):
                    waiting = watch.execute(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND wait_event = 'advisory' "
                        "AND query LIKE '%pg_advisory_xact_lock%'"
                    ).fetchone()[0]
                    if waiting:
                        break
                    time.sleep(0.05)
            assert waiting == 1
            assert results == []  # still queued behind the open transaction
        worker.join()
        assert [r.status for r in results] == ["duplicate"]
        assert first.count() == 1


def test_long_query_is_cancelled(postgres_store_url: str) -> None:
    with open_store(postgres_store_url) as s:
        s.add_article(article(1))
    with open_store(postgres_store_url, read_only=True, timeout_ms=50) as s:
        assert isinstance(s, PostgreSQLStore)
        with (
            pytest.raises(StoreError, match="query took longer than 50 ms") as info,
            s._errors("cannot search"),
        ):
            s._conn.execute("SELECT pg_sleep(30)")
        assert "\n" not in str(info.value)
        assert s.count() == 1  # the connection is still usable


def test_server_refuses_writes_on_a_read_only_store(postgres_store_url: str) -> None:
    with open_store(postgres_store_url) as s:
        s.set_checkpoint("c", "1")
    with open_store(postgres_store_url, read_only=True) as s:
        assert isinstance(s, PostgreSQLStore)
        with pytest.raises(StoreError, match="open read-only"), s._errors("cannot write"):
            s._conn.execute("DELETE FROM checkpoints")
        assert s.get_checkpoint("c") == "1"


def test_non_utf8_database_is_refused(postgres_url: str) -> None:
    name = "rashomon_latin1_test"
    try:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(
                f"CREATE DATABASE {name} ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' "
                "TEMPLATE template0"
            )
    except psycopg.Error as e:
        pytest.skip(f"this server does not let the tests create a database: {e}")
    try:
        with pytest.raises(StoreError, match="Rashomon needs UTF8"):
            open_store(postgres_url.rsplit("/", 1)[0] + f"/{name}")
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
