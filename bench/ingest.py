"""End-to-end ingest throughput (read + clean + annotate + store) against spaCy alone, in one run.

    python bench/ingest.py [--articles N] [--skip-spark] [--only spark1,spark2] [--repeat K]

Input: the seven example articles (examples/, registered with examples/outlets.csv),
varied into N distinct news-please-style JSONL records (a per-outlet desk line that the
cleaner learns, an update line of their own, their own URL), written to a temporary
directory. Every configuration then runs in a fresh process of its own, so that start-up
costs count where they fall and each has its own peak memory:

- spaCy alone: ``nlp.pipe`` over the very paragraphs Rashomon parses (``article_chunks``
  of the ingested articles), same pipeline as ``load_pipeline``, 1 and 2 processes
  (``n_process=2``), and two independent processes on half the articles each (nothing
  shipped back: what two cores of this machine give at best, the ceiling to read any
  engine's scaling against); the pipeline is loaded before the clock starts;
- local engine: ``local_ingest`` into a fresh SQLite store, ``workers`` 1 and 2 (worker
  start-up and pipeline loading included);
- Spark: ``spark_ingest`` into a fresh SQLite store, ``local[1]`` and ``local[2]``. First
  the SparkSession starts (one ingest of the seven examples into a scratch store: the
  JVM's first queries, each Python worker's pipeline load), then a first real run on a
  third as many other articles, during which the JVM compiles its hot paths (the Python
  bridge, Parquet; a local master's JVM uses the quick C1 compiler only, see
  ``rashomon.engine.spark._java_options``). Both are printed apart (start-up seconds; the first run's
  articles/s), since a long-lived cluster pays them once; the measured run comes third.

Peak memory is the largest summed RSS of the configuration's process and all its
descendants (pool workers; the JVM and Spark's Python workers), sampled from /proc every
0.2 s. ``getrusage(RUSAGE_CHILDREN)`` cannot give it: it keeps one maximum per process,
and only for children already waited for, while the JVM outlives the measurement.
CPU seconds of the measured run are printed for the engines, split into the driver
(this process), the JVM and the workers (Spark's Python workers; the local engine's pool):
the machine is shared, and where the CPU goes says more than a noisy wall clock.
``--repeat K`` runs every configuration K times, round by round, so that the pairs
compared (1 and 2 workers) run side by side in time; the median run is shown, with every
run's articles/s and each round's ratio. ``--only`` picks configurations.
Store size per 100k articles is extrapolated linearly from the SQLite file (with its WAL)
after the local engine's 2-worker run: a projection, not a measurement. Figures are
printed against the issue's floors (local engine >= 80% of spaCy's articles/s on 2 cores;
Spark local[2] >= 1.6x local[1]); they are figures, never asserts, and figures from a
busy machine are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rashomon.model import Article  # noqa: E402

EXAMPLES = ROOT / "examples"
REGISTRY = EXAMPLES / "outlets.csv"


def examples() -> list[Article]:
    from rashomon.ingest import read_articles
    from rashomon.outlets import Registry

    registry = Registry.load([REGISTRY])
    return [a for a in read_articles([str(EXAMPLES)], registry=registry) if isinstance(a, Article)]


def write_input(path: Path, n: int, first: int = 0) -> None:
    """N distinct JSONL records varied from the example articles, numbered from ``first``
    (inputs with different ``first`` share no article)."""
    base = examples()
    with path.open("w", encoding="utf-8") as fh:
        for i in range(first, first + n):
            a = base[i % len(base)]
            outlet = a.outlet.name if a.outlet else None
            desk = f"{outlet} | World | Port Alver desk\n" if outlet else ""
            record = {
                "title": f"{a.title} ({i})",
                "maintext": f"{desk}{a.text}\nUpdate {i}: officials gave no new figures on day {i}.",
                "url": f"{a.url or 'https://example.example/a'}/{i}",
                "source_domain": outlet,
                "date_publish": a.published,
            }
            fh.write(json.dumps(record) + "\n")


# --- one configuration per process --------------------------------------------------------


def phase(name: str, input_path: str, work: str) -> dict[str, float]:
    from rashomon.outlets import Registry
    from rashomon.store import open_store

    registry = Registry.load([REGISTRY])
    result: dict[str, float] = {}
    if name == "spacy1x2":
        result |= _two_processes(input_path, registry)
    elif name.startswith("spacy"):
        from rashomon.ingest import read_articles
        from rashomon.nlp import load_pipeline
        from rashomon.nlp.pipeline import article_chunks

        n_process = int(name.removeprefix("spacy"))
        articles = [a for a in read_articles([input_path], registry=registry) if isinstance(a, Article)]
        pieces = [piece for a in articles for piece, _ in article_chunks(a)]
        nlp = load_pipeline()
        started = time.perf_counter()
        for _doc in nlp.pipe(pieces, batch_size=64, n_process=n_process):
            pass
        result |= {"articles": len(articles), "seconds": time.perf_counter() - started}
    elif name.startswith("local"):
        from rashomon.engine import AnnotateOptions, local_ingest

        db = os.path.join(work, f"{name}.db")
        with open_store(db) as store:
            cpu, started = TreeCpu(), time.perf_counter()
            summary = local_ingest(
                [input_path], store, registry=registry,
                annotate=AnnotateOptions(workers=int(name.removeprefix("local"))),
            )
            result |= {"seconds": time.perf_counter() - started} | cpu.spent()
        result |= {"articles": summary.new, "annotated": summary.annotated, "db_bytes": _db_bytes(db)}
    else:  # spark1, spark2
        from rashomon.engine.spark import spark_ingest, spark_session

        master = f"local[{name.removeprefix('spark')}]"
        db = os.path.join(work, f"{name}.db")
        warm_input = Path(work) / f"{name}-warmup.jsonl"
        n = len(Path(input_path).read_text(encoding="utf-8").splitlines())
        write_input(warm_input, max(50, n // 3), first=10 * n)
        started = time.perf_counter()
        with spark_session(master) as _spark, open_store(db) as store:
            # Start-up: the JVM, and each Python worker's pipeline load (the examples).
            with open_store(os.path.join(work, f"{name}-start.db")) as scratch:
                spark_ingest([str(EXAMPLES)], scratch, registry=registry, master=master)
            result["start_seconds"] = time.perf_counter() - started
            # A first real run: the JVM compiles its hot paths (Parquet, the Python
            # bridge) while it runs; a long-lived cluster pays this once. Timed apart.
            with open_store(os.path.join(work, f"{name}-warmup.db")) as scratch:
                started = time.perf_counter()
                first = spark_ingest([str(warm_input)], scratch, registry=registry, master=master)
                result |= {"cold_articles": first.new, "cold_seconds": time.perf_counter() - started}
            cpu, started = TreeCpu(), time.perf_counter()
            summary = spark_ingest([input_path], store, registry=registry, master=master)
            result |= {"seconds": time.perf_counter() - started} | cpu.spent()
        result |= {"articles": summary.new, "annotated": summary.annotated, "db_bytes": _db_bytes(db)}
    return result


def _half(args: tuple[list[str], int, object]) -> tuple[float, float]:
    """One of two independent processes: load the pipeline, wait for the other, parse."""
    from rashomon.nlp import load_pipeline

    pieces, _k, barrier = args
    nlp = load_pipeline()
    barrier.wait()  # type: ignore[attr-defined]
    started = time.perf_counter()  # CLOCK_MONOTONIC: comparable across processes
    for _doc in nlp.pipe(pieces, batch_size=64):
        pass
    return started, time.perf_counter()


def _two_processes(input_path: str, registry: object) -> dict[str, float]:
    """spaCy alone in two independent processes, each on half the articles: what two
    cores give when nothing is shared (no Docs shipped back, no coordination), the
    ceiling any engine's scaling on this machine can be read against."""
    import multiprocessing

    from rashomon.ingest import read_articles
    from rashomon.nlp.pipeline import article_chunks

    articles = [a for a in read_articles([input_path], registry=registry) if isinstance(a, Article)]  # type: ignore[arg-type]
    halves = [[p for a in articles[k::2] for p, _ in article_chunks(a)] for k in (0, 1)]
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Manager().Barrier(2)
    with ctx.Pool(2) as pool:
        spans = pool.map(_half, [(halves[k], k, barrier) for k in (0, 1)])
    return {"articles": len(articles), "seconds": max(e for _, e in spans) - min(s for s, _ in spans)}


