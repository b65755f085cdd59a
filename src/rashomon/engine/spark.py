"""The Apache Spark engine: ``rashomon ingest --engine spark [--master URL]``.

    pip install 'rashomon[spark]'          # pyspark; Spark needs Java 17 or newer
    summary = spark_ingest(paths, store)   # local[*] by default, any master by URL

The same recipe as the local engine (:mod:`rashomon.engine.local`), with annotation (about
97% of the work: ~3 ms to read, clean and store an article, ~90 ms to annotate it on these
machines) run by Spark:

1. finish what an earlier run of either engine stored but did not annotate (the local
   engine's ``annotate:pending`` checkpoint, shared as is);
2. read, identify outlets, count recurring lines, clean and store, in batches with their
   checkpoints: ``rashomon.ingest.ingest_paths`` itself, on the driver;
3. annotate each slice of new articles on the executors (``mapPartitions``) with the local
   engine's own worker function (``annotate_for_store``), the pipeline loaded once per
   Python worker (a module-level cache; Spark reuses its Python workers between tasks);
4. write Parquet: ``ordinal``, ``id``, ``content_hash``, ``annotation_key``, ``article``
   (JSON, ``article_to_json``), ``annotation`` (JSON, ``rashomon.nlp.serial``), ``error``;
5. load the annotations into the store on the driver in input order, a group per
   transaction together with the shrunken pending list.

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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import TYPE_CHECKING

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
# Articles shipped to the executors per annotation job: bounds the driver's memory on
# archives of millions of articles while keeping every worker busy within a job.
ANNOTATE_SLICE = 20_000
# Annotation tasks per core: enough that a slow partition does not leave a core idle at the
# end of a job, few enough that each task amortises its start.
TASKS_PER_CORE = 4
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
        .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log4j}")
        .config("spark.python.worker.reuse", "true")
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


def _annotate_partition(
    rows: Iterable[tuple[int, str]], pipeline: str | None, seconds: float | None = None
) -> Iterator[_Row]:
    """Step 3 over one partition of (ordinal, article JSON): (ordinal, id, content hash,
    annotation key, article JSON, annotation JSON or None, error or None).

    The local engine's worker function does the work (``annotate_for_store``: the same
    pipeline, the same key, the same payload); its pipeline is loaded once per Python
    worker process, which Spark reuses from task to task. An article whose annotation
    raises, or runs past ``seconds``, is reported with the reason (the local engine's
    words) and stays stored, as in the local engine. Memory is not limited here: an
    executor's memory is the cluster's to set.
    """
    from rashomon.engine import local

    if _LOADED.get("pipeline", ...) != pipeline:
        local.load_worker_pipeline(pipeline)
        _LOADED["pipeline"] = pipeline
    for ordinal, payload in rows:
        article = article_from_json(payload)
        try:
            with _time_limit(seconds):
                key, annotation = local.annotate_for_store(article)
        except _TookTooLong:
            yield ordinal, article.id, article.content_hash, "", payload, None, f"took longer than {seconds:g} s; stopped"
            continue
        except Exception as exc:  # reported per article, like the local engine's Failed
            yield ordinal, article.id, article.content_hash, "", payload, None, f"{type(exc).__name__}: {exc}"
            continue
        yield ordinal, article.id, article.content_hash, key, payload, annotation, None


# --- the driver ------------------------------------------------------------------------------


class _Annotations:
    """Steps 3-5 for the articles the batches stored: annotate them on the executors a
    slice at a time, write Parquet, load the store. Keeps the local engine's
    ``annotate:pending`` checkpoint up to date, so either engine finishes what the other
    left when a run is killed."""

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

    def add(self, articles: Iterable[Article]) -> None:
        """Queue articles; annotate every full slice at once."""
        self.queue.extend(articles)
        while len(self.queue) >= ANNOTATE_SLICE:
            self._run(self.queue[:ANNOTATE_SLICE])
            del self.queue[:ANNOTATE_SLICE]

    def finish(self) -> None:
        """Annotate what is left (less than a slice)."""
        if self.queue:
            self._run(self.queue)
            self.queue = []

    def _run(self, articles: list[Article]) -> None:
        from pyspark.sql.types import LongType, StringType, StructField, StructType

        from rashomon.nlp.serial import DERIVED_KIND

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
        batch = [(self.ordinal + n, article_to_json(a)) for n, a in enumerate(articles)]
        self.ordinal += len(batch)
        pipeline, seconds = self.pipeline, self.seconds
        parts = max(1, min(len(batch), sc.defaultParallelism * TASKS_PER_CORE))
        rows = sc.parallelize(batch, parts).mapPartitions(
            lambda part: _annotate_partition(part, pipeline, seconds)
        )
        # 4. Parquet: the article and its annotation, one row each.
        out = os.path.join(self.workdir, f"annotations-{self.slices:05d}.parquet")
        self.slices += 1
        self.spark.createDataFrame(rows, schema).write.mode("overwrite").parquet(out)
        # 5. load, in input order, a group per transaction with the shrunken pending list.
        stored = (
            self.spark.read.parquet(out)
            .select("id", "content_hash", "annotation_key", "annotation", "error")
            .orderBy("ordinal")
            .toLocalIterator()
        )
        while group := list(islice(stored, LOAD_BATCH)):
            failed: list[InputError] = []
            with self.store.transaction():
                for row in group:
                    self.pending.pending.pop((row["id"], row["content_hash"]), None)
                    if row["error"] is not None:
                        failed.append(InputError(row["id"], f"annotation: {row['error']}"))
                    else:
                        self.store.put_derived(DERIVED_KIND, row["annotation_key"], row["annotation"])
                self.pending.write_pending()
            self.summary.annotated += len(group) - len(failed)
            self.summary.annotation_failures.extend(failed)
            if self.on_failure is not None:
                for error in failed:
                    self.on_failure(error)


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
        try:
            notes = _Annotations(spark, store, summary, work, pipeline, on_annotation_failure, seconds)
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
            shutil.rmtree(work, ignore_errors=True)
    result.annotated = summary.annotated
    result.annotation_failures = summary.annotation_failures
    return result
