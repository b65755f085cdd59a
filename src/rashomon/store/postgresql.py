"""The PostgreSQL store: the same :class:`~rashomon.store.base.Store` as SQLite, for teams
and archives that outgrow one file. Needs the ``postgres`` extra (psycopg 3).

Schema (version 2, see :data:`MIGRATIONS`), created in the connection's current schema
(the first of its ``search_path``; give ``?options=-csearch_path%3Dnews`` in the URL to
keep a store in a schema of its own):

``rashomon_schema``
    one row per applied migration; the highest ``version`` is the schema's version.
``articles``
    as in SQLite: ``pk`` (an identity column) is the ingest order, ``id`` may repeat,
    lists and the outlet are JSON text, mapped by :mod:`rashomon.store.rows` for both
    backends. ``search`` is the article's ``tsvector``: the title with weight A, the body
    (kept paragraphs, or the whole text of an article that has none) with weight B,
    under a GIN index.
``line_keys``, ``checkpoints``, ``derived``
    as in SQLite.

Decisions, and why:

*Text PostgreSQL cannot hold.* A ``text`` value cannot contain NUL, and UTF-8 cannot
carry a lone surrogate, yet a Python ``str`` may hold both (``surrogateescape`` file
names, JSON ``"\\u0000"`` and ``"\\ud800"`` escapes) and the store must hand every value
back exactly, as SQLite does. Such a value is stored *escaped*: U+0001 followed by the
body of its ASCII JSON string literal (``"a\\x00b"`` is stored as ``"\\x01a\\\\u0000b"``);
a value that itself begins with U+0001 is escaped the same way, so reading is
unambiguous. Every other value is stored as it is, so the tables stay readable with
``psql``, and because the escaping is a pure function of the value, equality lookups
(ids, hashes, URLs, outlet names, line keys) work on the stored form. A separate
``bytea`` column would have doubled every column and every index for a case that real
archives almost never meet.

*Full-text search* is PostgreSQL's own: ``plainto_tsquery`` over the ``simple``
configuration, so user text is only ever a list of words (no operators, no prefix
``:*``) and every word must occur, as with SQLite's quoted FTS5 phrases. ``simple``
rather than ``english`` because SQLite's index neither stems nor drops stop words:
``talk`` must not find "talks" nor ``not`` be ignored on one backend only. Case and
diacritics are folded in Python (NFKD, combining marks dropped, ``casefold``) before
PostgreSQL sees the text, for the document and the query alike, so folding does not
depend on the server's locale or on the ``unaccent`` extension. As in SQLite, the
index sees a space for NUL and U+FFFD for a lone surrogate. Ranking is ``ts_rank``
(title weight above body), best first, newest first among equals; snippets come from
``ts_headline`` with no markup, computed only for the hits returned. A snippet's
matched word is found on the folded query, so a query typed without accents
(``elysee``) still finds "Élysée" but its snippet may start elsewhere in the body.

*Writers queue.* The outermost :meth:`PostgreSQLStore.transaction` takes a
transaction-level advisory lock for this store (keyed on its schema), the counterpart of
SQLite's ``BEGIN IMMEDIATE``: check-then-insert deduplication and the line counts stay
exact with several ingest processes, and migrations run once when many open at once.
The id, hash and URL columns have hash indexes, which (unlike B-trees) take values of
any length; uniqueness is kept by that lock rather than by a unique index.

*Errors inside a transaction.* PostgreSQL aborts a whole transaction on any failed
statement, where SQLite fails only the statement. Every write method therefore runs in
its own savepoint, so a caller that catches the StoreError of one bad article can go on
with the rest of its transaction, as on SQLite.

*Read-only and timeouts.* ``read_only=True`` never migrates (an older or missing schema
is refused with a message to run ``rashomon ingest`` first), refuses writes itself, and
sets ``default_transaction_read_only`` so the server refuses them too. ``timeout_ms``
sets ``statement_timeout``: a statement that runs longer is cancelled by the server and
the call raises StoreError ("query took longer than N ms").

The password never appears in an error or ``repr``: messages name the store by its
URL with the password replaced by ``***``.
"""

