"""The local engine: ingest into the store, and annotate the new articles in a pool of
killable worker processes, all on this machine. The recipe:

1. annotate what an earlier, interrupted run stored but did not annotate (the articles
   named by the ``annotate:pending`` checkpoint);
2. read, clean and store the inputs in batches, each batch in one transaction with its
   checkpoints (``rashomon.ingest.ingest_paths``), which also adds the batch's new
   articles to ``annotate:pending``;
3. hand each committed batch to the annotation thread, which runs it through a
   :class:`~rashomon.sandbox.Sandbox` of ``workers`` processes (each document under the
   time and memory limits; one that exceeds them is reported as failed, with the reason,
   and stays stored), while the main thread reads the next batch;
4. store each annotation as the derived result ``annotation``/``annotation_key(...)``
   (:mod:`rashomon.nlp.serial`), a few at a time, each group in one transaction with the
   shrunken ``annotate:pending``.

Results do not depend on the number of workers: articles are stored in reading order by
the main thread alone, and an annotation is a pure function of its article.
"""

from __future__ import annotations

import json
import os
import queue
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from rashomon.errors import InputError
from rashomon.ingest import IngestSummary, ingest_paths
from rashomon.model import Article
from rashomon.nlp.serial import DERIVED_KIND, annotation_key, pipeline_info, to_json
from rashomon.outlets import Registry
from rashomon.sandbox import Failed, Ok, Sandbox
from rashomon.store import Store

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "PENDING",
    "AnnotateOptions",
    "Annotator",
    "annotate_for_store",
    "annotate_many_for_store",
    "annotate_stored",
    "local_ingest",
    "spacy_annotator",
]

# Checkpoint naming the stored articles whose annotation is not stored yet.
PENDING = "annotate:pending"
# Annotations are committed in groups of this many (fewer at the end): a kill loses at
# most one group's work, and a transaction per document would cost more than it saves.
COMMIT_EVERY = 32
# Articles per worker call when the annotator can take several (see Annotator.many).
GROUP = 8
# The main thread stops reading while this many stored articles wait for annotation, so
# the pending list (rewritten with every batch) and memory stay bounded.
MAX_BACKLOG = 1000


@dataclass(frozen=True, slots=True)
class Annotator:
    """What the workers run: ``func(article) -> (annotation key, payload)``, after
    ``initializer()`` once per worker. All must be importable module-level callables
    (or partials of them): they travel to the workers by pickle.

    many: optionally, ``func`` over a few articles at once (spaCy parses a batch faster
    than its documents one by one). A batch runs under the limits of one document; a
    batch that fails is run again document by document, so that a document over the
    limits fails alone and only the batch's time is lost.
    """

    func: Callable[[Article], tuple[str, str]]
    initializer: Callable[[], object] | None = None
    many: Callable[[list[Article]], list[tuple[str, str]]] | None = None


@dataclass(frozen=True, slots=True)
class AnnotateOptions:
    """How to annotate during ingest.

    workers: worker processes (None: ``os.cpu_count()``).
    seconds, memory_mb: per-document limits (see :class:`~rashomon.sandbox.Sandbox`).
    pipeline: the spaCy pipeline name ("" or None: the default one).
    annotator: what the workers run (None: the spaCy annotator for ``pipeline``).
    """

    workers: int | None = None
    seconds: float = 60.0
    memory_mb: int | None = 2048
    pipeline: str | None = None
    annotator: Annotator | None = None
    startup_seconds: float = 120.0


# --- worker side -----------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def load_worker_pipeline(name: str | None) -> None:
    """Worker initializer: load the spaCy pipeline once for every document to come."""
    from rashomon.nlp import load_pipeline

    nlp = load_pipeline(name or None)
    _WORKER["nlp"] = nlp
    _WORKER["info"] = pipeline_info(nlp)


def annotate_for_store(article: Article) -> tuple[str, str]:
    """Annotate one article in a worker: its annotation key and JSON payload."""
    from rashomon.nlp import annotate

    if "nlp" not in _WORKER:
        load_worker_pipeline(None)
    nlp: Language = _WORKER["nlp"]
    return annotation_key(article, _WORKER["info"]), to_json(annotate(article, nlp))


def annotate_many_for_store(articles: list[Article]) -> list[tuple[str, str]]:
    """``annotate_for_store`` over a few articles in one spaCy stream."""
    from rashomon.nlp import annotate_many

    if "nlp" not in _WORKER:
        load_worker_pipeline(None)
    nlp: Language = _WORKER["nlp"]
    info = _WORKER["info"]
    return [
        (annotation_key(a, info), to_json(n)) for a, n in zip(articles, annotate_many(articles, nlp), strict=True)
    ]


