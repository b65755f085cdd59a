"""Ingest: turn files of any supported format into cleaned ``Article``s, and store them.

The recipe, one step per line (see ``read_articles``):

1. expand the paths given into files (directories recursively);
2. read each file into raw documents with the reader for its format;
3. identify each document's outlet: metadata > URL domain > in-text signature > the user's
   ``--outlet PATH=NAME``; unknown stays unknown;
4. count, per outlet, the short lines that recur across its articles (this batch plus the
   store), so that an outlet's furniture is learned rather than listed;
5. clean: title, boilerplate removed (kept verbatim in ``removed``), paragraphs;
6. record wire credits apart from the outlet, and hash the content for idempotent storage;
7. note how far each input file is consumed (``checkpoint.py``);
8. store each batch of articles in one transaction with the checkpoints it advances, so a
   killed run resumes where it stopped (``ingest_paths``).
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING

from rashomon.errors import InputError
from rashomon.ingest.checkpoint import (
    Progress,
    checkpoint_name,
    file_identity,
    settings_digest,
    snapshot,
)
from rashomon.ingest.clean import clean, learnable_keys, published_from
from rashomon.ingest.readers import RawDocument, expand, read_file
from rashomon.model import Article, Outlet
from rashomon.outlets import Registry, find_wire_credits, identify_outlet, is_credit_line
from rashomon.store import Store
from rashomon.textnorm import digest

if TYPE_CHECKING:
    from rashomon.sandbox import Sandbox

__all__ = ["CHUNK", "IngestSummary", "checkpoint_name", "ingest_paths", "read_articles"]

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
    for chunk in _read(paths, registry, outlet_names, store, min_recurring, sandbox):
        for item in chunk:
            yield item.value


@dataclass(slots=True)
class _Item:
    """One item read: an article (with its learnable line keys, empty for no outlet) or
    the reason an input could not be read; the input file it came from, when that file
    has a checkpoint; and the document's warnings (read only in part)."""

    value: Article | InputError
    keys: list[str]
    source: Progress | None
    warnings: tuple[tuple[str, str], ...] = ()


def _read(
    paths: Sequence[str],
    registry: Registry | None,
    outlet_names: Mapping[str, str] | None,
    store: Store | None,
    min_recurring: int,
    sandbox: Sandbox | None = None,
    resume: Callable[[str, Registry], Progress | None] | None = None,
) -> Iterator[list[_Item]]:
    """``read_articles``, one chunk at a time. With ``resume``, each file's progress is
    asked for as the file comes up: None reads it all, a complete one is not read, any
    other is read from its position on."""
    registry = registry or Registry.load()
    outlet_names = dict(outlet_names or {})

    def documents() -> Iterator[tuple[RawDocument | InputError, Progress | None]]:
        # 1.-2. expand the paths, read each file (from where it was left) with its reader
        for item in expand(list(paths)):
            if isinstance(item, InputError):
                yield item, None
                continue
            progress = resume(item, registry) if resume is not None else None
            if progress is not None and progress.complete:
                continue
            for doc in read_file(item, sandbox, progress.start if progress else 0):
                yield doc, progress
            if progress is not None:
                progress.exhausted = True

    stream = documents()
    while chunk := list(islice(stream, CHUNK)):
        # 3. outlets
        docs = [d for d, _ in chunk if isinstance(d, RawDocument)]
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
        items: list[_Item] = []
        for doc, progress in chunk:
            if isinstance(doc, InputError):
                items.append(_Item(doc, [], progress))
                continue
            outlet, via = outlets[doc.id]
            recurring = counts.get(outlet.name) if outlet is not None else None
            # 5.-6. clean, credit, hash
            article = _build(doc, registry, outlet, via, recurring, min_recurring)
            items.append(_Item(article, keys[doc.id] if outlet is not None else [], progress, doc.warnings))
        yield items


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
    """Counts of one ingest run, and the reason for every input that was skipped.

    read, new, duplicate: articles read, stored, and found already stored. Items that a
    checkpoint shows an earlier (interrupted) run stored count as read and duplicate,
    and in ``resumed``; their failures and warnings are reported again.
    failures: inputs that could not be read, with the reason (the first ``MAX_LISTED``
        per file for a resumed file; ``more_failures`` counts the rest).
    warnings: (kind, document id, message) for documents read only in part ("deep
        nesting": libxml2 dropped markup nested deeper than 256 elements; "size limit").
    annotated, annotation_failures: filled in by an engine that annotates (see
        ``rashomon.engine``): annotations stored, and articles whose annotation failed
        (stored nonetheless), each with the reason.
    """

    read: int = 0
    new: int = 0
    duplicate: int = 0
    failures: list[InputError] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)
    resumed: int = 0
    more_failures: int = 0
    warnings: list[tuple[str, str, str]] = field(default_factory=list)
    more_warnings: int = 0
    annotated: int = 0
    annotation_failures: list[InputError] = field(default_factory=list)

    @property
    def skipped(self) -> int:
        return len(self.failures) + self.more_failures

    def warning_counts(self) -> Counter[str]:
        """How many documents were read only in part, per kind (listed or not)."""
        counts = Counter(kind for kind, _id, _message in self.warnings)
        if self.more_warnings:
            counts["other"] += self.more_warnings
        return counts


