"""Stage 3, store: where articles are kept, searched and deduplicated.

    >>> from rashomon.store import open_store
    >>> with open_store(":memory:") as store:
    ...     store.count()
    0

:func:`open_store` picks the backend from what it is given: a plain path or a
``sqlite:///path`` URL opens (and creates or migrates) an SQLite file; a
``postgresql://`` URL is for the PostgreSQL backend, which does not exist yet.
"""

from __future__ import annotations

import os
import re

from rashomon.errors import StoreError
from rashomon.store.base import AddResult, SearchHit, Store
from rashomon.store.keys import canonical_url
from rashomon.store.sqlite import SQLiteStore

__all__ = [
    "DEFAULT_DB",
    "AddResult",
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


def open_store(url_or_path: str | os.PathLike[str] = DEFAULT_DB) -> Store:
    """Open the store at ``url_or_path``, creating or migrating it as needed.

    Accepts a file path, ``":memory:"``, or a URL: ``sqlite:///relative/path``,
    ``sqlite:////absolute/path`` and ``sqlite://`` (in memory), as SQLAlchemy writes them.
    Raises :class:`~rashomon.errors.StoreError` when the store cannot be opened.
    """
    target = os.fspath(url_or_path)
    m = _URL.match(target)
    if m is None:
        return SQLiteStore(target)
    scheme, rest = m.group(1).lower(), m.group(2)
    if scheme == "sqlite":
        if rest == "":
            return SQLiteStore(":memory:")
        if not rest.startswith("/"):
            raise StoreError(
                f"{target}: an SQLite URL has three slashes before a relative path "
                "(sqlite:///rashomon.db) and four before an absolute one (sqlite:////data/rashomon.db)"
            )
        return SQLiteStore(rest[1:])
    if scheme == "postgresql" or scheme == "postgres" or scheme.startswith("postgresql+"):
        raise StoreError(
            f"{_redact(target)}: the PostgreSQL backend is not built yet; "
            f"use an SQLite file instead (a path, or sqlite:///{DEFAULT_DB})"
        )
    raise StoreError(
        f"{_redact(target)}: unknown store URL scheme {scheme!r}; "
        "give a file path or a sqlite:/// URL"
    )


def _redact(url: str) -> str:
    """The URL without its password, which must not reach logs and error messages."""
    return re.sub(r"^([^:/]+://[^:@/]*):[^@/]*@", r"\1:***@", url)