def spacy_annotator(pipeline: str | None = None) -> Annotator:
    """The annotation stage with the spaCy pipeline ``pipeline`` (None: the default)."""
    return Annotator(annotate_for_store, partial(load_worker_pipeline, pipeline or None), annotate_many_for_store)


# --- parent side -----------------------------------------------------------------------


@dataclass(slots=True)
class _Annotating:
    """The annotation thread, and the bookkeeping of what is stored but not annotated.

    Only the main thread touches the store: the thread takes batches of articles from
    ``todo`` and puts ``(article, outcome)`` pairs on ``done``.
    """

    store: Store
    summary: IngestSummary
    options: AnnotateOptions
    pending: dict[tuple[str, str], None] = field(default_factory=dict)
    todo: queue.Queue[list[Article] | None] = field(default_factory=queue.Queue)
    done: queue.Queue[tuple[Article, Any] | BaseException] = field(default_factory=queue.Queue)
    in_flight: int = 0
    thread: threading.Thread | None = None
    stop: threading.Event = field(default_factory=threading.Event)
    on_failure: Callable[[InputError], None] | None = None

    # -- the thread --

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, name="rashomon-annotate", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        options = self.options
        annotator = options.annotator or spacy_annotator(options.pipeline)
        try:
            with Sandbox(
                workers=options.workers or os.cpu_count() or 1,
                seconds=options.seconds,
                memory_mb=options.memory_mb,
                initializer=annotator.initializer,
                startup_seconds=options.startup_seconds,
            ) as sandbox:
                while (batch := self.todo.get()) is not None:
                    if not self._annotate(sandbox, annotator, batch):
                        return  # the run failed or was interrupted: stop early
        except BaseException as exc:  # handed to the main thread, which raises it
            self.done.put(exc)

    def _annotate(self, sandbox: Sandbox, annotator: Annotator, batch: list[Article]) -> bool:
        """Annotate ``batch`` onto ``done``; False when told to stop."""
        alone = batch
        if annotator.many is not None:
            alone = []
            groups = [batch[i : i + GROUP] for i in range(0, len(batch), GROUP)]
            for group, outcome in zip(groups, sandbox.map(annotator.many, ((g,) for g in groups)), strict=False):
                if self.stop.is_set():
                    return False
                if isinstance(outcome, Failed):
                    alone.extend(group)  # again one by one: only the culprit fails
                    continue
                for article, value in zip(group, outcome.value, strict=True):
                    self.done.put((article, Ok(value)))
        for article, one in zip(alone, sandbox.map(annotator.func, ((a,) for a in alone)), strict=False):
            if self.stop.is_set():
                return False
            self.done.put((article, one))
        return True

    # -- the main thread --

    def submit(self, articles: list[Article]) -> None:
        if articles:
            self.in_flight += len(articles)
            self.todo.put(articles)

    def collect(self, *, backlog: int) -> None:
        """Store finished annotations until at most ``backlog`` are still in flight."""
        ready: list[tuple[Article, Any]] = []
        while self.in_flight > 0:
            try:
                item = self.done.get(block=self.in_flight > backlog)
            except queue.Empty:
                break
            if isinstance(item, BaseException):
                raise item
            ready.append(item)
            self.in_flight -= 1
            if len(ready) >= COMMIT_EVERY:
                self._commit(ready)
                ready = []
        self._commit(ready)

    def close(self) -> None:
        self.stop.set()
        self.todo.put(None)
        if self.thread is not None:
            self.thread.join(timeout=30.0)

    def _commit(self, ready: list[tuple[Article, Any]]) -> None:
        if not ready:
            return
        failed: list[InputError] = []
        with self.store.transaction():
            for article, outcome in ready:
                self.pending.pop((article.id, article.content_hash), None)
                if isinstance(outcome, Failed):
                    failed.append(InputError(article.id, f"annotation: {outcome.reason}"))
                else:
                    key, payload = outcome.value
                    self.store.put_derived(DERIVED_KIND, key, payload)
            self.write_pending()
        self.summary.annotated += len(ready) - len(failed)
        self.summary.annotation_failures.extend(failed)
        if self.on_failure is not None:
            for error in failed:
                self.on_failure(error)

    def write_pending(self) -> None:
        self.store.set_checkpoint(PENDING, json.dumps(list(self.pending), ensure_ascii=True))

    def add_pending(self, articles: list[Article]) -> None:
        """Inside a batch's transaction: its new articles await annotation."""
        for a in articles:
            self.pending[(a.id, a.content_hash)] = None
        if articles:
            self.write_pending()

    def leftovers(self) -> Iterator[Article]:
        """The articles an earlier run stored but did not annotate (still stored as such)."""
        value = self.store.get_checkpoint(PENDING)
        try:
            entries = json.loads(value) if value else []
        except ValueError:
            entries = []
        for entry in entries if isinstance(entries, list) else []:
            if not (isinstance(entry, list) and len(entry) == 2):
                continue
            article = self.store.get(str(entry[0]))
            if article is not None and article.content_hash == entry[1]:
                self.pending[(article.id, article.content_hash)] = None
                yield article