from __future__ import annotations

import json
import re
import unicodedata
import urllib.parse
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from rashomon.errors import MissingExtraError, StoreError
from rashomon.model import Article
from rashomon.store.base import AddResult, SearchHit, Store, paragraphs_from_rows
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

if TYPE_CHECKING:
    import psycopg

# The advisory-lock class of every Rashomon store ("RSHM", as SQLite's application_id);
# the lock's second key is the hash of the store's schema name.
LOCK_CLASS = 0x5253484D

# Each migration is the list of statements that takes the schema from version N to N+1;
# it runs in one transaction that also records version N+1. Add new versions at the
# end; never edit a released one. Version 2 matches SQLite's version 2.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE rashomon_schema (
            version    integer PRIMARY KEY,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """,
        """
        CREATE TABLE articles (
            pk            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            id            text NOT NULL,
            path          text NOT NULL,
            text          text NOT NULL,
            title         text,
            title_start   bigint,
            title_end     bigint,
            published     text,
            url           text,
            canonical_url text,
            outlet_name   text,
            outlet        text,
            outlet_via    text,
            wire          text NOT NULL,
            removed       text NOT NULL,
            paragraphs    text NOT NULL,
            language      text,
            authors       text NOT NULL,
            encoding      text,
            source_format text NOT NULL,
            content_hash  text,
            ingested_at   timestamptz NOT NULL DEFAULT now(),
            search        tsvector NOT NULL
        )
        """,
        "CREATE INDEX articles_by_id ON articles USING hash (id)",
        "CREATE INDEX articles_by_hash ON articles USING hash (content_hash)",
        "CREATE INDEX articles_by_url ON articles USING hash (canonical_url)",
        "CREATE INDEX articles_by_outlet ON articles (outlet_name, pk)",
        "CREATE INDEX articles_search ON articles USING gin (search)",
        """
        CREATE TABLE line_keys (
            outlet   text NOT NULL,
            key      text NOT NULL,
            articles integer NOT NULL,
            PRIMARY KEY (outlet, key)
        )
        """,
        "CREATE TABLE checkpoints (name text PRIMARY KEY, value text NOT NULL)",
    ),
    (
        """
        CREATE TABLE derived (
            kind       text NOT NULL,
            key        text NOT NULL,
            payload    text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (kind, key)
        )
        """,
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

# Seconds to wait for the server to answer a connection attempt.
CONNECT_TIMEOUT = 10

_ESCAPE = "\x01"
_UNSAFE = re.compile("[\x00\ud800-\udfff]")
_WORDS = re.compile(r"\W+")
# ts_headline: about as long as SQLite's 16-token snippet, plain text, one fragment.
_HEADLINE = (
    'StartSel="", StopSel="", MaxWords=16, MinWords=8, MaxFragments=1, FragmentDelimiter=" … "'
)
_LOCK = "SELECT pg_advisory_xact_lock(%s, hashtext(current_schema()))"


class PostgreSQLStore(Store):
    """A :class:`~rashomon.store.base.Store` in a PostgreSQL database.

    url: a libpq URL, ``postgresql://user:password@host:port/database?options=...``
    (``postgres://`` too); any libpq parameter may be given in its query string.

    A store holds one connection and is meant for one thread at a time; open one store
    per thread or process. Writers from several processes queue on an advisory lock.
    """

    def __init__(self, url: str, *, read_only: bool = False, timeout_ms: int | None = None) -> None:
        if timeout_ms is not None and timeout_ms <= 0:
            raise ValueError(f"timeout_ms must be > 0 or None, not {timeout_ms}")
        try:
            import psycopg
        except ImportError as e:
            raise MissingExtraError("psycopg", "postgres") from e
        self._psycopg = psycopg
        self.url = redact(url)
        self.read_only = read_only
        self.timeout_ms = timeout_ms
        self._depth = 0  # nesting depth of open transaction() blocks
        self._secrets = _secrets(url)
        self._conn: psycopg.Connection[Any]
        try:
            self._conn = psycopg.connect(
                url, autocommit=True, connect_timeout=CONNECT_TIMEOUT, client_encoding="UTF8"
            )
        except psycopg.Error as e:
            raise StoreError(f"{self.url}: cannot open store: {self._say(e)}") from e
        except ValueError as e:  # psycopg's own URL parsing
            raise StoreError(f"{self.url}: cannot open store: {self._say(e)}") from e
        try:
            with self._errors("cannot open store"):
                self._check_server()
            if read_only:
                self._check_current()
            else:
                self._migrate()
            with self._errors("cannot open store"):
                if read_only:
                    self._conn.execute("SET default_transaction_read_only = on")
                if timeout_ms is not None:
                    self._conn.execute(f"SET statement_timeout = {int(timeout_ms)}")
        except BaseException:
            self._conn.close()
            raise

    def __repr__(self) -> str:
        return f"PostgreSQLStore({self.url!r}{', read_only=True' if self.read_only else ''})"

    # --- writing -------------------------------------------------------------------------

    def add_article(self, article: Article, line_keys: Iterable[str] = ()) -> AddResult:
        curl = canonical_url(article.url)
        with self._errors(f"cannot store article {article.id!r}"), self.transaction():
            if article.content_hash:
                row = self._conn.execute(
                    "SELECT id FROM articles WHERE content_hash = %s ORDER BY pk LIMIT 1",
                    (_dump(article.content_hash),),
                ).fetchone()
                if row is not None:
                    return duplicate_result(article, _load(row[0]), "content")
            if curl is not None:
                row = self._conn.execute(
                    "SELECT id FROM articles WHERE canonical_url = %s ORDER BY pk LIMIT 1",
                    (_dump(curl),),
                ).fetchone()
                if row is not None:
                    return duplicate_result(article, _load(row[0]), "URL")
            self._insert(article, curl)
            if article.outlet is not None:
                self._count_lines(article.outlet.name, line_keys)
        return AddResult("new", article.id)

    def _insert(self, a: Article, curl: str | None) -> None:
        self._conn.execute(
            f"INSERT INTO articles ({INSERT_COLUMNS}, search) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
            "%s, %s, setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'B'))",
            (
                *(_dump(v) for v in article_columns(a, curl)),
                fold(a.title or ""),
                fold(index_body(a)),
            ),
        )

    def _count_lines(self, outlet_name: str, keys: Iterable[str]) -> None:
        distinct = list(dict.fromkeys(keys))  # a line repeated within one article counts once
        if not distinct:
            return
        self._conn.execute(
            "INSERT INTO line_keys (outlet, key, articles) "
            "SELECT %s, k, 1 FROM unnest(%s::text[]) AS k "
            "ON CONFLICT (outlet, key) DO UPDATE SET articles = line_keys.articles + 1",
            (_dump(outlet_name), [_dump(k) for k in distinct]),
        )

    def set_checkpoint(self, name: str, value: str) -> None:
        with self._errors(f"cannot write checkpoint {name!r}"), self.transaction():
            self._conn.execute(
                "INSERT INTO checkpoints (name, value) VALUES (%s, %s) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (_dump(name), _dump(value)),
            )

    def put_derived(self, kind: str, key: str, payload: str) -> None:
        with self._errors(f"cannot keep derived result {kind}/{key}"), self.transaction():
            self._conn.execute(
                "INSERT INTO derived (kind, key, payload) VALUES (%s, %s, %s) "
                "ON CONFLICT (kind, key) DO UPDATE SET payload = excluded.payload, "
                "created_at = now()",
                (_dump(kind), _dump(key), _dump(payload)),
            )

    def get_derived(self, kind: str, key: str) -> str | None:
        with self._errors(f"cannot read derived result {kind}/{key}"):
            row = self._conn.execute(
                "SELECT payload FROM derived WHERE kind = %s AND key = %s",
                (_dump(kind), _dump(key)),
            ).fetchone()
            return None if row is None else _load(row[0])

    def drop_derived(self, kind: str | None = None) -> int:
        with self._errors("cannot drop derived results"), self.transaction():
            if kind is None:
                cur = self._conn.execute("DELETE FROM derived")
            else:
                cur = self._conn.execute("DELETE FROM derived WHERE kind = %s", (_dump(kind),))
            return int(cur.rowcount)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        # psycopg's transaction() is BEGIN/COMMIT outermost and a savepoint when nested,
        # rolling back its own block on an exception. The outermost block also queues
        # behind other writers of this store (see the module docstring).
        if self.read_only:
            raise StoreError(
                f"{self.url}: cannot write: the store is open read-only "
                "(open it without read_only to change it)"
            )
        with self._errors("cannot start a transaction"):
            tx = self._conn.transaction()
            tx.__enter__()
        self._depth += 1
        try:
            if self._depth == 1:
                with self._errors("cannot start a transaction"):
                    self._conn.execute(_LOCK, (LOCK_CLASS,))
            yield
        except BaseException as e:
            self._depth -= 1
            with self._errors("cannot roll back"):
                tx.__exit__(type(e), e, e.__traceback__)
            raise
        self._depth -= 1
        with self._errors("cannot commit"):
            tx.__exit__(None, None, None)

    # --- reading -------------------------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        with self._errors(f"cannot read article {article_id!r}"):
            row = self._conn.execute(
                f"SELECT {SELECT_COLUMNS} FROM articles WHERE id = %s ORDER BY pk DESC LIMIT 1",
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
                    f"SELECT {SELECT_COLUMNS} FROM articles ORDER BY pk DESC LIMIT %s OFFSET %s",
                    (limit, offset),
                ).fetchall()
            else:
                rows = self._conn.execute(
                    f"SELECT {SELECT_COLUMNS} FROM articles WHERE outlet_name = %s "
                    "ORDER BY pk DESC LIMIT %s OFFSET %s",
                    (_dump(outlet), limit, offset),
                ).fetchall()
            return [_article(r) for r in rows]

    def count(self, outlet: str | None = None) -> int:
        with self._errors("cannot count articles"):
            if outlet is None:
                row = self._conn.execute("SELECT count(*) FROM articles").fetchone()
            else:
                row = self._conn.execute(
                    "SELECT count(*) FROM articles WHERE outlet_name = %s", (_dump(outlet),)
                ).fetchone()
            assert row is not None
            return int(row[0])

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        if limit < 0:
            raise ValueError(f"limit must be >= 0, not {limit}")
        words = fold(query)
        if not words.split() or limit == 0:
            return []
        with self._errors("cannot search"):
            rows = self._conn.execute(
                "SELECT a.id, a.title, a.text, a.paragraphs, ts_rank(a.search, q) AS score "
                "FROM articles a, plainto_tsquery('simple', %s) AS q "
                "WHERE a.search @@ q ORDER BY score DESC, a.pk DESC LIMIT %s",
                (words, limit),
            ).fetchall()
            if not rows:
                return []
            bodies = [
                index_text(_body(_load(text), json.loads(_load(paras))))
                for _, _, text, paras, _ in rows
            ]
            snippets = self._conn.execute(
                "SELECT ts_headline('simple', b, plainto_tsquery('simple', %s), %s) "
                "FROM unnest(%s::text[]) WITH ORDINALITY AS t(b, n) ORDER BY n",
                (words, _HEADLINE, bodies),
            ).fetchall()
        return [
            SearchHit(_load(aid), _load(title), _snippet(body, snip), rank, float(score))
            for rank, ((aid, title, _, _, score), body, (snip,)) in enumerate(
                zip(rows, bodies, snippets, strict=True), start=1
            )
        ]

    def line_counts(self, outlet_name: str, keys: Iterable[str]) -> dict[str, int]:
        counts = dict.fromkeys(keys, 0)
        if not counts:
            return counts
        with self._errors(f"cannot read line counts of {outlet_name!r}"):
            rows = self._conn.execute(
                "SELECT key, articles FROM line_keys WHERE outlet = %s AND key = ANY(%s::text[])",
                (_dump(outlet_name), [_dump(k) for k in counts]),
            ).fetchall()
        for key, n in rows:
            counts[_load(key)] = int(n)
        return counts

    def get_checkpoint(self, name: str) -> str | None:
        with self._errors(f"cannot read checkpoint {name!r}"):
            row = self._conn.execute(
                "SELECT value FROM checkpoints WHERE name = %s", (_dump(name),)
            ).fetchone()
            return None if row is None else _load(row[0])

    # --- housekeeping --------------------------------------------------------------------

    def close(self) -> None:
        with self._errors("cannot close"):
            self._conn.close()

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        """Turn a database failure into a one-line StoreError naming the store."""
        psycopg = self._psycopg
        try:
            yield
        except psycopg.errors.QueryCanceled as e:
            if "statement timeout" in str(e):
                raise StoreError(
                    f"{self.url}: {what}: query took longer than {self.timeout_ms} ms"
                ) from e
            raise StoreError(f"{self.url}: {what}: {self._say(e)}") from e
        except psycopg.errors.ReadOnlySqlTransaction as e:
            raise StoreError(
                f"{self.url}: {what}: the store is open read-only "
                "(open it without read_only to change it)"
            ) from e
        except psycopg.Error as e:
            if self._conn.closed:
                raise StoreError(f"{self.url}: {what}: the store is closed") from e
            raise StoreError(f"{self.url}: {what}: {self._say(e)}") from e

    def _say(self, e: BaseException) -> str:
        """The error on one line, without the password."""
        text = " ".join(str(e).split()) or type(e).__name__
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    # --- opening and migrating -----------------------------------------------------------

    def _check_server(self) -> None:
        row = self._conn.execute(
            "SELECT current_setting('server_encoding'), current_schema()"
        ).fetchone()
        assert row is not None
        encoding, schema = row
        if encoding != "UTF8":
            raise StoreError(
                f"{self.url}: cannot open store: the database's encoding is {encoding}; "
                "Rashomon needs UTF8 (CREATE DATABASE ... ENCODING 'UTF8')"
            )
        if schema is None:
            raise StoreError(
                f"{self.url}: cannot open store: no schema of the search_path exists; "
                "create it (CREATE SCHEMA ...) or name an existing one"
            )

    def _version(self) -> int | None:
        """The schema version, or None when this schema holds no Rashomon store."""
        row = self._conn.execute("SELECT to_regclass('rashomon_schema') IS NOT NULL").fetchone()
        if row is None or not row[0]:
            return None
        row = self._conn.execute("SELECT max(version) FROM rashomon_schema").fetchone()
        return int(row[0]) if row is not None and row[0] is not None else 0

    def _check_current(self) -> None:
        """For a read-only store: refuse, never migrate, a schema not the current one."""
        with self._errors("cannot open store"):
            version = self._version()
        if version is None:
            raise StoreError(
                f"{self.url}: the database holds no Rashomon store yet; run `rashomon "
                "ingest` first, or open it read-write"
            )
        self._check_version(version, read_only=True)

    def _check_version(self, version: int, *, read_only: bool) -> None:
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.url}: the store has schema version {version}, newer than this "
                f"version of Rashomon knows ({SCHEMA_VERSION}); upgrade Rashomon to open it"
            )
        if read_only and version < SCHEMA_VERSION:
            raise StoreError(
                f"{self.url}: the store has schema version {version}, older than this "
                f"version of Rashomon reads ({SCHEMA_VERSION}); run `rashomon ingest` once "
                "(or open it read-write) to upgrade it"
            )

    def _migrate(self) -> None:
        """Bring the schema up to :data:`SCHEMA_VERSION`, one migration per transaction."""
        psycopg = self._psycopg
        while True:
            try:
                with self._conn.transaction():
                    # The lock first, then the version: of two processes opening a new
                    # store at once, the second sees the first's work and does nothing.
                    self._conn.execute(_LOCK, (LOCK_CLASS,))
                    version = self._version()
                    if version is None:
                        self._check_foreign()
                        version = 0
                    self._check_version(version, read_only=False)
                    if version == SCHEMA_VERSION:
                        return
                    for statement in MIGRATIONS[version]:
                        self._conn.execute(statement)
                    self._conn.execute(
                        "INSERT INTO rashomon_schema (version) VALUES (%s)", (version + 1,)
                    )
            except psycopg.Error as e:
                raise StoreError(
                    f"{self.url}: cannot migrate store to schema version {SCHEMA_VERSION}: "
                    f"{self._say(e)}"
                ) from e

    def _check_foreign(self) -> None:
        """Refuse to add our tables to a schema that already holds someone else's."""
        row = self._conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
        ).fetchone()
        if row is not None and row[0]:
            raise StoreError(
                f"{self.url}: this database schema is not a Rashomon store (it already holds "
                "other tables); give a new database, or a schema of its own with "
                "?options=-csearch_path%3Dnews"
            )


