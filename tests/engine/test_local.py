"""The local engine: batches committed with their checkpoints, resumption that skips
covered input, annotation in killable workers (limits, worker counts), warnings counted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from engine_helpers import (
    all_articles,
    hungry_annotate,
    make_jsonl,
    quick_annotate,
    sleepy_annotate,
    sleepy_many,
)

import rashomon.ingest as ingest_mod
from rashomon.cli import main
from rashomon.engine import AnnotateOptions, Annotator, annotate_stored, local_ingest
from rashomon.engine.local import PENDING
from rashomon.ingest import IngestSummary, checkpoint_name, ingest_paths
from rashomon.model import Article
from rashomon.nlp import annotate_many, load_pipeline
from rashomon.nlp.serial import stored_annotations
from rashomon.store import SQLiteStore, open_store


class Recording(SQLiteStore):
    """An SQLite store that logs writes with the outermost transaction they fall in."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.log: list[tuple[int, str, str]] = []
        self.tx = 0
        self.depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self.depth == 0:
            self.tx += 1
        self.depth += 1
        try:
            with super().transaction():
                yield
        finally:
            self.depth -= 1

    def add_article(self, article: Article, line_keys: Any = ()) -> Any:
        self.log.append((self.tx if self.depth else -1, "article", article.id))
        return super().add_article(article, line_keys)

    def set_checkpoint(self, name: str, value: str) -> None:
        self.log.append((self.tx if self.depth else -1, "checkpoint", value))
        super().set_checkpoint(name, value)


def test_each_batch_commits_with_the_checkpoint_that_covers_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_mod, "CHUNK", 100)
    corpus = make_jsonl(tmp_path / "in.jsonl", 450)
    with Recording(str(tmp_path / "r.db")) as store:
        ingest_paths([str(corpus.path)], store)
        log = store.log
    assert all(tx > 0 for tx, _, _ in log)  # nothing written outside a transaction
    batches: dict[int, list[tuple[str, str]]] = {}
    for tx, kind, what in log:
        batches.setdefault(tx, []).append((kind, what))
    positions = []
    for entries in batches.values():
        checkpoints = [json.loads(v) for kind, v in entries if kind == "checkpoint"]
        articles = [v for kind, v in entries if kind == "article"]
        assert len(checkpoints) == 1
        if articles:  # a batch: its articles and the position just past them
            last = int(articles[-1].rsplit("#", 1)[1])  # ids number the non-blank lines
            assert checkpoints[0]["position"] >= last
            positions.append(checkpoints[0]["position"])
    items = sum(1 for line in corpus.path.read_text().splitlines() if line.strip())
    assert 400 < items < 450  # blank lines are no items
    assert positions == [100, 200, 300, 400, items]
    assert json.loads(log[-1][2])["complete"] is True


class Stop(Exception):
    pass


def test_a_rerun_skips_what_was_committed_and_reports_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_mod, "CHUNK", 100)
    corpus = make_jsonl(tmp_path / "in.jsonl", 450)
    calls: list[tuple[str, int]] = []
    real_read_file = ingest_mod.read_file

    def spy(path: str, sandbox: Any = None, skip: int = 0) -> Any:
        calls.append((path, skip))
        return real_read_file(path, sandbox, skip)

    monkeypatch.setattr(ingest_mod, "read_file", spy)
    db = str(tmp_path / "r.db")
    batches = [0]

    def crash_after_two(new: list[Article]) -> None:
        batches[0] += 1
        if batches[0] == 3:
            raise Stop  # inside the third batch's transaction: it must roll back

    with open_store(db) as store, pytest.raises(Stop):
        ingest_paths([str(corpus.path)], store, in_batch=crash_after_two)
    with open_store(db) as store:
        assert json.loads(store.get_checkpoint(checkpoint_name(str(corpus.path))) or "")["position"] == 200
        second = ingest_paths([str(corpus.path)], store)
        assert calls[-1] == (str(corpus.path), 200)  # read on from where the commit was
        assert [a.id for a in all_articles(store)] == corpus.expected_ids
        third = ingest_paths([str(corpus.path)], store)
    assert calls[-1] == (str(corpus.path), 200)  # complete: not read at all the third time
    for summary in (second, third):
        assert (summary.read, summary.skipped) == (corpus.good_lines, len(corpus.bad_lines))
        lines = sorted(int(f.path.rsplit(":", 1)[1]) for f in summary.failures)
        assert lines == corpus.bad_lines
    assert third.new == 0 and third.duplicate == third.read == third.resumed

    # A file that changed is read again from the start (deduplication keeps that safe).
    with corpus.path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"title": "Late", "text": "A late report about the dam."}) + "\n")
    with open_store(db) as store:
        fourth = ingest_paths([str(corpus.path)], store)
    assert calls[-1] == (str(corpus.path), 0)
    assert fourth.new == 1 and fourth.resumed == 0


