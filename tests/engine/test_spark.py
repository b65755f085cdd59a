"""The Spark engine against the local engine on the same input: the same stored articles,
the same annotations (quotes included), the same claims, the same failures; and a re-run
that adds nothing.

The input mixes a JSONL file, a gzipped JSONL file and a WARC archive (written here with
warcio), with duplicates, bad lines, a non-HTML WARC record and a missing path. ``CHUNK``
is lowered to 4 for both engines, so recurring lines are learned across chunks through
the store: the part of the recipe where a different split would store different articles.
One SparkSession (local[2]) serves the whole module.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rashomon import ingest
from rashomon.compare import compare
from rashomon.engine import AnnotateOptions, local_ingest
from rashomon.engine.spark import (
    article_from_json,
    article_to_json,
    spark_ingest,
    spark_session,
)
from rashomon.errors import InputError
from rashomon.ingest import IngestSummary, read_articles
from rashomon.model import Annotation, Article
from rashomon.nlp.serial import DERIVED_KIND, from_json
from rashomon.outlets import Registry
from rashomon.store import Store, open_store


def _unavailable() -> str | None:
    """Why the Spark engine cannot run here, or None when it can."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        return "the Spark engine needs pyspark: pip install 'rashomon[spark]'"
    if shutil.which("java") is None:
        return "the Spark engine needs Java (17 or newer) on PATH"
    if subprocess.run(["java", "-version"], capture_output=True).returncode != 0:
        return "java is on PATH but does not run"
    return None


# CI (.ci/run) installs pyspark and Java and sets RASHOMON_REQUIRE_SPARK=1: there a missing
# piece fails the run instead of skipping the tests silently.
if (_why := _unavailable()) is not None:
    if os.environ.get("RASHOMON_REQUIRE_SPARK") == "1":
        raise RuntimeError(f"RASHOMON_REQUIRE_SPARK=1 but {_why}")
    pytest.skip(_why, allow_module_level=True)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
MASTER = "local[2]"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    with spark_session(MASTER) as session:
        yield session


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load([EXAMPLES / "outlets.csv"])


@pytest.fixture(scope="module")
def examples(registry: Registry) -> list[Article]:
    articles = [a for a in read_articles([str(EXAMPLES)], registry=registry) if isinstance(a, Article)]
    assert len(articles) == 7
    return articles


def _record(a: Article, n: int) -> dict[str, Any]:
    """A news-please-style record from an example article; copy ``n`` > 0 gets an update
    line of its own (a new article) and, like every copy, its outlet's desk line (furniture
    that recurs across the outlet's articles, to be learned)."""
    outlet = a.outlet.name if a.outlet else None
    desk = f"{outlet} | World | Port Alver desk\n" if outlet else ""
    extra = f"\nUpdate {n}: officials gave no new figures on day {n} of the curfew." if n else ""
    return {
        "title": a.title if not n else f"{a.title} (update {n})",
        "maintext": desk + a.text + extra,
        "url": f"{a.url}/update-{n}" if a.url and n else a.url,
        "source_domain": outlet,
        "date_publish": a.published,
    }


