"""The kill -9 test: `rashomon ingest` killed at random moments, again and again, then run
to the end, leaves exactly what one uninterrupted run leaves, for SQLite and PostgreSQL.

A variant of ingest that commits each checkpoint before its rows (test-only switch
RASHOMON_TEST_CHECKPOINT_FIRST=1) must fail the same checks: proof that they see loss.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from engine_helpers import Corpus, all_articles, make_jsonl

from rashomon.ingest import TEST_CHECKPOINT_FIRST, checkpoint_name, ingest_paths
from rashomon.nlp.serial import DERIVED_KIND
from rashomon.store import Store, open_store

SUMMARY = re.compile(r"^read (\d+), new (\d+), duplicate (\d+), skipped (\d+) -> (.+)$", re.M)
MAX_RUNS = 80  # a run that never gets a batch committed would loop for ever


@dataclass
class Runs:
    """The runs of one resumed ingest: how many were killed, and the last one's output."""

    kills: int
    stdout: str
    stderr: str
    code: int


def command(path: Path, db: str, *extra: str) -> list[str]:
    return [sys.executable, "-m", "rashomon", "ingest", str(path), "--db", db, "--quiet", *extra]


def env(checkpoint_first: bool = False) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != TEST_CHECKPOINT_FIRST}
    if checkpoint_first:
        e[TEST_CHECKPOINT_FIRST] = "1"
    return e


def run_with_kills(args: list[str], decide: Callable[[subprocess.Popen[str]], bool], environ: dict[str, str]) -> Runs:
    """Start ``args`` again and again; ``decide`` waits on each run and returns True when
    it killed it. Ends with the first run that was let finish."""
    kills = 0
    for _ in range(MAX_RUNS):
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environ)
        if decide(proc):
            proc.communicate()
            kills += 1
            continue
        out, err = proc.communicate()
        return Runs(kills, out, err, proc.returncode)
    pytest.fail(f"ingest did not finish in {MAX_RUNS} runs")


def random_kills(rng: random.Random, low: float, high: float) -> Callable[[subprocess.Popen[str]], bool]:
    """SIGKILL each run after a random delay, unless it finished first. The delays grow
    a little with every kill, so that a slow (shared, loaded) machine still finishes."""
    kills = [0]

    def decide(proc: subprocess.Popen[str]) -> bool:
        grow = 1.12 ** kills[0]
        try:
            proc.wait(timeout=rng.uniform(low * grow, high * grow))
        except subprocess.TimeoutExpired:
            proc.kill()  # SIGKILL
            kills[0] += 1
            return True
        return False

    return decide


def kill_when_checkpoint_moves(store: Store, name: str) -> Callable[[subprocess.Popen[str]], bool]:
    """SIGKILL each run the moment the checkpoint of ``name`` changes: the worst moment
    for a store that commits the checkpoint apart from its rows."""

    def decide(proc: subprocess.Popen[str]) -> bool:
        before = store.get_checkpoint(name)
        while proc.poll() is None:
            if store.get_checkpoint(name) != before:
                proc.kill()
                return True
            time.sleep(0.001)
        return False

    return decide


