"""The Spark engine's executor-side function, run in this process (no Spark, no Java):
an article whose annotation runs past the time limit is reported, in the local engine's
words, and the partition goes on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from engine_helpers import make_jsonl, quick_annotate

import rashomon.engine.local as local
from rashomon.engine import spark as engine_spark
from rashomon.engine.spark import _annotate_partition, _time_limit, _TookTooLong, article_to_json
from rashomon.ingest import read_articles
from rashomon.model import Article


def _slow_or_quick(article: Article) -> tuple[str, str]:
    if "SLOW" in article.text:
        time.sleep(30)
    return quick_annotate(article)


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
    monkeypatch.setitem(engine_spark._LOADED, "pipeline", None)  # nothing to load
    started = time.perf_counter()
    rows = list(_annotate_partition([(n, article_to_json(a)) for n, a in enumerate(articles)], None, 0.5))
    assert time.perf_counter() - started < 5 + len(slow)
    assert [r[0] for r in rows] == list(range(len(articles)))
    failed = {r[1]: r[6] for r in rows if r[6] is not None}
    assert failed == dict.fromkeys(slow, "took longer than 0.5 s; stopped")
    assert all(r[5] is not None for r in rows if r[1] not in slow)