class TreeMemory:
    """Peak of the summed RSS of this process and all its descendants, sampled from
    /proc every 0.2 s (getrusage cannot say it: it keeps one maximum per process, and
    only for children that were waited for, while the JVM and the workers of a pool
    outlive the measurement)."""

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, _tree_rss(os.getpid()))


def _tree_rss(root: int) -> int:
    total = 0
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
                total += int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


def _tree(root: int) -> set[int]:
    """``root`` and its living descendants, from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                    parents[int(entry)] = int(fh.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return tree


class TreeCpu:
    """CPU seconds (user + system) spent since construction by this process ("driver"),
    the JVM ("jvm") and the other descendants ("workers": Spark's Python workers, the
    local engine's pool). Sampled from /proc every 0.2 s, so that a worker that exits
    before the end still counts (up to its last sample). The machine is shared: CPU
    seconds say where the work goes when wall-clock figures are noisy."""

    def __init__(self) -> None:
        import threading

        self.start = _tree_cpu(os.getpid())
        self.last = dict(self.start)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.last |= _tree_cpu(os.getpid())

    def spent(self) -> dict[str, float]:
        self._stop.set()
        self._thread.join()
        self.last |= _tree_cpu(os.getpid())
        out = {"cpu_driver": 0.0, "cpu_jvm": 0.0, "cpu_workers": 0.0}
        for pid, (kind, own) in self.last.items():
            out[f"cpu_{kind}"] += own - self.start.get(pid, (kind, 0.0))[1]
        return out


def _tree_cpu(root: int) -> dict[int, tuple[str, float]]:
    """pid -> (kind, CPU seconds so far) for ``root`` and its living descendants."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, tuple[str, float]] = {}
    for pid in _tree(root):
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                program = fh.read().split(b"\0")[0]
        except (OSError, IndexError):
            continue
        kind = "driver" if pid == root else "jvm" if b"java" in program else "workers"
        out[pid] = (kind, (int(fields[11]) + int(fields[12])) / tick)
    return out


def _db_bytes(db: str) -> float:
    return float(sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p)))


