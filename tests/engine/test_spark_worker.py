"""The Spark engine's executor-side function, run in this process (no Spark, no Java):
an article whose annotation runs past the time limit is reported, in the local engine's
words, and the partition goes on; and how a job is cut into tasks."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from engine_helpers import make_jsonl, quick_annotate

import rashomon.engine.local as local
from rashomon.engine import spark as engine_spark
from rashomon.engine.spark import (
    MIN_TASK,
    _annotate_partition,
    _task_sizes,
    _time_limit,
    _TookTooLong,
    article_to_json,
)
from rashomon.ingest import read_articles
from rashomon.model import Article


def _slow_or_quick(article: Article) -> tuple[str, str]:
    if "SLOW" in article.text:
        time.sleep(30)
    return quick_annotate(article)


def _many_slow_or_quick(articles: list[Article]) -> list[tuple[str, str]]:
    return [_slow_or_quick(a) for a in articles]


def test_time_limit_stops_python_code() -> None:
    started = time.perf_counter()
    with pytest.raises(_TookTooLong), _time_limit(0.2):
        while True:
            sum(range(1000))
    assert time.perf_counter() - started < 5
    with _time_limit(None):  # no limit: nothing is timed
        time.sleep(0.01)


def test_an_article_over_the_limit_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = make_jsonl(tmp_path / "in.jsonl", 12, seed=7, slow_every=3)
    articles = [a for a in read_articles([str(corpus.path)]) if isinstance(a, Article)]
    slow = {a.id for a in articles if "SLOW" in a.text}
    assert slow
    monkeypatch.setattr(local, "annotate_for_store", _slow_or_quick)
    # A group with a slow article runs past the limit, then again one by one.
    monkeypatch.setattr(local, "annotate_many_for_store", _many_slow_or_quick)
    monkeypatch.setitem(engine_spark._LOADED, "pipeline", None)  # nothing to load
    started = time.perf_counter()
    rows = list(_annotate_partition([(n, article_to_json(a)) for n, a in enumerate(articles)], None, 0.5))
    assert time.perf_counter() - started < 5 + len(slow)
    assert [r[0] for r in rows] == list(range(len(articles)))
    failed = {r[1]: r[6] for r in rows if r[6] is not None}
    assert failed == dict.fromkeys(slow, "took longer than 0.5 s; stopped")
    assert all(r[5] is not None for r in rows if r[1] not in slow)


@pytest.mark.parametrize(("n", "cores"), [(500, 2), (600, 2), (100, 1), (3, 2), (2000, 64), (1, 8)])
def test_task_sizes_cover_the_job_and_shrink(n: int, cores: int) -> None:
    sizes = _task_sizes(n, cores)
    assert sum(sizes) == n and all(s > 0 for s in sizes)
    assert sizes == sorted(sizes, reverse=True)  # big first, small last
    assert all(s >= MIN_TASK for s in sizes[:-1])
    assert sizes[-1] <= max(MIN_TASK, n // (2 * cores) + 1)