def _options(annotator: Annotator, **kw: Any) -> AnnotateOptions:
    return AnnotateOptions(annotator=annotator, startup_seconds=60, **kw)


@pytest.mark.parametrize(
    ("annotator", "limits", "reason"),
    [
        (Annotator(sleepy_annotate), {"seconds": 1.0}, "annotation: took longer than 1 s"),
        # In groups: the group that hangs is annotated again one by one.
        (Annotator(sleepy_annotate, many=sleepy_many), {"seconds": 1.0}, "annotation: took longer than 1 s"),
        (Annotator(hungry_annotate), {"seconds": 30.0, "memory_mb": 700}, "annotation: went over the memory limit"),
    ],
    ids=["time", "time-in-groups", "memory"],
)
def test_a_document_over_a_limit_fails_alone(tmp_path: Path, annotator: Annotator, limits: dict[str, Any], reason: str) -> None:
    corpus = make_jsonl(tmp_path / "in.jsonl", 60, slow_every=25)
    slow = {a.strip() for a in corpus.path.read_text().splitlines() if "SLOW" in a}
    failed: list[str] = []
    with open_store(tmp_path / "r.db") as store:
        summary = local_ingest(
            [str(corpus.path)], store, annotate=_options(annotator, workers=2, **limits),
            on_annotation_failure=lambda e: failed.append(str(e)),
        )
        stored = all_articles(store)
        assert [a.id for a in stored] == corpus.expected_ids  # stored all the same
        assert store.get_checkpoint(PENDING) == "[]"
        slow_ids = {a.id for a in stored if "SLOW" in a.text}
        for a in stored:
            payload = store.get_derived("annotation", f"quick-{a.content_hash}")
            assert (payload is None) == (a.id in slow_ids)
    assert len(slow) >= 2 and len(slow_ids) >= 2
    assert {e.path for e in summary.annotation_failures} == slow_ids
    assert all(e.reason.startswith(reason) for e in summary.annotation_failures), summary.annotation_failures
    assert failed == [str(e) for e in summary.annotation_failures]
    assert summary.annotated == len(stored) - len(slow_ids)


def test_results_do_not_depend_on_the_number_of_workers(tmp_path: Path) -> None:
    corpus = make_jsonl(tmp_path / "in.jsonl", 30, seed=3)
    nlp = load_pipeline()
    seen: list[tuple[list[Any], list[Any]]] = []
    for workers in (1, 2):
        db = tmp_path / f"w{workers}.db"
        with open_store(db) as store:
            local_ingest([str(corpus.path)], store, annotate=AnnotateOptions(workers=workers))
            articles = all_articles(store)
            notes = stored_annotations(store, articles, nlp)
        assert notes is not None  # every article has its annotation, under the current key
        seen.append((articles, notes))
    (a1, n1), (a2, n2) = seen
    assert a1 == a2 and n1 == n2
    # The engine's annotations are what annotating in this process gives.
    assert n1 == list(annotate_many(a1, nlp))


