"""The storage interface every backend implements, and the small results it returns.

The SQLite backend (:mod:`rashomon.store.sqlite`) is the default; the PostgreSQL backend
(:mod:`rashomon.store.postgresql`) implements the same :class:`Store` and passes the same
tests (``tests/store/test_store_contract.py``). Backends store
:class:`~rashomon.model.Article` values exactly as given and hand them back unchanged,
lone surrogates and NUL included, whatever their database can hold.

Both open read-only on request (``open_store(..., read_only=True)``, the web app's mode):
then nothing is created or migrated and every writing method raises StoreError; and both
take ``timeout_ms``, past which a call's query is aborted with a StoreError.

Deduplication is part of the contract, because ingest relies on it to be idempotent:
an article whose ``content_hash`` or canonical URL (:func:`rashomon.store.keys.canonical_url`)
is already stored is not stored again; :meth:`Store.add_article` answers "duplicate"
and changes nothing.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import Literal, Self

from rashomon.model import Article, Paragraph


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :meth:`Store.add_article` did with one article.

    status: "new" (stored) or "duplicate" (already stored; nothing changed).
    article_id: the id of the article that was offered.
    duplicate_of: for a duplicate, the id of the stored article it duplicates, else None.
    reason: for a duplicate, why ("same content as X", "same URL as X"), else None.
    """

    status: Literal["new", "duplicate"]
    article_id: str
    duplicate_of: str | None = None
    reason: str | None = None

    @property
    def is_new(self) -> bool:
        """True when the article was stored."""
        return self.status == "new"


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result of a full-text search.

    article_id: the matching article's id (:meth:`Store.get` fetches the newest with it).
    title: its title, or None.
    snippet: a short plain-text excerpt of the body around the match ("…" where cut).
    rank: position in the result list, from 1 (best).
    score: the backend's relevance score, higher is better; compare only within one search.
    """

    article_id: str
    title: str | None
    snippet: str
    rank: int
    score: float


class Store(abc.ABC):
    """A store of articles with full-text search, per-outlet line statistics and checkpoints.

    A store is a context manager: ``with open_store(path) as store: ...`` closes it on exit.
    Every method raises :class:`~rashomon.errors.StoreError` when the database cannot be
    read or written.
    """

    @abc.abstractmethod
    def add_article(self, article: Article, line_keys: Iterable[str] = ()) -> AddResult:
        """Store ``article`` unless its content hash or canonical URL is already stored.

        line_keys: opaque keys of the article's lines (hashes of its normalised lines, as
            the ingest stage computes them). For a new article with an outlet, each distinct
            key adds one to that outlet's count (see :meth:`line_counts`); repeats of a key
            within one article count once. Ignored for duplicates and articles without outlet.
        """

    @abc.abstractmethod
    def get(self, article_id: str) -> Article | None:
        """The newest stored article with this id, or None.

        Ids are input paths, so a file re-read with new content is stored again under the
        same id; the latest one wins here.
        """

    @abc.abstractmethod
    def articles(
        self, limit: int = 100, offset: int = 0, outlet: str | None = None
    ) -> list[Article]:
        """Stored articles, newest ingest first (ties impossible: ingest order is total).

        outlet: only articles of the outlet with this name.
        """

    @abc.abstractmethod
    def count(self, outlet: str | None = None) -> int:
        """How many articles are stored (of the outlet with this name, if given)."""

    @abc.abstractmethod
    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over titles and kept text, best first.

        The query is a list of words, all of which must occur (in either field); it is
        never interpreted as query syntax, so quotes, parentheses and operators such as
        ``AND`` or ``NEAR`` are searched as (or dropped like) ordinary punctuation and words.
        """

    @abc.abstractmethod
    def line_counts(self, outlet_name: str, keys: Iterable[str]) -> dict[str, int]:
        """For each key, how many distinct stored articles of the outlet contained it (0 if none)."""

    @abc.abstractmethod
    def get_checkpoint(self, name: str) -> str | None:
        """The value of checkpoint ``name``, or None when it was never set."""

    @abc.abstractmethod
    def set_checkpoint(self, name: str, value: str) -> None:
        """Set checkpoint ``name``. Inside :meth:`transaction` it commits with the rest."""

    @abc.abstractmethod
    def put_derived(self, kind: str, key: str, payload: str) -> None:
        """Keep ``payload`` as the derived result ``kind``/``key``, replacing an older one.

        Derived results are what later stages compute from stored articles and want to
        reuse: ``kind`` names what it is ("annotation", "comparison", "stories", ...) and
        ``key`` must change whenever the inputs or settings that produced it change (for
        example a content hash plus a settings hash), so a stale result is never read
        back. Inside :meth:`transaction` it commits with the rest.
        """

    @abc.abstractmethod
    def get_derived(self, kind: str, key: str) -> str | None:
        """The payload kept for ``kind``/``key``, or None when there is none."""

    @abc.abstractmethod
    def drop_derived(self, kind: str | None = None) -> int:
        """Forget every derived result of ``kind`` (of every kind when None); how many."""

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """A context manager that commits everything written inside it at once, or nothing.

        An exception inside rolls back every write made in the block and propagates.
        Blocks nest: an inner block that fails rolls back only its own writes.
        """

    @abc.abstractmethod
    def close(self) -> None:
        """Close the store; closing twice is harmless."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def paragraphs_to_rows(paragraphs: Iterable[Paragraph]) -> list[list[object]]:
    """Paragraphs as the backends keep them (JSON): ``[start, end]`` for a body paragraph,
    as every store has written since version 1, and ``[start, end, kind]`` otherwise, so a
    crosshead stays a crosshead (the annotation key covers paragraph kinds)."""
    return [[p.start, p.end] if p.kind == "body" else [p.start, p.end, p.kind] for p in paragraphs]


def paragraphs_from_rows(rows: Iterable[Sequence[object]]) -> tuple[Paragraph, ...]:
    """The inverse of :func:`paragraphs_to_rows`."""
    return tuple(
        Paragraph(int(str(r[0])), int(str(r[1])), str(r[2]) if len(r) > 2 else "body") for r in rows
    )
