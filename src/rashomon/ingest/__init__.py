"""Ingest: turn files of any supported format into cleaned ``Article``s, and store them.

The recipe, one step per line (see ``read_articles``):

1. expand the paths given into files (directories recursively);
2. read each file into raw documents with the reader for its format;
3. identify each document's outlet: metadata > URL domain > in-text signature > the user's
   ``--outlet PATH=NAME``; unknown stays unknown;
4. count, per outlet, the short lines that recur across its articles (this batch plus the
   store), so that an outlet's furniture is learned rather than listed;
5. clean: title, boilerplate removed (kept verbatim in ``removed``), paragraphs;
6. record wire credits apart from the outlet, and hash the content for idempotent storage.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING

from rashomon.errors import InputError
from rashomon.ingest.clean import clean, learnable_keys, published_from
from rashomon.ingest.readers import RawDocument, expand, read_file
from rashomon.model import Article, Outlet
from rashomon.outlets import Registry, find_wire_credits, identify_outlet, is_credit_line
from rashomon.store import Store
from rashomon.textnorm import digest

if TYPE_CHECKING:
    from rashomon.sandbox import Sandbox

__all__ = ["IngestSummary", "ingest_paths", "read_articles"]

# Documents are cleaned in chunks: recurring lines are counted across a chunk before any of
# it is cleaned, while memory stays bounded on archives of millions of articles.
CHUNK = 500


def read_articles(
    paths: Sequence[str],
    *,
    registry: Registry | None = None,
    outlet_names: Mapping[str, str] | None = None,
    store: Store | None = None,
    min_recurring: int = 3,
    sandbox: Sandbox | None = None,
) -> Iterator[Article | InputError]:
    """Read every article under ``paths``, yielding an ``InputError`` for each input
    (file, or line of a file) that cannot be read. Nothing is stored here. With a
    ``sandbox``, HTML extraction runs in its workers under its time and memory limits."""
    for item, _keys in _read(paths, registry, outlet_names, store, min_recurring, sandbox):
        yield item


def _read(
    paths: Sequence[str],
    registry: Registry | None,
    outlet_names: Mapping[str, str] | None,
    store: Store | None,
    min_recurring: int,
    sandbox: Sandbox | None = None,
) -> Iterator[tuple[Article | InputError, list[str]]]:
    """``read_articles``, with each article's learnable line keys (empty for no outlet)."""
    registry = registry or Registry.load()
    outlet_names = dict(outlet_names or {})

    def documents() -> Iterator[RawDocument | InputError]:
        # 1.-2. expand the paths, read each file with the reader for its format
        for item in expand(list(paths)):
            if isinstance(item, InputError):
                yield item
            else:
                yield from read_file(item, sandbox)

    stream = documents()
    while chunk := list(islice(stream, CHUNK)):
        # 3. outlets
        docs = [d for d in chunk if isinstance(d, RawDocument)]
        outlets = {
            d.id: identify_outlet(
                registry,
                metadata_name=d.site,
                url=d.url,
                text=d.text,
                user_name=_user_outlet(d.path, outlet_names),
            )
            for d in docs
        }
        # 4. recurring lines per outlet: distinct articles holding each line key
        keys = {d.id: learnable_keys(d.text) for d in docs}
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for d in docs:
            outlet = outlets[d.id][0]
            if outlet is not None:
                counts[outlet.name].update(keys[d.id])
        if store is not None:
            for name, counter in counts.items():
                for key, n in store.line_counts(name, list(counter)).items():
                    counter[key] += n
        for item in chunk:
            if isinstance(item, InputError):
                yield item, []
                continue
            outlet, via = outlets[item.id]
            recurring = counts.get(outlet.name) if outlet is not None else None
            # 5.-6. clean, credit, hash
            article = _build(item, registry, outlet, via, recurring, min_recurring)
            yield article, keys[item.id] if outlet is not None else []


def _user_outlet(path: str, names: Mapping[str, str]) -> str | None:
    """The outlet the user named for this path, or for a directory holding it."""
    if path in names:
        return names[path]
    for given, name in names.items():
        if path.startswith(given.rstrip("/") + "/"):
            return name
    return None


def _build(
    doc: RawDocument,
    registry: Registry,
    outlet: Outlet | None,
    via: str | None,
    recurring: Mapping[str, int] | None,
    min_recurring: int,
) -> Article:
    cleaned = clean(
        doc.text,
        title=doc.title,
        title_in_text=doc.title_in_text,
        is_credit_line=partial(is_credit_line, registry=registry),
        recurring=dict(recurring) if recurring else None,
        min_recurring=min_recurring,
    )
    return Article(
        id=doc.id,
        path=doc.path,
        text=doc.text,
        title=cleaned.title if cleaned.title is not None else doc.title,
        title_span=cleaned.title_span,
        published=doc.published or published_from(cleaned.removed),
        url=doc.url,
        outlet=outlet,
        outlet_via=via,
        wire=tuple(find_wire_credits(doc.text, registry)),
        removed=cleaned.removed,
        paragraphs=cleaned.paragraphs,
        language=doc.language,
        authors=doc.authors,
        encoding=doc.encoding,
        source_format=doc.source_format,
        # The raw text, not the cleaned one: what is learned as boilerplate changes over
        # time, and re-ingesting the same file must still be recognised as a duplicate.
        content_hash=digest(outlet.name if outlet else None, doc.title, doc.text),
    )


@dataclass(slots=True)
class IngestSummary:
    """Counts of one ingest run, and the reason for every input that was skipped."""

    read: int = 0
    new: int = 0
    duplicate: int = 0
    failures: list[InputError] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.failures)


def ingest_paths(
    paths: Sequence[str],
    store: Store,
    *,
    registry: Registry | None = None,
    outlet_names: Mapping[str, str] | None = None,
    min_recurring: int = 3,
    on_item: Callable[[Article | InputError], None] | None = None,
    sandbox: Sandbox | None = None,
) -> IngestSummary:
    """Read ``paths`` and add every article to ``store``; a bad input is counted and
    reported, and the rest of the batch goes on. Re-ingesting the same files adds nothing."""
    summary = IngestSummary()
    for item, keys in _read(paths, registry, outlet_names, store, min_recurring, sandbox):
        if isinstance(item, InputError):
            summary.failures.append(item)
        else:
            summary.read += 1
            result = store.add_article(item, keys)
            if result.status == "new":
                summary.new += 1
                summary.new_ids.append(item.id)
            else:
                summary.duplicate += 1
        if on_item is not None:
            on_item(item)
    return summary