def test_stored_annotations_need_every_article(tmp_path: Path) -> None:
    corpus = make_jsonl(tmp_path / "in.jsonl", 12, seed=4)
    nlp = load_pipeline()
    with open_store(tmp_path / "r.db") as store:
        local_ingest([str(corpus.path)], store, annotate=None)  # nothing annotated
        articles = all_articles(store)
        assert stored_annotations(store, articles, nlp) is None
        local_ingest([str(corpus.path)], store, annotate=AnnotateOptions(workers=1))
        # Already stored: a rerun annotates nothing new, so the store still lacks them.
        assert stored_annotations(store, articles, nlp) is None


def test_annotate_stored_fills_what_no_annotate_left(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = make_jsonl(tmp_path / "in.jsonl", 12, seed=5)
    nlp = load_pipeline()
    db = tmp_path / "r.db"
    with open_store(db) as store:
        local_ingest([str(corpus.path)], store, annotate=None)
        articles = all_articles(store)
        assert stored_annotations(store, articles, nlp) is None
        done = annotate_stored(store, AnnotateOptions(workers=2))
        assert (done.annotated, done.failed, done.already) == (len(articles), [], 0)
        notes = stored_annotations(store, articles, nlp)
        assert notes is not None and notes == list(annotate_many(articles, nlp))
        assert store.get_checkpoint(PENDING) == "[]"
    # Run again (the CLI): nothing left to do.
    assert main(["annotate", "--db", str(db), "--workers", "1"]) == 0
    assert capsys.readouterr().out.startswith(f"annotated 0, failed 0, already annotated {len(articles)} ")


def nested(depth: int) -> str:
    return (
        "<html><body><article><h1>Dam bursts</h1><p>Water rose overnight in Port Alver, "
        "the council said on Tuesday.</p>" + "<div>" * depth + "<p>Rescue teams arrived.</p>"
        + "</div>" * depth + "</article></body></html>"
    )


def test_deep_nesting_is_counted_and_shown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = tmp_path / "in"
    d.mkdir()
    (d / "deep.html").write_text(nested(400), encoding="utf-8")
    (d / "flat.html").write_text(nested(3), encoding="utf-8")
    db = str(tmp_path / "r.db")
    with open_store(db) as store:
        summary: IngestSummary = local_ingest([str(d)], store)
    assert [(k, i) for k, i, _ in summary.warnings] == [("deep nesting", str(d / "deep.html"))]
    assert summary.warning_counts() == {"deep nesting": 1}
    # The CLI shows it, also when a rerun finds the file already ingested.
    assert main(["ingest", str(d), "--db", db, "--quiet", "--no-annotate"]) == 0
    err = capsys.readouterr().err
    assert f"warning {d / 'deep.html'}: HTML nested deeper than 256" in err
    assert "warnings: 1 (1 deep nesting)" in err


def test_quick_annotator_runs_in_workers(tmp_path: Path) -> None:
    """The stand-in annotator's payloads land in the store under its keys."""
    corpus = make_jsonl(tmp_path / "in.jsonl", 20)
    with open_store(tmp_path / "r.db") as store:
        summary = local_ingest([str(corpus.path)], store, annotate=_options(Annotator(quick_annotate), workers=2))
        for a in all_articles(store):
            payload = store.get_derived("annotation", f"quick-{a.content_hash}")
            assert payload is not None and json.loads(payload) == {"id": a.id, "n": len(a.text)}
    assert summary.annotated == summary.new > 0 and not summary.annotation_failures


def test_spark_engine_without_pyspark_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyspark" else real(name, *a))
    corpus = make_jsonl(tmp_path / "in.jsonl", 5)
    assert main(["ingest", str(corpus.path), "--db", str(tmp_path / "r.db"), "--engine", "spark"]) == 2
    err = capsys.readouterr().err
    assert err == "rashomon: --engine spark needs the spark extra: pip install 'rashomon[spark]'\n"


def test_workers_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", "x.jsonl", "--workers", "0"])
    assert exit_info.value.code == 2
    assert "expected a whole number of at least 1" in capsys.readouterr().err