# --- URLs ------------------------------------------------------------------------------


def redact(url: str) -> str:
    """The URL without its password (in the authority or a ``password=`` parameter)."""
    url = re.sub(r"^([^:/]+://[^:@/]*):[^@/]*@", r"\1:***@", url)
    return re.sub(r"([?&]password=)[^&]*", r"\1***", url)


def _secrets(url: str) -> list[str]:
    """The password as it may appear in an error message, to be blanked out there."""
    found = []
    m = re.match(r"^[^:/]+://[^:@/]*:([^@/]*)@", url)
    if m:
        found.append(m.group(1))
    found += re.findall(r"[?&]password=([^&]*)", url)
    out = set()
    for s in found:
        if s:
            out.update({s, urllib.parse.unquote(s)})
    return sorted(out, key=len, reverse=True)


# --- encoding rows -----------------------------------------------------------------------


def _dump(value: Any) -> Any:
    """A value PostgreSQL can hold: text with NUL or lone surrogates is escaped (see above)."""
    if isinstance(value, str) and (value.startswith(_ESCAPE) or _UNSAFE.search(value)):
        return _ESCAPE + json.dumps(value, ensure_ascii=True)[1:-1]
    return value


def _load(value: Any) -> Any:
    """The inverse of :func:`_dump`."""
    if isinstance(value, str) and value.startswith(_ESCAPE):
        return json.loads('"' + value[1:] + '"')
    return value


def fold(text: str) -> str:
    """What the index and queries see: :func:`~rashomon.store.rows.index_text`, without
    diacritics, case-folded."""
    decomposed = unicodedata.normalize("NFKD", index_text(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _body(text: str, paragraphs: list[list[object]]) -> str:
    """The indexed body of a stored article, as :meth:`_insert` computed it (rows of
    [start, end] or [start, end, kind], see :func:`paragraphs_from_rows`)."""
    if not paragraphs:
        return text
    return "\n\n".join(text[p.start : p.end] for p in paragraphs_from_rows(paragraphs))


def _snippet(body: str, headline: str) -> str:
    """The headline on one line, with "…" where it cuts the body short."""
    snip = " ".join(headline.split())
    if not snip:
        return snip
    # Compared on words alone: ts_headline drops the punctuation at a fragment's ends.
    words, whole = _WORDS.sub(" ", snip).strip(), _WORDS.sub(" ", body).strip()
    return ("" if whole.startswith(words) else "…") + snip + ("" if whole.endswith(words) else "…")


def _article(row: tuple[Any, ...]) -> Article:
    return article_from_row(row, load=_load, integer=int)