# Test-only: with RASHOMON_TEST_CHECKPOINT_FIRST=1 each batch's checkpoint is committed in
# its own transaction BEFORE the batch's rows, the classic bug that loses rows when the
# process dies in between. It exists so that tests/engine/test_resume.py can show that its
# kill test detects loss; never set it outside that test.
TEST_CHECKPOINT_FIRST = "RASHOMON_TEST_CHECKPOINT_FIRST"


def ingest_paths(
    paths: Sequence[str],
    store: Store,
    *,
    registry: Registry | None = None,
    outlet_names: Mapping[str, str] | None = None,
    min_recurring: int = 3,
    on_item: Callable[[Article | InputError], None] | None = None,
    sandbox: Sandbox | None = None,
    in_batch: Callable[[list[Article]], None] | None = None,
    after_batch: Callable[[list[Article]], None] | None = None,
) -> IngestSummary:
    """Read ``paths`` and add every article to ``store``; a bad input is counted and
    reported, and the rest of the batch goes on. Re-ingesting the same files adds nothing.

    Resumable: articles are stored in batches of ``CHUNK`` items, each batch in one store
    transaction together with the checkpoint of every input file it covers, so a run
    killed at any moment leaves whole batches; run again, it goes on where the last
    batch ended (files already covered are not read again) and reports the whole input.

    in_batch: called with the batch's new articles inside the batch's transaction (to
        write more that must commit with them); after_batch: called once it committed.
    """
    summary = IngestSummary()
    registry = registry or Registry.load()
    names = dict(outlet_names or {})
    registry_digest = settings_digest([repr(registry.entries)])
    progress: dict[str, Progress] = {}

    def resume(path: str, reg: Registry) -> Progress | None:
        name = checkpoint_name(path)
        if name in progress:  # the same file named twice: read once
            return Progress(path, name, "", complete=True)
        settings = settings_digest([registry_digest, _user_outlet(path, names), min_recurring])
        identity = file_identity(path, settings)
        if identity is None:
            return None
        p = progress[name] = Progress.load(path, identity, store.get_checkpoint(name))
        # What an earlier run covered counts as read now (and is all stored: duplicates).
        summary.read += p.read
        summary.duplicate += p.read
        summary.resumed += p.read
        for error in p.covered_failures():
            summary.failures.append(error)
            if on_item is not None:
                on_item(error)
        summary.more_failures += p.more_failures
        summary.warnings.extend((k, i, m) for k, i, m in p.warnings)
        summary.more_warnings += p.more_warnings
        return p

    checkpoint_first = os.environ.get(TEST_CHECKPOINT_FIRST) == "1"
    for chunk in _read(paths, registry, names, store, min_recurring, sandbox, resume):
        # 7. bookkeeping: how far each file is consumed once this batch is stored
        for item in chunk:
            source = item.source
            if source is None:
                continue
            source.position += 1
            source.dirty = True
            if isinstance(item.value, InputError):
                source.add_failure(item.value)
            else:
                source.read += 1
                for kind, message in item.warnings:
                    source.add_warning(kind, item.value.id, message)
        _mark_exhausted(progress)
        if checkpoint_first:
            with store.transaction():
                _write_checkpoints(store, progress)
        # 8. store the batch and its checkpoints in one transaction
        new: list[Article] = []
        with store.transaction():
            for item in chunk:
                if isinstance(item.value, InputError):
                    continue
                result = store.add_article(item.value, item.keys)
                if result.status == "new":
                    new.append(item.value)
                else:
                    summary.duplicate += 1
            if not checkpoint_first:
                _write_checkpoints(store, progress)
            if in_batch is not None:
                in_batch(new)
        for item in chunk:
            if isinstance(item.value, InputError):
                summary.failures.append(item.value)
            else:
                summary.read += 1
                summary.warnings.extend((k, item.value.id, m) for k, m in item.warnings)
            if on_item is not None:
                on_item(item.value)
        summary.new += len(new)
        summary.new_ids.extend(a.id for a in new)
        if after_batch is not None:
            after_batch(new)
    # Files that ended exactly at a batch's end are known to be complete only now.
    _mark_exhausted(progress)
    if any(p.dirty for p in progress.values()):
        with store.transaction():
            _write_checkpoints(store, progress)
    return summary


def _mark_exhausted(progress: Mapping[str, Progress]) -> None:
    for p in progress.values():
        if p.exhausted and not p.complete:
            p.complete = p.dirty = True


def _write_checkpoints(store: Store, progress: Mapping[str, Progress]) -> None:
    for name, value in snapshot(progress).items():
        store.set_checkpoint(name, value)
    for p in progress.values():
        p.dirty = False