def run_phase(name: str, input_path: Path, work: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--phase", name, "--input", str(input_path), "--work", str(work)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


NAMES = ("spacy1", "spacy2", "spacy1x2", "local1", "local2", "spark1", "spark2")
LABELS = {
    "spacy1": "spaCy alone, 1 process", "spacy2": "spaCy alone, 2 processes",
    "spacy1x2": "spaCy alone, 2 independent",
    "local1": "local engine, --workers 1", "local2": "local engine, --workers 2",
    "spark1": "Spark local[1]", "spark2": "Spark local[2]",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400, help="articles to ingest (default 400)")
    parser.add_argument("--skip-spark", action="store_true", help="leave out the Spark runs")
    parser.add_argument("--only", help=f"comma-separated configurations to run, of {','.join(NAMES)}")
    parser.add_argument("--repeat", type=int, default=1, help="rounds of every configuration (default 1)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--work", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.phase:
        with TreeMemory() as memory:
            figures = phase(args.phase, args.input, args.work)
        print(json.dumps(figures | {"tree_mb": memory.peak / 2**20}))
        return 0

    names = [n for n in NAMES if not args.only or n in args.only.split(",")]
    if args.skip_spark or ("spark1" in names and not _have_pyspark()):
        names = [n for n in names if not n.startswith("spark")]
    with tempfile.TemporaryDirectory(prefix="rashomon-bench-") as tmp:
        work = Path(tmp)
        input_path = work / "articles.jsonl"
        write_input(input_path, args.articles)
        words = sum(len(json.loads(line)["maintext"].split()) for line in input_path.open())
        # Rounds: every configuration once per round, so that the pairs compared (1 and 2
        # workers) run side by side in time on a shared machine.
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in names}
        for k in range(args.repeat):
            (fresh := work / f"round-{k}").mkdir()  # fresh stores every round
            for name in names:
                runs[name].append(run_phase(name, input_path, fresh))

    print(f"input: {args.articles} articles, {words:,} words, one JSONL file; {os.cpu_count()} cores; "
          f"{args.repeat} round(s), the median run shown")
    print(f"{'configuration':28} {'articles/s':>10} {'seconds':>8} {'peak MB':>8}  CPU s: driver/JVM/workers")
    rate: dict[str, float] = {}
    results: dict[str, dict[str, float]] = {}
    for name, rs in runs.items():
        rates = sorted(r["articles"] / r["seconds"] for r in rs)
        r = results[name] = sorted(rs, key=lambda r: r["articles"] / r["seconds"])[len(rs) // 2]
        rate[name] = r["articles"] / r["seconds"]
        cpu = f"  {r['cpu_driver']:.1f}/{r['cpu_jvm']:.1f}/{r['cpu_workers']:.1f}" if "cpu_driver" in r else ""
        spread = f"  (runs {', '.join(f'{x:.2f}' for x in rates)})" if len(rs) > 1 else ""
        extra = (
            f"  (+{r['start_seconds']:.1f} s Spark start; first run {r['cold_articles'] / r['cold_seconds']:.2f}/s)"
            if "start_seconds" in r
            else ""
        )
        print(f"{LABELS[name]:28} {rate[name]:10.2f} {r['seconds']:8.1f} {r['tree_mb']:8.0f}{cpu}{spread}{extra}")
    if "local2" in results:
        size = results["local2"]["db_bytes"]
        per_100k = size / results["local2"]["articles"] * 100_000
        print(f"store: {size / 2**20:.1f} MiB for {results['local2']['articles']} articles with annotations; "
              f"extrapolated linearly: {per_100k / 2**30:.2f} GiB per 100k articles")
    print("against the floors (figures, not asserts):")
    if {"local2", "spacy2"} <= rate.keys():
        print(f"  local --workers 2 / spaCy 2 processes: {rate['local2'] / rate['spacy2']:.0%} (floor 80%)")
    if {"local1", "spacy1"} <= rate.keys():
        print(f"  local --workers 1 / spaCy 1 process:   {rate['local1'] / rate['spacy1']:.0%}")
    if {"local2", "spacy1"} <= rate.keys():
        # nlp.pipe(n_process=2) ships every Doc back to the parent, so it may scale worse than
        # the engine does: also compare with two perfectly scaled single processes.
        print(f"  local --workers 2 / (2 x spaCy 1 process): {rate['local2'] / (2 * rate['spacy1']):.0%}")
    if {"spacy1x2", "spacy1"} <= rate.keys():
        print(f"  this machine's ceiling, 2 independent spaCy / 1: {rate['spacy1x2'] / rate['spacy1']:.2f}x")
    if {"local1", "local2"} <= rate.keys():
        print(f"  local --workers 2 / --workers 1:       {rate['local2'] / rate['local1']:.2f}x{_rounds(runs, 'local')}")
    if {"spark1", "spark2"} <= rate.keys():
        cold = {k: results[k]["cold_articles"] / results[k]["cold_seconds"] for k in ("spark1", "spark2")}
        print(f"  Spark local[2] / local[1]:             {rate['spark2'] / rate['spark1']:.2f}x (floor 1.6x)"
              f"{_rounds(runs, 'spark')}; first runs: {cold['spark2'] / cold['spark1']:.2f}x")
        if "spacy2" in rate:
            print(f"  Spark local[2] / spaCy 2 processes:    {rate['spark2'] / rate['spacy2']:.0%}")
    return 0


def _rounds(runs: dict[str, list[dict[str, float]]], engine: str) -> str:
    """2 workers over 1, round by round (each pair ran side by side), when there were several."""
    ones, twos = runs[f"{engine}1"], runs[f"{engine}2"]
    if len(ones) < 2:
        return ""
    ratios = [(b["articles"] / b["seconds"]) / (a["articles"] / a["seconds"]) for a, b in zip(ones, twos, strict=True)]
    return f" (rounds: {', '.join(f'{x:.2f}' for x in ratios)})"


def _have_pyspark() -> bool:
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        print("pyspark is not installed (pip install 'rashomon[spark]'): Spark left out")
        return False
    return True


if __name__ == "__main__":
    sys.exit(main())
