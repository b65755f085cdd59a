"""Check trust on real articles: provenance, reproducibility and neutrality (issue #9).

    python eval/trust.py ../shared [--check] [--triplets 10]

On the two seed articles (``corpus/seeds``) and the first ``--triplets`` BASIL events
(``eval/basil/articles``, ordered by year and triplet id; eval/README.md names no split of
BASIL: the events kept here are the development part, the rest is held out elsewhere):

- provenance: every span of the comparison and of its JSON record holds the text recorded
  beside it (``rashomon.provenance.check_spans``);
- reproducibility: two ``compare`` runs give byte-identical JSON; on the seeds also
  ``rashomon compare --format json`` in two subprocesses with different PYTHONHASHSEED,
  which must give the same bytes as each other and as the run in this process;
- neutrality (``rashomon.metamorphic``): seeded permutations of the input order give the
  same bytes, and the same findings with compare's canonical ordering switched off (so
  each stage is checked on its own); renaming every outlet changes nothing but the names;
  swapping two articles' outlet metadata mirrors the per-outlet findings.

Prints what it checked; ``--check`` exits 1 on any violation. Exits 0 with a note when the
folder is absent (a user's clone has no ../shared). Texts are read in place, never copied.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

import rashomon.compare as compare_module  # noqa: E402
from rashomon.metamorphic import MemoEncoder, metamorphic_diff, mirror_diff  # noqa: E402
from rashomon.model import Annotation, Article  # noqa: E402
from rashomon.provenance import check_spans, spans  # noqa: E402
from rashomon.report.json import comparison_record, render_json  # noqa: E402
from stories import basil_article  # noqa: E402


@dataclasses.dataclass
class Tally:
    spans: int = 0
    checks: int = 0
    failures: list[str] = dataclasses.field(default_factory=list)

    def expect(self, name: str, problems: Sequence[object]) -> None:
        self.checks += 1
        if not problems:
            print(f"  ok   {name}")
        if problems:
            self.failures.append(name)
            print(f"  FAIL {name}")
            for p in list(problems)[:10]:
                print(f"    - {p}")


@contextmanager
def stages_only() -> Iterator[None]:
    """compare() without its canonical ordering, so each stage must be order-free itself."""
    keep = compare_module.canonical_order

    def given(articles: Sequence[Article], annotations: Sequence[Annotation] | None = None) -> tuple[list[Article], list[Annotation] | None]:
        return list(articles), None if annotations is None else list(annotations)

    compare_module.canonical_order = given  # type: ignore[assignment]
    try:
        yield
    finally:
        compare_module.canonical_order = keep  # type: ignore[assignment]


def renamed(articles: Sequence[Article]) -> tuple[list[Article], dict[str, str]]:
    """Every outlet given a fresh name; returns the articles and new name -> old name."""
    fresh: dict[str, str] = {}
    out = []
    for a in articles:
        if a.outlet is not None:
            name = fresh.setdefault(a.outlet.name, f"Outlet {len(fresh) + 1:02d}")
            a = dataclasses.replace(a, outlet=dataclasses.replace(a.outlet, name=name))
        out.append(a)
    return out, {new: old for old, new in fresh.items()}


def swapped(articles: Sequence[Article], i: int, j: int) -> list[Article]:
    out = list(articles)
    a, b = articles[i], articles[j]
    out[i] = dataclasses.replace(a, outlet=b.outlet, outlet_via=b.outlet_via)
    out[j] = dataclasses.replace(b, outlet=a.outlet, outlet_via=a.outlet_via)
    return out


def swappable(articles: Sequence[Article]) -> tuple[int, int] | None:
    """Two articles whose outlets differ and have no other article here."""
    def key(a: Article) -> str | None:
        return a.outlet.name if a.outlet else None
    count: dict[str | None, int] = {}
    for a in articles:
        count[key(a)] = count.get(key(a), 0) + 1
    alone = [k for k, a in enumerate(articles) if count[key(a)] == 1]
    return (alone[0], alone[1]) if len(alone) >= 2 else None


def check_story(name: str, articles: list[Article], nlp: Any, tally: Tally, *, fresh_run: bool) -> str:
    """Every check on one story; returns the JSON of the first run. ``fresh_run``: also
    annotate and compare it a second time from scratch (the reruns of the metamorphic
    checks reuse the annotations and the embeddings of the first run)."""
    from rashomon.embed import get_embedder
    from rashomon.nlp import annotate_many

    compare = compare_module.compare
    memo = MemoEncoder(get_embedder())
    notes = list(annotate_many(articles, nlp))
    base = compare(articles, annotations=notes, nlp=nlp, embedder=memo)  # type: ignore[arg-type]
    record = comparison_record(base)
    text = render_json(base)
    n = sum(1 for _ in spans(base, record))
    tally.spans += n
    tally.expect(f"{name}: provenance ({n} spans)", [str(p) for p in check_spans(base, record)])
    if fresh_run:
        again = render_json(compare(articles, nlp=nlp))
        tally.expect(f"{name}: a second run from scratch gives the same bytes", [] if again == text else ["the JSON differs"])
    order = list(range(len(articles)))
    random.Random(9).shuffle(order)
    if order == sorted(order):
        order.reverse()
    perm = ([articles[i] for i in order], [notes[i] for i in order])
    got = render_json(compare(perm[0], annotations=perm[1], nlp=nlp, embedder=memo))  # type: ignore[arg-type]
    tally.expect(f"{name}: input order {order} gives the same bytes", [] if got == text else ["the JSON differs"])
    with stages_only():
        staged = compare(perm[0], annotations=perm[1], nlp=nlp, embedder=memo)  # type: ignore[arg-type]
    tally.expect(f"{name}: input order {order}, stages without canonical order: same findings",
                 metamorphic_diff(record, comparison_record(staged)))
    fresh, back = renamed(articles)
    got_rec = comparison_record(compare(fresh, annotations=notes, nlp=nlp, embedder=memo))  # type: ignore[arg-type]
    tally.expect(f"{name}: outlets renamed ({len(back)}): only the names change",
                 metamorphic_diff(record, got_rec, outlet_names=back))
    pair = swappable(articles)
    if pair is not None:
        i, j = pair
        got_rec = comparison_record(compare(swapped(articles, i, j), annotations=notes, nlp=nlp, embedder=memo))  # type: ignore[arg-type]
        tally.expect(f"{name}: outlets of {articles[i].id} and {articles[j].id} swapped: findings mirror",
                     mirror_diff(record, got_rec, articles[i].id, articles[j].id))
    return text


def cli_runs(paths: Sequence[str], in_process: str, tally: Tally) -> None:
    """``rashomon compare --format json`` in two processes with different hash seeds."""
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-m", "rashomon", "compare", *paths, "--format", "json"],
                              capture_output=True, env=env, check=False, cwd=os.getcwd())
        if done.returncode != 0:
            tally.expect(f"rashomon compare (PYTHONHASHSEED={seed}) runs", [done.stderr.decode(errors="replace")[-500:]])
            return
        outputs.append(done.stdout)
    tally.expect("seeds: rashomon compare --format json, PYTHONHASHSEED=1 and 2: same bytes",
                 [] if outputs[0] == outputs[1] else ["the two processes' JSON differ"])
    tally.expect("seeds: the CLI's JSON is the library's",
                 [] if outputs[0] == in_process.encode("utf-8") else ["the CLI's JSON differs from compare() in this process"])


def basil_triplets(folder: Path, limit: int) -> list[tuple[str, list[Article]]]:
    """The first ``limit`` BASIL events (by year, then triplet id), three articles each."""
    events: dict[tuple[str, str], list[Article]] = {}
    for path in sorted(folder.glob("*/*.json")):
        article, triplet, _ = basil_article(path, f"basil/{path.parent.name}/{path.name}")
        events.setdefault((path.parent.name, triplet), []).append(article)
    chosen = [(f"basil {year}/{uuid[:8]}", arts) for (year, uuid), arts in sorted(events.items()) if len(arts) > 1]
    return chosen[:limit]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", type=Path, help="the shared folder (holding corpus/seeds and eval/basil)")
    parser.add_argument("--check", action="store_true", help="exit 1 on any violation")
    parser.add_argument("--triplets", type=int, default=10, help="how many BASIL events to check (default 10)")
    args = parser.parse_args()
    seeds, basil = args.shared / "corpus" / "seeds", args.shared / "eval" / "basil" / "articles"
    if not seeds.is_dir() and not basil.is_dir():
        print(f"trust: {args.shared} holds neither corpus/seeds nor eval/basil; skipping (they exist in CI)")
        return 0
    from rashomon.ingest import read_articles
    from rashomon.nlp import default_pipeline

    started = time.perf_counter()
    nlp = default_pipeline()
    tally = Tally()
    stories: list[tuple[str, list[Article]]] = []
    if seeds.is_dir():
        arts = [a for a in read_articles([str(seeds)]) if isinstance(a, Article)]
        stories.append(("seeds", arts))
    else:
        print(f"trust: {seeds} not found; seeds skipped")
    if basil.is_dir():
        stories += basil_triplets(basil, args.triplets)
    else:
        print(f"trust: {basil} not found; BASIL skipped")
    articles = 0
    for name, arts in stories:
        print(f"{name}: {len(arts)} articles")
        articles += len(arts)
        text = check_story(name, arts, nlp, tally, fresh_run=name == "seeds")
        if name == "seeds":
            cli_runs([str(seeds)], text, tally)
    print(f"trust: {len(stories)} stories ({articles} articles, {max(len(stories) - 1, 0)} BASIL triplets), "
          f"{tally.spans} spans checked, {tally.checks} checks, {len(tally.failures)} failed "
          f"({time.perf_counter() - started:.0f} s)")
    return 1 if tally.failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
