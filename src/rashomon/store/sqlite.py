"""The SQLite store: one file, WAL journal, FTS5 full-text search, versioned schema.

Schema (version 2, see :data:`MIGRATIONS`):

``articles``
    one row per stored article. ``pk`` is an internal, ever-increasing integer (ingest
    order); ``id`` is :attr:`Article.id`, which may repeat across runs. Scalar fields are
    columns; ``outlet``, ``wire``, ``removed``, ``paragraphs`` and ``authors`` are JSON
    (:mod:`rashomon.store.rows` maps an article to these columns, for both backends).
    ``content_hash`` and ``canonical_url`` are unique (NULL when unknown) and make
    re-ingesting idempotent.
``articles_fts``
    FTS5 table over ``title`` and ``body`` (the kept paragraphs, or the whole text for an
    article that has no paragraphs), rowid = ``articles.pk``; written with each article.
``line_keys``
    (outlet, key) -> number of distinct stored articles of that outlet containing the key.
``checkpoints``
    name -> value, for resumable ingest; written in the caller's transaction.
``derived`` (version 2)
    (kind, key) -> payload: results computed from stored articles (annotations, cached
    comparisons), see :meth:`Store.put_derived`.

Read-only opening (``read_only=True``, the web app's mode) uses a ``file:…?mode=ro`` URI
plus ``PRAGMA query_only``, so SQLite itself refuses every write, and it never migrates:
a reader must not change a file that an ingest may be writing, so a store whose schema is
missing or older is refused with a message that says to run ``rashomon ingest`` (or to
open it read-write) first. Writing methods fail at once with a StoreError naming the mode,
rather than with SQLite's "attempt to write a readonly database".

``timeout_ms`` bounds each call on the store: a progress handler, run every
:data:`_PROGRESS_STEPS` virtual-machine instructions, aborts the statement once the call's
deadline has passed, and the call raises StoreError ("query took longer than N ms"). This
keeps a hostile or unlucky search from holding a web worker; it costs one clock read per
few thousand instructions, so a store opened without a timeout installs no handler.

Text is stored exactly as given. SQLite text must be valid UTF-8, which a Python ``str``
holding lone surrogates (from ``surrogateescape`` file names or JSON ``"\\ud800"``
escapes) is not; such a value is stored as a BLOB of its ``surrogatepass`` encoding and
decoded back on load, so it round-trips exactly. Full-text search sees U+FFFD in place of
each lone surrogate and a space in place of NUL, which FTS5 cannot hold.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import time
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rashomon.errors import StoreError
from rashomon.model import Article
from rashomon.store.base import AddResult, SearchHit, Store
from rashomon.store.keys import canonical_url
from rashomon.store.rows import (
    INSERT_COLUMNS,
    SELECT_COLUMNS,
    article_columns,
    article_from_row,
    duplicate_result,
    index_body,
    index_text,
)

# Marks a database as a Rashomon store (PRAGMA application_id; "RSHM" in ASCII), so that
# another program's SQLite file is refused instead of having our tables added to it.
APPLICATION_ID = 0x5253484D

# Each migration is the list of statements that takes the schema from version N to N+1;
# it runs in one transaction that also sets PRAGMA user_version = N+1. Add new versions
# at the end; never edit a released one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        f"PRAGMA application_id = {APPLICATION_ID}",
        """
        CREATE TABLE articles (
            pk            INTEGER PRIMARY KEY AUTOINCREMENT,
            id            TEXT NOT NULL,
            path          TEXT NOT NULL,
            text          TEXT NOT NULL,
            title         TEXT,
            title_start   INTEGER,
            title_end     INTEGER,
            published     TEXT,
            url           TEXT,
            canonical_url TEXT UNIQUE,
            outlet_name   TEXT,
            outlet        TEXT,
            outlet_via    TEXT,
            wire          TEXT NOT NULL,
            removed       TEXT NOT NULL,
            paragraphs    TEXT NOT NULL,
            language      TEXT,
            authors       TEXT NOT NULL,
            encoding      TEXT,
            source_format TEXT NOT NULL,
            content_hash  TEXT UNIQUE,
            ingested_at   TEXT NOT NULL
        )
        """,
        "CREATE INDEX articles_by_id ON articles (id)",
        "CREATE INDEX articles_by_outlet ON articles (outlet_name)",
        """
        CREATE VIRTUAL TABLE articles_fts USING fts5 (
            title, body, tokenize = 'unicode61 remove_diacritics 2'
        )
        """,
        """
        CREATE TABLE line_keys (
            outlet   TEXT NOT NULL,
            key      TEXT NOT NULL,
            articles INTEGER NOT NULL,
            PRIMARY KEY (outlet, key)
        ) WITHOUT ROWID
        """,
        "CREATE TABLE checkpoints (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    (
        """
        CREATE TABLE derived (
            kind       TEXT NOT NULL,
            key        TEXT NOT NULL,
            payload    TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (kind, key)
        ) WITHOUT ROWID
        """,
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

# Seconds a writer waits for another connection's lock before giving up.
BUSY_TIMEOUT = 30.0

# How many SQLite VM instructions run between two checks of a timeout_ms deadline.
_PROGRESS_STEPS = 1000

# SQLite's default limit on bound parameters is 32766 since 3.32 but 999 before.
_CHUNK = 500

_SURROGATE = re.compile("[\ud800-\udfff]")


class SQLiteStore(Store):
    """A :class:`~rashomon.store.base.Store` in one SQLite file (or ``":memory:"``).

    A store holds one connection and is meant for one thread at a time; open one store
    per thread or process. Several processes may share a file: WAL lets readers run while
    one writer writes, and a writer waits up to :data:`BUSY_TIMEOUT` seconds for the lock.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        timeout_ms: int | None = None,
    ) -> None:
        if timeout_ms is not None and timeout_ms <= 0:
            raise ValueError(f"timeout_ms must be > 0 or None, not {timeout_ms}")
        self.path = os.fspath(path)
        self.read_only = read_only
        self.timeout_ms = timeout_ms
        self._depth = 0  # nesting depth of open transaction() blocks
        self._deadline = float("inf")  # time.monotonic() past which a statement is aborted
        self._timed_out = False  # set by the progress handler when it aborts a statement
        self._conn = _connect(self.path, read_only=read_only)
        try:
            if read_only:
                _check_current(self._conn, self.path)
            else:
                _migrate(self._conn, self.path)
        except BaseException:
            self._conn.close()
            raise
        if timeout_ms is not None:
            self._conn.set_progress_handler(self._past_deadline, _PROGRESS_STEPS)

    def _past_deadline(self) -> int:
        """SQLite's progress handler: non-zero aborts the running statement."""
        if time.monotonic() > self._deadline:
            self._timed_out = True
            return 1
        return 0

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r}{', read_only=True' if self.read_only else ''})"

    # --- writing -------------------------------------------------------------------------

    def add_article(self, article: Article, line_keys: Iterable[str] = ()) -> AddResult:
        curl = canonical_url(article.url)
        with self._errors(f"cannot store article {article.id!r}"), self.transaction():
            if article.content_hash:
                row = self._conn.execute(
                    "SELECT id FROM articles WHERE content_hash = ?", (_dump(article.content_hash),)
                ).fetchone()
                if row is not None:
                    return duplicate_result(article, _load(row[0]), "content")
            if curl is not None:
                row = self._conn.execute(
                    "SELECT id FROM articles WHERE canonical_url = ?", (_dump(curl),)
                ).fetchone()
                if row is not None:
                    return duplicate_result(article, _load(row[0]), "URL")
            self._insert(article, curl)
            if article.outlet is not None:
                self._count_lines(article.outlet.name, line_keys)
        return AddResult("new", article.id)

    def _insert(self, a: Article, curl: str | None) -> int:
        values = (*article_columns(a, curl), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        cur = self._conn.execute(
            f"INSERT INTO articles ({INSERT_COLUMNS}, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            tuple(_dump(v) for v in values),
        )
        pk = cur.lastrowid
        assert pk is not None
        self._conn.execute(
            "INSERT INTO articles_fts (rowid, title, body) VALUES (?, ?, ?)",
            (pk, index_text(a.title or ""), index_text(index_body(a))),
        )
        return pk

    def _count_lines(self, outlet_name: str, keys: Iterable[str]) -> None:
        distinct = set(keys)  # a line repeated within one article counts once
        self._conn.executemany(
            "INSERT INTO line_keys (outlet, key, articles) VALUES (?, ?, 1) "
            "ON CONFLICT (outlet, key) DO UPDATE SET articles = articles + 1",
            ((_dump(outlet_name), _dump(k)) for k in distinct),
        )

    def set_checkpoint(self, name: str, value: str) -> None:
        with self._errors(f"cannot write checkpoint {name!r}"), self.transaction():
            self._conn.execute(
                "INSERT INTO checkpoints (name, value) VALUES (?, ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (_dump(name), _dump(value)),
            )

    def put_derived(self, kind: str, key: str, payload: str) -> None:
        with self._errors(f"cannot keep derived result {kind}/{key}"), self.transaction():
            self._conn.execute(
                "INSERT INTO derived (kind, key, payload, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, key) DO UPDATE SET payload = excluded.payload, "
                "created_at = excluded.created_at",
                (
                    _dump(kind),
                    _dump(key),
                    _dump(payload),
                    time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                ),
            )

    def get_derived(self, kind: str, key: str) -> str | None:
        with self._errors(f"cannot read derived result {kind}/{key}"):
            row = self._conn.execute(
                "SELECT payload FROM derived WHERE kind = ? AND key = ?", (_dump(kind), _dump(key))
            ).fetchone()
            return None if row is None else _load(row[0])

    def drop_derived(self, kind: str | None = None) -> int:
        with self._errors("cannot drop derived results"), self.transaction():
            if kind is None:
                cur = self._conn.execute("DELETE FROM derived")
            else:
                cur = self._conn.execute("DELETE FROM derived WHERE kind = ?", (_dump(kind),))
            return int(cur.rowcount)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # The outermost block takes the write lock at once (BEGIN IMMEDIATE) so two writers
        # queue on the busy timeout instead of failing when a read lock must be upgraded;
        # inner blocks are savepoints, so a caught failure undoes only its own block.
        # Every write goes through here, so this is where a read-only store says no.
        if self.read_only:
            raise StoreError(
                f"{self.path}: cannot write: the store is open read-only "
                "(open it without read_only to change it)"
            )
        savepoint = f"rashomon_{self._depth}"
        with self._errors("cannot start a transaction"):
            if self._depth == 0:
                self._conn.execute("BEGIN IMMEDIATE")
            else:
                self._conn.execute(f"SAVEPOINT {savepoint}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            with self._errors("cannot roll back"):
                if not self._conn.in_transaction:
                    pass  # SQLite already rolled back (an interrupted write does that)
                elif self._depth == 0:
                    self._conn.execute("ROLLBACK")
                else:
                    self._conn.execute(f"ROLLBACK TO {savepoint}")
                    self._conn.execute(f"RELEASE {savepoint}")
            raise
        self._depth -= 1
        with self._errors("cannot commit"):
            try:
                self._conn.execute("COMMIT" if self._depth == 0 else f"RELEASE {savepoint}")
            except sqlite3.Error:
                if self._depth == 0 and self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    # --- reading -------------------------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        with self._errors(f"cannot read article {article_id!r}"):
            row = self._conn.execute(
                f"SELECT {SELECT_COLUMNS} FROM articles WHERE id = ? ORDER BY pk DESC LIMIT 1",
                (_dump(article_id),),
            ).fetchone()
            return None if row is None else _article(row)

    def articles(
        self, limit: int = 100, offset: int = 0, outlet: str | None = None
    ) -> list[Article]:
        if limit < 0 or offset < 0:
            raise ValueError(f"limit and offset must be >= 0, not {limit} and {offset}")
        with self._errors("cannot list articles"):
            if outlet is None:
                rows = self._conn.execute(
                    f"SELECT {SELECT_COLUMNS} FROM articles ORDER BY pk DESC LIMIT ? OFFSET ?",
                    (limit, offset),
                )
            else:
                rows = self._conn.execute(
                    f"SELECT {SELECT_COLUMNS} FROM articles WHERE outlet_name = ? "
                    "ORDER BY pk DESC LIMIT ? OFFSET ?",
                    (_dump(outlet), limit, offset),
                )
            return [_article(r) for r in rows]

    def count(self, outlet: str | None = None) -> int:
        with self._errors("cannot count articles"):
            if outlet is None:
                row = self._conn.execute("SELECT count(*) FROM articles").fetchone()
            else:
                row = self._conn.execute(
                    "SELECT count(*) FROM articles WHERE outlet_name = ?", (_dump(outlet),)
                ).fetchone()
            return int(row[0])

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        if limit < 0:
            raise ValueError(f"limit must be >= 0, not {limit}")
        match = fts_query(query)
        if not match:
            return []
        with self._errors("cannot search"):
            # bm25 weights: a word in the title says more about the article than one in
            # the body. bm25 is lower-is-better; SearchHit.score is higher-is-better.
            rows = self._conn.execute(
                "SELECT a.id, a.title, snippet(articles_fts, 1, '', '', '…', 16), "
                "bm25(articles_fts, 2.0, 1.0) AS score "
                "FROM articles_fts JOIN articles a ON a.pk = articles_fts.rowid "
                "WHERE articles_fts MATCH ? ORDER BY score, a.pk DESC LIMIT ?",
                (match, limit),
            ).fetchall()
        return [
            SearchHit(_load(aid), _load(title), " ".join(snip.split()), rank, -float(score))
            for rank, (aid, title, snip, score) in enumerate(rows, start=1)
        ]

    def line_counts(self, outlet_name: str, keys: Iterable[str]) -> dict[str, int]:
        counts = dict.fromkeys(keys, 0)
        wanted = list(counts)
        with self._errors(f"cannot read line counts of {outlet_name!r}"):
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                for key, n in self._conn.execute(
                    f"SELECT key, articles FROM line_keys WHERE outlet = ? AND key IN ({marks})",
                    (_dump(outlet_name), *(_dump(k) for k in chunk)),
                ):
                    counts[_load(key)] = int(n)
        return counts

    def get_checkpoint(self, name: str) -> str | None:
        with self._errors(f"cannot read checkpoint {name!r}"):
            row = self._conn.execute(
                "SELECT value FROM checkpoints WHERE name = ?", (_dump(name),)
            ).fetchone()
            return None if row is None else _load(row[0])

    # --- housekeeping --------------------------------------------------------------------

    def close(self) -> None:
        with self._errors("cannot close"):
            self._conn.close()

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Turn a database failure into a one-line StoreError naming the store.

        Entering it also starts the ``timeout_ms`` clock for the queries inside.
        """
        if self.timeout_ms is not None:
            self._deadline = time.monotonic() + self.timeout_ms / 1000
            self._timed_out = False
        try:
            yield
        except sqlite3.OperationalError as e:
            if self._timed_out and "interrupt" in str(e):
                raise StoreError(
                    f"{self.path}: {what}: query took longer than {self.timeout_ms} ms"
                ) from e
            if "readonly" in str(e) or "query_only" in str(e):
                raise StoreError(
                    f"{self.path}: {what}: the store is open read-only "
                    "(open it without read_only to change it)"
                ) from e
            raise StoreError(f"{self.path}: {what}: {e}") from e
        except sqlite3.ProgrammingError as e:
            if "closed" in str(e):
                raise StoreError(f"{self.path}: {what}: the store is closed") from e
            raise StoreError(f"{self.path}: {what}: {e}") from e
        except (sqlite3.Error, OverflowError) as e:
            # OverflowError: an integer beyond SQLite's 64 bits (a corrupt span).
            raise StoreError(f"{self.path}: {what}: {e}") from e


# --- opening and migrating ---------------------------------------------------------------


def _connect(path: str, *, read_only: bool = False) -> sqlite3.Connection:
    memory = path == ":memory:" or path == ""
    if memory and read_only:
        raise StoreError(
            f"{path or ':memory:'}: cannot open store read-only: an in-memory store is "
            "always empty; give the file that `rashomon ingest` wrote"
        )
    if not memory:
        p = Path(path)
        if p.is_dir():
            raise StoreError(f"{path}: cannot open store: this is a directory, not a file")
        if not p.parent.is_dir():
            raise StoreError(
                f"{path}: cannot open store: directory {str(p.parent)!r} does not exist"
            )
        if read_only and not p.exists():
            raise StoreError(
                f"{path}: cannot open store read-only: there is no store here yet; "
                "run `rashomon ingest` first to create it"
            )
    try:
        # isolation_level=None: no implicit transactions; transaction() says when.
        if read_only:
            uri = "file:" + urllib.parse.quote(os.path.abspath(path)) + "?mode=ro"
            conn = sqlite3.connect(uri, timeout=BUSY_TIMEOUT, isolation_level=None, uri=True)
        else:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    except sqlite3.Error as e:
        raise StoreError(f"{path}: cannot open store: {e}") from e
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        if read_only:
            conn.execute("PRAGMA query_only = ON")
        elif not memory:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"{path}: cannot open store: WAL journal refused ({mode})")
            # In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last
            # commits, but each commit (articles with their checkpoint) stays whole.
            conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as e:
        conn.close()
        if "not a database" in str(e) or "malformed" in str(e):
            raise StoreError(f"{path}: cannot open store: not an SQLite database ({e})") from e
        raise StoreError(f"{path}: cannot open store: {e}") from e
    except BaseException:
        conn.close()
        raise
    return conn


def _migrate(conn: sqlite3.Connection, path: str) -> None:
    """Bring the schema up to :data:`SCHEMA_VERSION`, one migration per transaction."""
    try:
        while True:
            # The write lock first, then the version: of two processes opening a new file
            # at once, the second sees the first's work and does nothing.
            conn.execute("BEGIN IMMEDIATE")
            version = int(conn.execute("PRAGMA user_version").fetchone()[0])
            if version == SCHEMA_VERSION:
                conn.execute("COMMIT")
                return
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{path}: the store has schema version {version}, newer than this "
                    f"version of Rashomon knows ({SCHEMA_VERSION}); upgrade Rashomon to open it"
                )
            if version == 0:
                _check_foreign(conn, path)
            elif _application_id(conn) != APPLICATION_ID:
                raise StoreError(f"{path}: this SQLite database is not a Rashomon store")
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
    except sqlite3.Error as e:
        _rollback(conn)
        if "not a database" in str(e):
            raise StoreError(f"{path}: cannot open store: not an SQLite database ({e})") from e
        raise StoreError(
            f"{path}: cannot migrate store to schema version {SCHEMA_VERSION}: {e}"
        ) from e
    except BaseException:
        _rollback(conn)
        raise


def _check_current(conn: sqlite3.Connection, path: str) -> None:
    """For a read-only store: refuse, never migrate, a schema that is not the current one."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        app = _application_id(conn)
    except sqlite3.DatabaseError as e:
        if "not a database" in str(e):
            raise StoreError(f"{path}: cannot open store: not an SQLite database ({e})") from e
        raise StoreError(f"{path}: cannot open store: {e}") from e
    if version == 0 and app == 0:
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if not tables:
            raise StoreError(
                f"{path}: the store is empty (no schema yet); run `rashomon ingest` "
                "first, or open it read-write"
            )
    if app != APPLICATION_ID:
        raise StoreError(f"{path}: this SQLite database is not a Rashomon store")
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: the store has schema version {version}, newer than this "
            f"version of Rashomon knows ({SCHEMA_VERSION}); upgrade Rashomon to open it"
        )
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{path}: the store has schema version {version}, older than this version of "
            f"Rashomon reads ({SCHEMA_VERSION}); run `rashomon ingest` once (or open it "
            "read-write) to upgrade it"
        )