@contextmanager
def _annotation_run(
    store: Store, summary: IngestSummary, options: AnnotateOptions, on_failure: Callable[[InputError], None] | None
) -> Iterator[_Annotating]:
    """The annotation thread for one run: started with what an earlier, interrupted run
    left pending; on leaving, every annotation handed to it stored, then stopped."""
    work = _Annotating(store, summary, options, on_failure=on_failure)
    work.start()
    try:
        work.submit(list(work.leftovers()))
        yield work
        work.collect(backlog=0)
    finally:
        work.close()


def local_ingest(
    paths: Sequence[str],
    store: Store,
    *,
    registry: Registry | None = None,
    outlet_names: Mapping[str, str] | None = None,
    min_recurring: int = 3,
    on_item: Callable[[Article | InputError], None] | None = None,
    sandbox: Sandbox | None = None,
    annotate: AnnotateOptions | None = None,
    on_annotation_failure: Callable[[InputError], None] | None = None,
) -> IngestSummary:
    """Ingest ``paths`` into ``store`` (resumably, see ``ingest_paths``) and, unless
    ``annotate`` is None, annotate every new article and store its annotation.

    sandbox: the extraction sandbox for HTML (see ``read_articles``).
    on_annotation_failure: called with each article whose annotation failed ("ID:
        annotation: took longer than 60 s; stopped"); the article stays stored.
    """
    if annotate is None:
        return ingest_paths(
            paths, store, registry=registry, outlet_names=outlet_names,
            min_recurring=min_recurring, on_item=on_item, sandbox=sandbox,
        )
    summary = IngestSummary()
    # 1. what an earlier run left unannotated (and 4., on leaving: the rest)
    with _annotation_run(store, summary, annotate, on_annotation_failure) as work:

        def after_batch(new: list[Article]) -> None:
            # 3. annotate in the background while the next batch is read
            work.submit(new)
            work.collect(backlog=MAX_BACKLOG)

        # 2. read, clean, store (each batch's new articles join the pending list)
        result = ingest_paths(
            paths, store, registry=registry, outlet_names=outlet_names,
            min_recurring=min_recurring, on_item=on_item, sandbox=sandbox,
            in_batch=work.add_pending, after_batch=after_batch,
        )
    result.annotated = summary.annotated
    result.annotation_failures = summary.annotation_failures
    return result


# Stored articles looked at per round of ``annotate_stored`` (a page of the store).
STORED_PAGE = 500


@dataclass(slots=True)
class StoredSummary:
    """What ``annotate_stored`` did: articles annotated now, failed, already annotated."""

    annotated: int = 0
    failed: list[InputError] = field(default_factory=list)
    already: int = 0


def annotate_stored(
    store: Store,
    options: AnnotateOptions | None = None,
    *,
    on_failure: Callable[[InputError], None] | None = None,
) -> StoredSummary:
    """Annotate every stored article whose annotation (for ``options.pipeline``) is not
    stored: those ingested with ``--no-annotate``, those whose annotation failed, and all
    of them after a change of pipeline or Rashomon version. The same workers, limits and
    ``annotate:pending`` bookkeeping as ingest, so a killed run continues where it stopped.
    """
    from rashomon.nlp import load_pipeline

    options = options or AnnotateOptions()
    info = pipeline_info(load_pipeline(options.pipeline or None))
    summary = IngestSummary()
    out = StoredSummary()
    with _annotation_run(store, summary, options, on_failure) as work:
        # Ids first, then the articles a page at a time: nothing reads the store while
        # the same connection commits annotations.
        ids = [a.id for start in range(0, store.count(), STORED_PAGE) for a in store.articles(STORED_PAGE, start)]
        for start in range(0, len(ids), STORED_PAGE):
            todo: list[Article] = []
            for article_id in ids[start : start + STORED_PAGE]:
                article = store.get(article_id)
                if article is None or (article.id, article.content_hash) in work.pending:
                    continue
                if store.get_derived(DERIVED_KIND, annotation_key(article, info)) is not None:
                    out.already += 1
                else:
                    todo.append(article)
            with store.transaction():
                work.add_pending(todo)
            work.submit(todo)
            work.collect(backlog=MAX_BACKLOG)
    out.annotated = summary.annotated
    out.failed = summary.annotation_failures
    return out