def _page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def _warc(path: Path, examples: list[Article]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        def response(url: str, payload: bytes, ctype: str = "text/html; charset=utf-8") -> None:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers)
            )

        for n, a in enumerate(examples[:3], 1):
            paras = [a.text[p.start : p.end] for p in a.paragraphs]
            page = _page(f"{a.title} (archived)", paras)
            response(f"https://esterbygazette.example/archive/{n}", page)
            if n == 2:  # the same page again under another URL: a duplicate by content
                response(f"https://esterbygazette.example/archive/{n}?ref=home", page)
        response("https://esterbygazette.example/logo.png", b"\x89PNG\r\n", "image/png")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, examples: list[Article]) -> list[str]:
    d = tmp_path_factory.mktemp("input")
    lines = [json.dumps(_record(a, n)) for n in range(3) for a in examples]
    lines.insert(5, "{\"title\": \"cut off")  # truncated
    lines.insert(9, json.dumps({"title": "no body", "maintext": "  "}))
    lines.insert(12, "")  # blank: not counted, not an error
    lines += [json.dumps(_record(examples[0], 1))] * 2  # two more copies of an article above
    (d / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    gz = [json.dumps(_record(a, 3)) for a in examples[3:]] + ["[1, 2]"]
    (d / "more.jsonl.gz").write_bytes(gzip.compress(("\n".join(gz) + "\n").encode()))
    _warc(d / "crawl.warc.gz", examples)
    return [str(d / "feed.jsonl"), str(d / "missing.jsonl"), str(d / "more.jsonl.gz"), str(d / "crawl.warc.gz")]


def _local(paths: list[str], store: Store, registry: Registry, seen: list[str]) -> IngestSummary:
    """The local engine, one annotation worker (results do not depend on the count)."""
    return local_ingest(
        paths, store, registry=registry, on_item=lambda item: seen.append(_seen(item)),
        annotate=AnnotateOptions(workers=1),
    )


def _seen(item: Article | InputError) -> str:
    return f"{type(item).__name__}: {item}" if isinstance(item, InputError) else f"Article: {item.id}"


def _stored(store: Store) -> list[Article]:
    return list(reversed(store.articles(limit=10_000)))


def _derived(store: Store) -> dict[str, str]:
    """Every stored annotation, key -> payload. The store's interface lists none, so the
    SQLite table is read directly. (Not looked up by ``annotation_key`` of the stored
    articles: the SQLite store keeps no ``Paragraph.kind``, so an article with a heading
    paragraph comes back with another key than the one it was annotated under.)"""
    rows = store._conn.execute("SELECT key, payload FROM derived WHERE kind = ?", (DERIVED_KIND,))  # type: ignore[attr-defined]
    return dict(rows.fetchall())


def _annotations(store: Store, articles: list[Article]) -> list[Annotation]:
    by_article = {n.article: n for n in map(from_json, _derived(store).values())}
    assert all(a.id in by_article for a in articles), "an article was stored without its annotation"
    return [by_article[a.id] for a in articles]


@pytest.fixture(scope="module")
def runs(
    spark: Any, corpus: list[str], registry: Registry, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    """Both engines over the same input (CHUNK lowered for the module), then Spark again."""
    mp = pytest.MonkeyPatch()
    mp.setattr(ingest, "CHUNK", 4)
    try:
        d = tmp_path_factory.mktemp("stores")
        local_store, spark_store = open_store(d / "local.db"), open_store(d / "spark.db")
        local_seen: list[str] = []
        spark_seen: list[str] = []
        local = _local(corpus, local_store, registry, local_seen)
        first = spark_ingest(
            corpus, spark_store, registry=registry, master=MASTER,
            on_item=lambda item: spark_seen.append(_seen(item)),
        )
        derived_before = _derived(spark_store)
        again = spark_ingest(corpus, spark_store, registry=registry, master=MASTER)
    finally:
        mp.undo()
    return {
        "local": (local, local_store, local_seen),
        "spark": (first, spark_store, spark_seen),
        "again": (again, derived_before),
    }


def test_article_json_round_trip(examples: list[Article]) -> None:
    for article in examples:
        assert article_from_json(article_to_json(article)) == article


def test_same_articles(runs: dict[str, Any]) -> None:
    local, local_store, _ = runs["local"]
    first, spark_store, _ = runs["spark"]
    assert (first.read, first.new, first.duplicate) == (local.read, local.new, local.duplicate)
    assert first.new_ids == local.new_ids
    assert local.duplicate >= 3  # two JSONL copies and the WARC's second URL
    local_articles, spark_articles = _stored(local_store), _stored(spark_store)
    assert [a.id for a in spark_articles] == local.new_ids
    assert spark_articles == local_articles
    # The desk lines were learned across chunks and removed in both, the same way.
    assert any(r.rule == "outlet_recurring" for a in spark_articles for r in a.removed)


def test_same_annotations_and_quotes(runs: dict[str, Any]) -> None:
    _, local_store, _ = runs["local"]
    _, spark_store, _ = runs["spark"]
    articles = _stored(spark_store)
    local_notes, spark_notes = _annotations(local_store, articles), _annotations(spark_store, articles)
    assert spark_notes == local_notes
    assert _derived(spark_store) == _derived(local_store)  # the same keys, the same payloads
    assert sum(len(n.quotes) for n in spark_notes) > 10


def test_same_claims(runs: dict[str, Any], examples: list[Article]) -> None:
    _, local_store, _ = runs["local"]
    _, spark_store, _ = runs["spark"]
    # The story: the seven example articles as the JSONL file first carries them.
    story_ids = {
        a.id for a in _stored(spark_store) if "feed.jsonl#" in a.id and "(update" not in (a.title or "")
    }
    assert len(story_ids) == 7

    def claims(store: Store) -> tuple[Any, ...]:
        articles = [a for a in _stored(store) if a.id in story_ids]
        return compare(articles, annotations=_annotations(store, articles)).claims

    local_claims, spark_claims = claims(local_store), claims(spark_store)
    assert local_claims
    assert spark_claims == local_claims


def test_failures_reported_alike(runs: dict[str, Any]) -> None:
    local, _, local_seen = runs["local"]
    first, _, spark_seen = runs["spark"]
    as_text = [(type(e).__name__, str(e)) for e in first.failures]
    assert as_text == [(type(e).__name__, str(e)) for e in local.failures]
    assert spark_seen == local_seen
    reasons = "\n".join(text for _, text in as_text)
    assert "feed.jsonl:6: truncated or invalid JSON line" in reasons
    assert "missing.jsonl: no such file or directory" in reasons
    assert "expected a JSON object per article" in reasons


def test_rerun_adds_nothing(runs: dict[str, Any]) -> None:
    first, spark_store, _ = runs["spark"]
    again, derived_before = runs["again"]
    assert again.new == 0 and again.new_ids == []
    assert again.duplicate == first.read
    assert spark_store.count() == first.new
    assert _derived(spark_store) == derived_before
    assert len(derived_before) == first.new == first.annotated


class _Stop(Exception):
    """Raised from ``on_item`` to interrupt a run between batches."""


def test_interrupted_run_resumes_to_the_same_store(
    runs: dict[str, Any], corpus: list[str], registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run stopped while annotation jobs are out (an error on the main thread after a
    few batches) stops cleanly; stored articles not yet annotated are pending, and the
    next run annotates them: the store ends as one uninterrupted run leaves it."""
    local, local_store, _ = runs["local"]
    monkeypatch.setattr(ingest, "CHUNK", 4)
    seen = [0]

    def stop_after_three_batches(_item: Article | InputError) -> None:
        seen[0] += 1
        if seen[0] == 12:
            raise _Stop

    with open_store(tmp_path / "resumed.db") as store:
        with pytest.raises(_Stop):
            spark_ingest(corpus, store, registry=registry, master=MASTER, on_item=stop_after_three_batches)
        assert 0 < store.count() < local.new
        rest = spark_ingest(corpus, store, registry=registry, master=MASTER)
        assert rest.new > 0 and store.count() == local.new
        assert _stored(store) == _stored(local_store)
        assert _derived(store) == _derived(local_store)
        assert store.get_checkpoint("annotate:pending") == "[]"


def test_many_small_jobs_give_the_same_store(
    runs: dict[str, Any], corpus: list[str], registry: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Jobs of 3 articles, at most 5 articles out at once: many jobs in flight, loaded
    in input order while later ones run, the driver waiting on the oldest at the bound."""
    from rashomon.engine import spark as engine_spark

    local, local_store, _ = runs["local"]
    monkeypatch.setattr(ingest, "CHUNK", 4)
    monkeypatch.setattr(engine_spark, "JOB_ARTICLES", 3)
    monkeypatch.setattr(engine_spark, "MAX_IN_FLIGHT", 5)
    monkeypatch.setattr(engine_spark, "MIN_JOB_PER_CORE", 1)
    failures: list[str] = []
    with open_store(tmp_path / "small.db") as store:
        summary = spark_ingest(
            corpus, store, registry=registry, master=MASTER, on_annotation_failure=lambda e: failures.append(str(e))
        )
        assert summary.new_ids == local.new_ids and summary.annotated == local.annotated
        assert failures == []
        assert _stored(store) == _stored(local_store)
        assert _derived(store) == _derived(local_store)