def _check_foreign(conn: sqlite3.Connection, path: str) -> None:
    """Refuse to add our tables to some other program's database."""
    app = _application_id(conn)
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if (app not in (0, APPLICATION_ID)) or tables:
        raise StoreError(
            f"{path}: this SQLite database is not a Rashomon store "
            "(it already holds other tables); give a new file name"
        )


def _application_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA application_id").fetchone()[0])


def _rollback(conn: sqlite3.Connection) -> None:
    if conn.in_transaction:
        # A failed rollback is not worth reporting over the error that caused it.
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


# --- encoding rows -----------------------------------------------------------------------


def _dump(value: Any) -> Any:
    """A value SQLite can hold: a str with lone surrogates becomes a surrogatepass BLOB."""
    if isinstance(value, str) and _SURROGATE.search(value):
        return value.encode("utf-8", "surrogatepass")
    return value


def _load(value: Any) -> Any:
    """The inverse of :func:`_dump`: a BLOB in a text column is surrogatepass UTF-8."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogatepass")
    return value


def _article(row: tuple[Any, ...]) -> Article:
    return article_from_row(row, load=_load)


def fts_query(query: str) -> str:
    """An FTS5 MATCH expression that finds the words of ``query`` literally, all of them.

    Each whitespace-separated chunk becomes a quoted phrase (inner quotes doubled), so
    nothing the user types is read as FTS5 syntax: ``"``, ``(``, ``*``, ``AND``, ``NEAR``,
    ``col:`` all lose their meaning; the tokenizer then drops punctuation as it does
    when indexing. Returns "" when there is nothing to search for.
    """
    # FTS5 cuts a value at NUL and SQLite text must be UTF-8; neither matters for search.
    words = index_text(query).split()
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)
