"""Time what ``rashomon compare`` does for one story of 20 and of 100 articles, models loaded.

    python bench/compare.py [--sizes 20,100] [--repeat 1]

The story is the bundled example (examples/: seven articles about one fictional event),
grown to N articles by rewriting each example: paragraphs rotated, some dropped, words
swapped for synonyms, a number changed, so that no two copies hold the same sentences
(identical sentences would be encoded once and flatter the timing). The copies are written
as text files and go through the whole path: read (ingest), annotate (spaCy), align
(MiniLM embeddings, scores, grouping). Model loading is timed apart, since the target is
"under 10 s for 20 articles after the model has loaded". Prints seconds per stage and how
the alignment's time grows from the smaller story to the larger one.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rashomon.align import align_claims  # noqa: E402
from rashomon.embed import get_embedder  # noqa: E402
from rashomon.ingest import read_articles  # noqa: E402
from rashomon.model import Article  # noqa: E402
from rashomon.nlp import annotate_many, load_pipeline  # noqa: E402

SYNONYMS = {
    "said": ("stated", "told reporters", "added", "said on Wednesday"),
    "police": ("officers", "security forces", "the police"),
    "people": ("persons", "civilians", "residents"),
    "government": ("authorities", "cabinet", "state"),
    "port": ("harbour", "docks", "terminal"),
    "killed": ("shot dead", "left dead", "killed"),
    "strike": ("walkout", "stoppage", "industrial action"),
    "Tuesday": ("Tuesday morning", "early Tuesday", "Tuesday"),
}
_WORD = re.compile(r"\b(" + "|".join(SYNONYMS) + r")\b")
_NUMBER = re.compile(r"\b\d+\b")


def variant(text: str, k: int) -> str:
    """Rewrite one example article into its k-th copy (deterministic for a given k)."""
    rng = random.Random(k)
    paragraphs = [p for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    head, body = paragraphs[:1], paragraphs[1:]
    if len(body) > 3:
        turn = rng.randrange(len(body))
        body = body[turn:] + body[:turn]
        body = [p for p in body if rng.random() > 0.15] or body
    def swap(m: re.Match[str]) -> str:
        return rng.choice(SYNONYMS[m.group(1)])

    def bump(m: re.Match[str]) -> str:
        return str(int(m.group(0)) + 1) if rng.random() < 0.1 else m.group(0)

    body = [_NUMBER.sub(bump, _WORD.sub(swap, p)) for p in body]
    # one clause of its own per copy, so every copy holds a sentence no other one does
    body.append(f"Copy {k} of this report was filed by correspondent number {k} from the {rng.choice(('north', 'south', 'east', 'west'))} of the city.")
    return "\n\n".join(head + body)


def story(n: int, folder: Path) -> list[str]:
    """Write n copies of the examples' articles into ``folder``; returns their paths."""
    originals = [a for a in read_articles([str(ROOT / "examples")]) if isinstance(a, Article)]
    paths = []
    for k in range(n):
        source = originals[k % len(originals)]
        title = source.title or "Report"
        path = folder / f"copy{k:03d}.txt"
        path.write_text(f"{title}\n\n{variant(source.body, k)}\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20,100", help="story sizes in articles (default 20,100)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest is reported")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    t = time.perf_counter()
    nlp = load_pipeline()
    embedder = get_embedder()
    embedder.encode(["warm-up"])
    print(f"load: spaCy pipeline + MiniLM {time.perf_counter() - t:.1f} s (not counted below)")

    align_times: dict[int, float] = {}
    for n in sizes:
        best: dict[str, float] = {}
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                paths = story(n, Path(tmp))
                t0 = time.perf_counter()
                articles = [a for a in read_articles(paths) if isinstance(a, Article)]
                t1 = time.perf_counter()
                annotations = list(annotate_many(articles, nlp))
                t2 = time.perf_counter()
                claims = align_claims(articles, annotations, embedder=embedder)
                t3 = time.perf_counter()
            run = {"read": t1 - t0, "annotate": t2 - t1, "align": t3 - t2, "total": t3 - t0}
            best = run if not best or run["total"] < best["total"] else best
        sentences = sum(len(a.sentences) for a in annotations)
        shared = sum(c.status != "unique" for c in claims)
        print(
            f"{n:4d} articles, {sentences:5d} sentences: read {best['read']:.2f} s, annotate {best['annotate']:.2f} s, "
            f"align {best['align']:.2f} s, total {best['total']:.2f} s ({len(claims)} claims, {shared} shared or conflict)"
        )
        align_times[n] = best["align"]
    if len(sizes) > 1:
        lo, hi = sizes[0], sizes[-1]
        print(
            f"growth: {hi / lo:.0f}x the articles took {align_times[hi] / align_times[lo]:.1f}x the alignment time "
            "(pair scoring is quadratic in sentences; embedding is linear)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