def kill_while_annotating(store: Store, rng: random.Random, most: int) -> Callable[[subprocess.Popen[str]], bool]:
    """SIGKILL each of the first ``most`` runs at a random moment (0 to 0.3 s) after it
    first moves the ``annotate:pending`` checkpoint, i.e. while it annotates; let later
    runs finish. Progress, not the clock, decides, so the kills land mid-annotation on a
    fast machine and a slow one alike."""
    kills = [0]

    def decide(proc: subprocess.Popen[str]) -> bool:
        if kills[0] >= most:
            return False
        before = store.get_checkpoint("annotate:pending")
        while proc.poll() is None:
            if store.get_checkpoint("annotate:pending") != before:
                try:
                    proc.wait(timeout=rng.uniform(0.0, 0.3))
                except subprocess.TimeoutExpired:
                    proc.kill()  # SIGKILL
                    kills[0] += 1
                    return True
                return False
            time.sleep(0.005)
        return False

    return decide


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "r.db")
    return str(request.getfixturevalue("postgres_store_url"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return make_jsonl(tmp_path_factory.mktemp("in") / "archive.jsonl", 3500, seed=11)


@pytest.fixture(scope="module")
def reference(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """What one uninterrupted ingest stores."""
    with open_store(tmp_path_factory.mktemp("ref") / "ref.db") as store:
        ingest_paths([str(corpus.path)], store)
        yield store


@pytest.fixture(scope="module")
def full_run(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> float:
    """Seconds one uninterrupted `rashomon ingest` of the corpus takes (SQLite): kill
    delays are scaled by it, so runs die mid-way on a fast machine as on a slow one."""
    db = str(tmp_path_factory.mktemp("timing") / "t.db")
    started = time.monotonic()
    subprocess.run(command(corpus.path, db, "--no-annotate"), capture_output=True, env=env(), check=False)
    return time.monotonic() - started


def problems(corpus: Corpus, reference: Store, db: str) -> list[str]:
    """What is wrong with the store at ``db`` compared to ``reference``: missing or extra
    rows, rows cleaned differently, line counts, duplicates, a failed integrity check."""
    found: list[str] = []
    with open_store(db) as store:
        got, want = all_articles(store), all_articles(reference)
        got_ids, want_ids = [a.id for a in got], [a.id for a in want]
        if want_ids != corpus.expected_ids:  # the reference itself is right
            found.append("the reference run did not store the expected articles")
        missing = sorted(set(want_ids) - set(got_ids))
        extra = sorted(set(got_ids) - set(want_ids))
        if missing:
            found.append(f"{len(missing)} missing rows, e.g. {missing[:3]}")
        if extra:
            found.append(f"{len(extra)} extra rows, e.g. {extra[:3]}")
        if len(set(got_ids)) != len(got_ids) or len({a.content_hash for a in got}) != len(got):
            found.append("duplicate rows")
        if not missing and not extra:
            if got_ids != want_ids:
                found.append("rows stored in another order")
            if got != want:  # cleaning (learned boilerplate) depends on the batches
                found.append("rows differ from the uninterrupted run's")
            for outlet in {a.outlet.name for a in want if a.outlet}:
                keys = [k for k, in _line_keys(reference, outlet)]
                if store.line_counts(outlet, keys) != reference.line_counts(outlet, keys):
                    found.append(f"line counts of {outlet} differ")
        found.extend(integrity(db))
    return found


def _line_keys(store: Store, outlet: str) -> list[tuple[str]]:
    conn: sqlite3.Connection = store._conn  # type: ignore[attr-defined]
    return conn.execute("SELECT key FROM line_keys WHERE outlet = ?", (outlet,)).fetchall()


def integrity(db: str) -> list[str]:
    """The database's own consistency checks."""
    found: list[str] = []
    if db.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db) as conn:
            for what, sql in [
                ("duplicate content hashes", "SELECT content_hash FROM articles WHERE content_hash IS NOT NULL GROUP BY 1 HAVING count(*) > 1"),
                ("duplicate URLs", "SELECT canonical_url FROM articles WHERE canonical_url IS NOT NULL GROUP BY 1 HAVING count(*) > 1"),
                ("articles without search vector", "SELECT pk FROM articles WHERE search IS NULL"),
                ("line counts above the article count", "SELECT outlet FROM line_keys l WHERE articles > (SELECT count(*) FROM articles a WHERE a.outlet_name = l.outlet)"),
            ]:
                if conn.execute(sql).fetchall():
                    found.append(what)
        return found
    conn = sqlite3.connect(db)
    try:
        if conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]:
            found.append("PRAGMA integrity_check failed")
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            found.append("foreign key check failed")
        try:
            conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as exc:
            found.append(f"full-text index inconsistent: {exc}")
        if conn.execute("SELECT count(*) FROM articles").fetchone() != conn.execute("SELECT count(*) FROM articles_fts").fetchone():
            found.append("full-text index and articles differ in size")
    finally:
        conn.close()
    return found


def check_output(corpus: Corpus, runs: Runs, db: str) -> None:
    """The final run reports the whole input: every bad line with file:line, exit 1."""
    m = SUMMARY.search(runs.stdout)
    assert m, runs.stdout + runs.stderr
    read, _new, duplicate, skipped = map(int, m.groups()[:4])
    assert (read, skipped) == (corpus.good_lines, len(corpus.bad_lines))
    assert duplicate == read - int(m.group(2))
    reported = {int(n) for n in re.findall(rf"skipped {re.escape(str(corpus.path))}:(\d+): ", runs.stderr)}
    assert reported == set(corpus.bad_lines)
    assert runs.code == 1  # bad lines make the batch exit 1
    assert "Traceback" not in runs.stderr


def test_killed_again_and_again_ingest_ends_with_exactly_the_rows(
    corpus: Corpus, reference: Store, db: str, full_run: float
) -> None:
    rng = random.Random(20261123)
    decide = random_kills(rng, 0.08 * full_run, 0.4 * full_run)
    runs = run_with_kills(command(corpus.path, db, "--no-annotate"), decide, env())
    assert runs.kills >= 3, "the test must kill ingest mid-way to mean anything"
    check_output(corpus, runs, db)
    assert problems(corpus, reference, db) == []
    print(f"{'postgresql' if db.startswith('postgresql') else 'sqlite'}: {runs.kills} kills")


def test_kill_right_after_each_checkpoint_loses_nothing(corpus: Corpus, reference: Store, db: str) -> None:
    """The positive control of the next test: the same targeted kills, no loss."""
    with open_store(db) as watch:
        decide = kill_when_checkpoint_moves(watch, checkpoint_name(str(corpus.path)))
        runs = run_with_kills(command(corpus.path, db, "--no-annotate"), decide, env())
    assert runs.kills >= 3
    check_output(corpus, runs, db)
    assert problems(corpus, reference, db) == []


def test_checkpoint_before_data_fails_the_same_test(corpus: Corpus, reference: Store, db: str) -> None:
    with open_store(db) as watch:
        decide = kill_when_checkpoint_moves(watch, checkpoint_name(str(corpus.path)))
        runs = run_with_kills(command(corpus.path, db, "--no-annotate"), decide, env(checkpoint_first=True))
    assert runs.kills >= 3
    found = problems(corpus, reference, db)
    assert any("missing rows" in p for p in found), found


def test_killed_while_annotating_every_article_ends_annotated(tmp_path: Path) -> None:
    """With annotation on (the real spaCy annotator, two workers): killed ingests, then
    one to the end, leave every stored article with exactly one current annotation."""
    corpus = make_jsonl(tmp_path / "small.jsonl", 300, seed=5)
    db = str(tmp_path / "a.db")
    rng = random.Random(5)
    with open_store(db) as watch:
        decide = kill_while_annotating(watch, rng, most=4)
        runs = run_with_kills(command(corpus.path, db, "--workers", "2"), decide, env())
    assert runs.kills >= 2, "the test must kill ingest while it annotates to mean anything"
    assert "annotated " in runs.stderr and ", failed 0;" in runs.stderr
    with open_store(db) as store:
        ids = [a.id for a in all_articles(store)]
        assert ids == corpus.expected_ids
        assert store.get_checkpoint("annotate:pending") == "[]"
        conn: sqlite3.Connection = store._conn  # type: ignore[attr-defined]
        [(n,)] = conn.execute("SELECT count(*) FROM derived WHERE kind = ?", (DERIVED_KIND,)).fetchall()
    # One annotation per stored article (keys are content-addressed: no duplicates).
    assert n == len(ids)
    assert integrity(db) == []
    print(f"annotating: {runs.kills} kills")
