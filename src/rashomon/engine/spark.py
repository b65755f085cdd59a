"""The Apache Spark engine: ``rashomon ingest --engine spark [--master URL]``.

    pip install 'rashomon[spark]'          # pyspark; Spark needs Java 17 or newer
    summary = spark_ingest(paths, store)   # local[*] by default, any master by URL

The same recipe as the local engine (:mod:`rashomon.engine.local`), with annotation (about
97% of the work: ~3 ms to read, clean and store an article, ~90 ms to annotate it on these
machines) run by Spark:

1. finish what an earlier run of either engine stored but did not annotate (the local
   engine's ``annotate:pending`` checkpoint, shared as is);
2. read, identify outlets, count recurring lines, clean and store, in batches with their
   checkpoints: ``rashomon.ingest.ingest_paths`` itself, on the driver's main thread;
3. hand each committed batch's new articles to Spark at once, as a job submitted from a
   background thread (two at most running, so that the next job's tasks fill the cores
   while one ends), and go on reading the next batch meanwhile. A job is cut into tasks
   that shrink from big to small (``_task_sizes``), so that every core finishes within a
   few articles of the others. The executors (``mapPartitions``) run the local engine's
   own worker functions as it does: ``annotate_many_for_store`` over a few articles in
   one spaCy stream, article by article again when that fails or runs past the limit;
   the pipeline is loaded once per Python worker (a module-level cache; Spark reuses its
   Python workers between tasks);
4. write Parquet, one directory per job: ``ordinal``, ``id``, ``content_hash``,
   ``annotation_key``, ``article`` (JSON, ``article_to_json``), ``annotation`` (JSON,
   ``rashomon.nlp.serial``), ``error``; the job's thread reads back the columns the store
   needs and puts them in input order (a job is small: no Spark sort, no shuffle);
5. load the annotations into the store on the main thread, job after job in input order,
   a group per transaction together with the shrunken pending list; a finished job is
   loaded between batches, while later jobs run.

Steps 3-5 overlap step 2 and one another, so with N cores the driver's serial work
(reading, storing, loading) does not leave executor cores idle; the results do not
depend on the overlap, since the main thread alone touches the store, in input order.
A killed run leaves whole transactions: stored articles not yet annotated are named by
``annotate:pending`` and annotated first by the next run. A local master's JVM (the
executor too) compiles with C1 only (``_java_options``): its share is small, and C2's
compiling took CPU from the Python workers.

Why step 2 runs on the driver. The results must equal the local engine's, and cleaning
is not a per-document map: a batch's recurring-line counts are its own plus the store's
*after the previous batch was stored*, and which earlier articles were new (and so
counted) is known only once the store has answered ``add_article``. Counting the whole
input in one Spark aggregation would remove different lines, hence store different
articles. Reading on the executors and feeding the documents back in order would keep the
results, but ``ingest_paths`` reads its files itself (``read_file``, with the per-file
checkpoints that make a killed run resumable) and offers no hook for documents read
elsewhere; re-implementing its batching and checkpoints here would be a second copy to
keep in step. So the driver runs it unchanged, and the engines agree by construction.

Local masters (``local``, ``local[N]``, ``local[*]``) listen on 127.0.0.1 only and run
their Python workers with this interpreter; the Spark UI is off. With a cluster master
the executors need ``rashomon[spark]`` installed, and ``workdir`` must be a directory
that the driver and every executor can reach (HDFS, S3, a shared mount).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, cast

from rashomon.errors import InputError, MissingExtraError
from rashomon.ingest import IngestSummary, ingest_paths
from rashomon.model import Article, Outlet, Paragraph, Removed, WireCredit

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

    from rashomon.outlets import Registry
    from rashomon.sandbox import Sandbox
    from rashomon.store import Store

__all__ = ["DEFAULT_MASTER", "article_from_json", "article_to_json", "spark_ingest", "spark_session"]

DEFAULT_MASTER = "local[*]"
# The driver holds one batch of documents and one slice of articles at a time; the
# executors' Python workers (spaCy) live outside the JVM heap. 2 GiB covers Spark's own
# bookkeeping with room to spare; spark-submit's --driver-memory overrides it.
DRIVER_MEMORY = "2g"
# Articles handed to the executors and not loaded yet, at most (beyond it the driver waits
# for the oldest job before submitting another): bounds the driver's memory on archives
# of millions of articles.
MAX_IN_FLIGHT = 20_000
# Articles per annotation job, at most: a job's results are read back whole by the driver.
JOB_ARTICLES = 2_000
# While a job runs, queued articles wait for more until there are this many per core
# (a job has fixed costs: scheduling, a Parquet directory, reading it back).
MIN_JOB_PER_CORE = 16
# Jobs running at once: two, so that the next job's tasks fill the cores while the one
# before finishes, and its Parquet is read back while the next one runs.
JOBS_AT_ONCE = 2
# The scheduler pool of the read-back jobs (with the FAIR scheduler of ``spark_session``;
# a session made elsewhere keeps its own mode, and the read-back waits its turn there).
LOAD_POOL = "rashomon-load"
# Task sizes within a job (``_task_sizes``): from n / (GUIDED * cores) down to MIN_TASK.
GUIDED = 2
MIN_TASK = 8  # local.GROUP: a task makes whole spaCy groups
# Annotations loaded into the store per transaction.
LOAD_BATCH = 500

# Executor side, per Python worker process: the pipeline loaded last (... for none yet).
_LOADED: dict[str, object] = {}


# --- the session ---------------------------------------------------------------------------


def _is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


# Errors only. Spark treats PySpark as an interpreter and takes its level from the Python
# gateway's logger: naming that at the root's level keeps Spark from announcing (on
# stderr, around the CLI's output) that it set a "default log level". The JVM's own
# "Using incubator modules" line comes before any logging and stays.
_LOG4J = """\
rootLogger.level = error
logger.repl.name = org.apache.spark.api.python.PythonGatewayServer
logger.repl.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = spark %p %c{1}: %m%n
"""


def _java_options(master: str, log4j: str) -> str:
    """The driver JVM's options: the quiet logging; with a local master also
    ``-XX:TieredStopAtLevel=1`` (the quick C1 compiler only). There the JVM is the
    executor too, and its share of the work is small (rows between Python and Parquet, a
    few ms an article against spaCy's ~100): the optimising C2 compiler spent more CPU
    compiling it than its code saved (1.6-2.6 s of the ~35 CPU seconds of a 300-article
    run even after two warm-up runs), on the cores the Python workers need."""
    options = f"-Dlog4j2.configurationFile=file:{log4j}"
    return f"{options} -XX:TieredStopAtLevel=1" if _is_local(master) else options


@contextmanager
def spark_session(master: str = DEFAULT_MASTER, workdir: str | None = None) -> Iterator[SparkSession]:
    """A quiet SparkSession for ``master``, stopped on exit.

    An active session is reused (and left running) when its master is the one asked for,
    so tests and notebooks pay Spark's start-up once. ``workdir``: Spark's scratch space
    (shuffle and spill files), a fresh temporary directory when None.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise MissingExtraError("pyspark", "spark") from exc

    active = SparkSession.getActiveSession()
    if active is not None and active.sparkContext.master == master:
        yield active
        return
    if active is not None:
        active.stop()
    scratch = tempfile.mkdtemp(prefix="rashomon-spark-", dir=workdir)
    log4j = os.path.join(scratch, "log4j2.properties")
    with open(log4j, "w", encoding="utf-8") as fh:
        fh.write(_LOG4J)
    builder = (
        SparkSession.builder.master(master)
        .appName("rashomon-ingest")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", DRIVER_MEMORY)
        .config("spark.local.dir", scratch)
        .config("spark.sql.warehouse.dir", os.path.join(scratch, "warehouse"))
        .config("spark.driver.extraJavaOptions", _java_options(master, log4j))
        .config("spark.python.worker.reuse", "true")
        # Pools: a job's read-back (LOAD_POOL) takes the next free core ahead of the
        # annotation tasks queued behind it, instead of waiting for all of them.
        .config("spark.scheduler.mode", "FAIR")
    )
    if _is_local(master):
        # No network: a local run listens on the loopback interface only, and its
        # workers run this interpreter (this virtual environment's packages).
        builder = (
            builder.config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
        )
        # PySpark starts its local workers with $PYSPARK_PYTHON ("python3" when unset),
        # which need not see this environment's packages: default it to this interpreter.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()
        shutil.rmtree(scratch, ignore_errors=True)


# --- articles as JSON (the Parquet ``article`` column) -------------------------------------


def article_to_json(article: Article) -> str:
    """The article as one line of ASCII JSON; ``article_from_json`` gives it back equal."""
    o = article.outlet
    record = {
        "id": article.id,
        "path": article.path,
        "text": article.text,
        "title": article.title,
        "title_span": article.title_span,
        "published": article.published,
        "url": article.url,
        "outlet": None
        if o is None
        else [o.name, o.domains, o.country, o.language, o.ownership, o.signatures, o.source, o.kind],
        "outlet_via": article.outlet_via,
        "wire": [[w.name, w.start, w.end] for w in article.wire],
        "removed": [[r.start, r.end, r.text, r.rule] for r in article.removed],
        "paragraphs": [[p.start, p.end, p.kind] for p in article.paragraphs],
        "language": article.language,
        "authors": article.authors,
        "encoding": article.encoding,
        "source_format": article.source_format,
        "content_hash": article.content_hash,
    }
    return json.dumps(record, ensure_ascii=True, separators=(",", ":"))


def article_from_json(payload: str) -> Article:
    """The Article written by ``article_to_json``."""
    d = json.loads(payload)
    o = d["outlet"]
    outlet = (
        None
        if o is None
        else Outlet(o[0], tuple(o[1]), o[2], o[3], o[4], tuple(o[5]), o[6], o[7])
    )
    return Article(
        id=d["id"],
        path=d["path"],
        text=d["text"],
        title=d["title"],
        title_span=(d["title_span"][0], d["title_span"][1]) if d["title_span"] is not None else None,
        published=d["published"],
        url=d["url"],
        outlet=outlet,
        outlet_via=d["outlet_via"],
        wire=tuple(WireCredit(*w) for w in d["wire"]),
        removed=tuple(Removed(*r) for r in d["removed"]),
        paragraphs=tuple(Paragraph(*p) for p in d["paragraphs"]),
        language=d["language"],
        authors=tuple(d["authors"]),
        encoding=d["encoding"],
        source_format=d["source_format"],
        content_hash=d["content_hash"],
    )


# --- executor side (module-level functions: Spark pickles them by reference) ---------------

_Row = tuple[int, str, str, str, str, str | None, str | None]


class _TookTooLong(Exception):
    """Raised in an executor's Python worker when an article's annotation runs past its limit."""


@contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """Raise _TookTooLong in this (main) thread after ``seconds``: a timer signal, checked
    whenever Python code runs (spaCy returns to Python between components and chunks).
    Outside the main thread, or with no limit, nothing is timed."""
    import signal
    import threading

    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _TookTooLong

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _groups(rows: Iterable[tuple[int, str]], size: int) -> Iterator[list[tuple[int, str]]]:
    """``rows`` in lists of ``size`` (the last one shorter)."""
    it = iter(rows)
    while group := list(islice(it, size)):
        yield group


def _annotate_partition(
    rows: Iterable[tuple[int, str]], pipeline: str | None, seconds: float | None = None
) -> Iterator[_Row]:
    """Step 3 over one partition of (ordinal, article JSON): (ordinal, id, content hash,
    annotation key, article JSON, annotation JSON or None, error or None).

    The local engine's worker functions do the work, as the local engine calls them: a
    few articles at a time in one spaCy stream (``annotate_many_for_store``, ``GROUP`` of
    them, under the limit of one article), and a group that raises or runs past
    ``seconds`` again article by article (``annotate_for_store``), so that only the
    culprit fails. The pipeline is loaded once per Python worker process, which Spark
    reuses from task to task. A failed article is reported with the reason (the local
    engine's words) and stays stored, as in the local engine. Memory is not limited here:
    an executor's memory is the cluster's to set.
    """
    from rashomon.engine import local

    if _LOADED.get("pipeline", ...) != pipeline:
        local.load_worker_pipeline(pipeline)
        _LOADED["pipeline"] = pipeline
    for group in _groups(rows, local.GROUP):
        articles = [article_from_json(payload) for _, payload in group]
        try:
            with _time_limit(seconds):
                results = local.annotate_many_for_store(articles)
        except Exception:  # _TookTooLong included: again one by one
            for (ordinal, payload), article in zip(group, articles, strict=True):
                yield _annotate_one(ordinal, payload, article, seconds)
            continue
        for (ordinal, payload), article, (key, annotation) in zip(group, articles, results, strict=True):
            yield ordinal, article.id, article.content_hash, key, payload, annotation, None


def _annotate_one(ordinal: int, payload: str, article: Article, seconds: float | None) -> _Row:
    """One article alone, under the time limit: its row, with the error if it failed."""
    from rashomon.engine import local

    try:
        with _time_limit(seconds):
            key, annotation = local.annotate_for_store(article)
    except _TookTooLong:
        return ordinal, article.id, article.content_hash, "", payload, None, f"took longer than {seconds:g} s; stopped"
    except Exception as exc:  # reported per article, like the local engine's Failed
        return ordinal, article.id, article.content_hash, "", payload, None, f"{type(exc).__name__}: {exc}"
    return ordinal, article.id, article.content_hash, key, payload, annotation, None


def _annotate_tasks(
    tasks: Iterable[list[tuple[int, str]]], pipeline: str | None, seconds: float | None
) -> Iterator[_Row]:
    """A partition holding one task's list of (ordinal, article JSON) (see ``_task_sizes``)."""
    return _annotate_partition((row for task in tasks for row in task), pipeline, seconds)


def _task_sizes(n: int, cores: int) -> list[int]:
    """How a job of ``n`` articles is split into tasks on ``cores`` cores: sizes shrinking
    from ``n / (GUIDED * cores)`` down to ``MIN_TASK`` (guided self-scheduling).

    Spark starts a job's tasks in order. Big first tasks amortise a task's fixed costs;
    small last ones let every core finish within a few articles of the others, instead
    of one core annotating the last big partition while the others idle.
    """
    sizes: list[int] = []
    left = n
    while left > 0:
        size = min(left, max(MIN_TASK, -(-left // (GUIDED * cores))))
        sizes.append(size)
        left -= size
    return sizes


# --- the driver ------------------------------------------------------------------------------

# What the driver loads per article: id, content hash, annotation key, annotation, error.
_Loaded = tuple[str, str, str, str | None, str | None]


class _Annotations:
    """Steps 3-5 for the articles the batches stored: annotate them on the executors in
    jobs submitted from background threads (Parquet written, then read back), load the
    results into the store on the calling thread, in input order. Keeps the local
    engine's ``annotate:pending`` checkpoint up to date, so either engine finishes what
    the other left when a run is killed.

    Only the calling (main) thread touches the store; the background threads only talk
    to Spark. ``add`` and ``finish`` load whatever jobs finished, in submission order.
    """

    def __init__(
        self,
        spark: SparkSession,
        store: Store,
        summary: IngestSummary,
        workdir: str,
        pipeline: str | None,
        on_failure: Callable[[InputError], None] | None,
        seconds: float | None = None,
    ) -> None:
        from rashomon.engine.local import AnnotateOptions, _Annotating

        self.spark = spark
        self.store = store
        self.summary = summary
        self.workdir = workdir
        self.pipeline = pipeline
        self.seconds = seconds
        self.on_failure = on_failure
        # The local engine's pending list, reused as is (its format is the interface).
        self.pending = _Annotating(store, summary, AnnotateOptions())
        self.queue: list[Article] = []
        self.ordinal = 0
        self.slices = 0
        self.cores = max(1, spark.sparkContext.defaultParallelism)
        # Jobs submitted and not loaded yet, oldest first: (articles, their results).
        self.jobs: deque[tuple[int, Future[list[_Loaded]]]] = deque()
        self.in_flight = 0
        self.group = f"rashomon-{uuid.uuid4().hex}"
        self.closing = threading.Event()
        self.pool = ThreadPoolExecutor(max_workers=JOBS_AT_ONCE, thread_name_prefix="rashomon-spark")

    # -- the calling thread --

    def add(self, articles: Iterable[Article]) -> None:
        """Queue articles, submit what is worth a job, load the jobs that finished."""
        self.queue.extend(articles)
        self._submit(final=False)
        self._load(wait=False)

    def finish(self) -> None:
        """Submit what is left and load every job, in order."""
        self._submit(final=True)
        self._load(wait=True)

    def close(self) -> None:
        """Stop: cancel this run's Spark jobs that did not finish (after an error or an
        interruption on the calling thread), and wait for the background threads."""
        self.closing.set()  # a job not submitted to Spark yet is not submitted at all
        if any(not future.done() for _, future in self.jobs):
            self.spark.sparkContext.cancelJobGroup(self.group)
        self.pool.shutdown(wait=True, cancel_futures=True)

    def _submit(self, *, final: bool) -> None:
        """Hand the queue to the executors in jobs of at most ``JOB_ARTICLES``: at once when
        no job is running (the executors would idle), when enough waits to be worth a
        job of its own, or when there is no more to come (``final``). With
        ``MAX_IN_FLIGHT`` articles out, first load the oldest job (waiting for it)."""
        while self.queue and (
            final
            or len(self.queue) >= MIN_JOB_PER_CORE * self.cores
            or all(future.done() for _, future in self.jobs)
        ):
            if self.in_flight >= MAX_IN_FLIGHT:
                self._load_oldest()
                continue
            take = self.queue[:JOB_ARTICLES]
            del self.queue[:JOB_ARTICLES]
            payloads = [article_to_json(a) for a in take]
            out = os.path.join(self.workdir, f"annotations-{self.slices:05d}.parquet")
            self.slices += 1
            self.jobs.append((len(take), self.pool.submit(self._job, self.ordinal, payloads, out)))
            self.ordinal += len(take)
            self.in_flight += len(take)

    def _load(self, *, wait: bool) -> None:
        """Store the results of the jobs at the head of the line that finished (``wait``:
        of every job, waiting for each)."""
        while self.jobs and (wait or self.jobs[0][1].done()):
            self._load_oldest()

    def _load_oldest(self) -> None:
        count, future = self.jobs[0]
        loaded = future.result()  # a job's error is raised here, on the calling thread
        self.jobs.popleft()
        self.in_flight -= count
        self._store(loaded)

    def _store(self, loaded: list[_Loaded]) -> None:
        """Step 5: a group per transaction, together with the shrunken pending list."""
        from rashomon.nlp.serial import DERIVED_KIND

        for start in range(0, len(loaded), LOAD_BATCH):
            group = loaded[start : start + LOAD_BATCH]
            failed: list[InputError] = []
            with self.store.transaction():
                for article_id, content_hash, key, annotation, reason in group:
                    self.pending.pending.pop((article_id, content_hash), None)
                    if reason is not None or annotation is None:
                        failed.append(InputError(article_id, f"annotation: {reason}"))
                    else:
                        self.store.put_derived(DERIVED_KIND, key, annotation)
                self.pending.write_pending()
            self.summary.annotated += len(group) - len(failed)
            self.summary.annotation_failures.extend(failed)
            if self.on_failure is not None:
                for error in failed:
                    self.on_failure(error)

    # -- a background thread --

    def _job(self, first: int, payloads: list[str], out: str) -> list[_Loaded]:
        """Steps 3-4 for the articles numbered from ``first``: annotate on the executors,
        write Parquet at ``out``, read back what the driver stores, in input order."""
        from pyspark.sql.types import LongType, StringType, StructField, StructType

        schema = StructType(
            [
                StructField("ordinal", LongType(), False),
                StructField("id", StringType(), False),
                StructField("content_hash", StringType(), False),
                StructField("annotation_key", StringType(), False),
                StructField("article", StringType(), False),
                StructField("annotation", StringType(), True),
                StructField("error", StringType(), True),
            ]
        )
        sc = self.spark.sparkContext
        if self.closing.is_set():
            raise RuntimeError("the run stopped")
        sc.setJobGroup(self.group, "rashomon: annotate", interruptOnCancel=False)
        tasks: list[list[tuple[int, str]]] = []
        ordinal = first
        for size in _task_sizes(len(payloads), self.cores):
            tasks.append(list(enumerate(payloads[ordinal - first : ordinal - first + size], ordinal)))
            ordinal += size
        run = partial(_annotate_tasks, pipeline=self.pipeline, seconds=self.seconds)
        rows = sc.parallelize(tasks, len(tasks)).mapPartitions(run)
        # 4. Parquet: the article and its annotation, one row each.
        self.spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(out)
        # Read back the columns the store needs; a job's rows are few (JOB_ARTICLES at
        # most), so they are put in order here rather than by a Spark sort (a shuffle).
        sc.setLocalProperty("spark.scheduler.pool", LOAD_POOL)
        try:
            back = (
                self.spark.read.parquet(out)
                .select("ordinal", "id", "content_hash", "annotation_key", "annotation", "error")
                .collect()
            )
        finally:
            # None unsets the property (PySpark's stubs say str); cast, not an ignore
            # comment, so that mypy is clean with and without pyspark installed.
            sc.setLocalProperty("spark.scheduler.pool", cast(str, None))
        back.sort(key=lambda row: int(row[0]))
        if [int(row[0]) for row in back] != list(range(first, first + len(payloads))):
            raise RuntimeError(f"{out}: {len(back)} annotation rows for {len(payloads)} articles")
        return [(row[1], row[2], row[3], row[4], row[5]) for row in back]


def spark_ingest(
    paths: Sequence[str],
    store: Store,
    *,
    registry: Registry | None = None,
    outlet_names: Mapping[str, str] | None = None,
    min_recurring: int = 3,
    master: str | None = None,
    on_item: Callable[[Article | InputError], None] | None = None,
    annotate: bool = True,
    pipeline: str | None = None,
    sandbox: Sandbox | None = None,
    workdir: str | None = None,
    on_annotation_failure: Callable[[InputError], None] | None = None,
    seconds: float | None = 60.0,
) -> IngestSummary:
    """Ingest ``paths`` into ``store`` and annotate the new articles on Spark: the same
    articles, annotations and failures as the local engine (``local_ingest``).

    master: a Spark master URL (None: ``local[*]``). annotate: False stores the articles
    only, which needs no Spark at all (the local engine's ingest does exactly that).
    pipeline: the spaCy pipeline the executors load (None: the default one).
    sandbox: the HTML extraction sandbox (see ``read_articles``).
    workdir: where Parquet is written (None: a temporary directory, removed afterwards;
    with a cluster, a path the driver and every executor can reach).
    seconds: the time limit of one article's annotation on an executor (None: none).
    A bad input is counted and reported, and the rest goes on.
    """
    if not annotate:
        return ingest_paths(
            paths, store, registry=registry, outlet_names=outlet_names,
            min_recurring=min_recurring, on_item=on_item, sandbox=sandbox,
        )
    summary = IngestSummary()
    with spark_session(master or DEFAULT_MASTER) as spark:
        work = tempfile.mkdtemp(prefix="rashomon-parquet-", dir=workdir)
        notes = _Annotations(spark, store, summary, work, pipeline, on_annotation_failure, seconds)
        try:
            # 1. what an earlier run (of either engine) stored but did not annotate
            notes.add(notes.pending.leftovers())
            # 2. read, clean, store in batches; each batch's new articles become pending
            result = ingest_paths(
                paths, store, registry=registry, outlet_names=outlet_names,
                min_recurring=min_recurring, on_item=on_item, sandbox=sandbox,
                in_batch=notes.pending.add_pending, after_batch=notes.add,
            )
            # 3.-5. annotate the rest
            notes.finish()
        finally:
            notes.close()
            shutil.rmtree(work, ignore_errors=True)
    result.annotated = summary.annotated
    result.annotation_failures = summary.annotation_failures
    return result
