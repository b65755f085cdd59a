"""Stage 3, store: where articles are kept, searched and deduplicated.

    >>> from rashomon.store import open_store
    >>> with open_store(":memory:") as store:
    ...     store.count()
    0

:func:`open_store` picks the backend from what it is given: a plain path or a
``sqlite:///path`` URL opens (and creates or migrates) an SQLite file; a
``postgresql://`` URL opens a PostgreSQL database (:mod:`rashomon.store.postgresql`, which
needs the ``postgres`` extra: ``pip install 'rashomon[postgres]'``). Both backends pass the
same contract tests (``tests/store/test_store_contract.py``).
"""

from __future__ import annotations

import os
import re

from rashomon.errors import StoreError
from rashomon.store.base import AddResult, SearchHit, Store
from rashomon.store.keys import canonical_url

# postgresql imports psycopg (an optional extra) only when a PostgreSQLStore is opened.
from rashomon.store.postgresql import PostgreSQLStore, redact
from rashomon.store.sqlite import SQLiteStore

__all__ = [
    "DEFAULT_DB",
    "AddResult",
    "PostgreSQLStore",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoreError",
    "canonical_url",
    "open_store",
]

# Where the CLI keeps its store when not told otherwise (relative to the working directory).
DEFAULT_DB = "rashomon.db"

_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://(.*)$", re.DOTALL)


def open_store(
    url_or_path: str | os.PathLike[str] = DEFAULT_DB,
    *,
    read_only: bool = False,
    timeout_ms: int | None = None,
) -> Store:
    """Open the store at ``url_or_path``, creating or migrating it as needed.

    Accepts a file path, ``":memory:"``, or a URL: ``sqlite:///relative/path``,
    ``sqlite:////absolute/path`` and ``sqlite://`` (in memory), as SQLAlchemy writes them,
    or ``postgresql://user:password@host:port/database`` (also ``postgres://`` and
    ``postgresql+psycopg://``). Raises :class:`~rashomon.errors.MissingExtraError` for a
    PostgreSQL URL when psycopg is not installed.
    Raises :class:`~rashomon.errors.StoreError` when the store cannot be opened.

    read_only: open for reading only (the web app's mode): nothing is created or
        migrated, a store that does not exist yet or has an older schema is refused
        (run ``rashomon ingest`` first), and every write raises StoreError.
    timeout_ms: abort any call whose queries run longer than this, with a StoreError
        ("query took longer than N ms"); None waits as long as it takes.
    """
    target = os.fspath(url_or_path)
    m = _URL.match(target)
    if m is None:
        return SQLiteStore(target, read_only=read_only, timeout_ms=timeout_ms)
    scheme, rest = m.group(1).lower(), m.group(2)
    if scheme == "sqlite":
        if rest == "":
            return SQLiteStore(":memory:", read_only=read_only, timeout_ms=timeout_ms)
        if not rest.startswith("/"):
            raise StoreError(
                f"{target}: an SQLite URL has three slashes before a relative path "
                "(sqlite:///rashomon.db) and four before an absolute one (sqlite:////data/rashomon.db)"
            )
        return SQLiteStore(rest[1:], read_only=read_only, timeout_ms=timeout_ms)
    if scheme in ("postgresql", "postgres") or scheme.startswith("postgresql+"):
        # SQLAlchemy's "postgresql+psycopg://" names a driver; libpq wants the plain scheme.
        return PostgreSQLStore("postgresql://" + rest, read_only=read_only, timeout_ms=timeout_ms)
    raise StoreError(
        f"{redact(target)}: unknown store URL scheme {scheme!r}; "
        "give a file path, a sqlite:/// URL or a postgresql:// URL"
    )
