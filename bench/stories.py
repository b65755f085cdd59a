"""Time and peak memory of story clustering on 1k, 10k and 100k synthetic articles.

    python bench/stories.py [../shared/eval] [--sizes 1000,10000,100000] [--incremental 10000]

Articles are synthetic variants of real coverage, made here and never stored: each
synthetic event copies one real event (a BASIL triplet or an ECB+ event, read from the
folder given), renames its capitalised words and changes its numbers consistently within
the event (so that two variants of one template are two events of one kind, the hard
case), drops a random paragraph from each article, and dates it within two days of an
event day drawn from one year; 5% of the articles are undated. Without the folder, the
bundled examples serve as the only template.

Each size runs in its own process, so that the peak memory (``ru_maxrss``) is its own.
Figures are printed, never asserted: growth is compared with n log n.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import math
import random
import re
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "eval"))

from rashomon.model import Article, Outlet, Paragraph  # noqa: E402

_CAPITAL = re.compile(r"\b[A-Z][a-z]{3,}\b")
_NUMBER = re.compile(r"\b\d+\b")
_SYLLABLES = ["ka", "lo", "mi", "ren", "tor", "vas", "el", "an", "is", "ul", "dor", "bre", "sk", "ov", "ar", "et", "ni", "pa", "zu", "hal"]


def templates(folder: Path) -> list[list[tuple[str | None, list[str]]]]:
    """Real events as lists of (title, paragraphs)."""
    events: list[list[tuple[str | None, list[str]]]] = []
    try:
        from stories import load_basil, load_ecbplus  # eval/stories.py

        for name, load in (("basil", load_basil), ("ecbplus", load_ecbplus)):
            if (folder / name).is_dir():
                articles, gold = load(folder / name)
                grouped: dict[str, list[tuple[str | None, list[str]]]] = defaultdict(list)
                for a in articles:
                    grouped[gold[a.id]].append((a.title, a.paragraph_texts()))
                events.extend(grouped[k] for k in sorted(grouped))
    except ImportError:
        pass
    if not events:
        from rashomon.ingest import read_articles
        from rashomon.outlets import Registry

        reg = Registry.load([ROOT / "examples" / "outlets.csv"])
        events.append(
            [(a.title, a.paragraph_texts()) for a in read_articles([str(ROOT / "examples")], registry=reg) if isinstance(a, Article)]
        )
    return events


def synthesise(events: list[list[tuple[str | None, list[str]]]], n: int, seed: int = 1) -> list[Article]:
    rng = random.Random(seed)
    start = dt.date(2030, 1, 1).toordinal()
    out: list[Article] = []
    event_no = 0
    while len(out) < n:
        event = events[rng.randrange(len(events))]
        event_no += 1
        names: dict[str, str] = {}
        numbers: dict[str, str] = {}

        def rename(m: re.Match[str], names: dict[str, str] = names) -> str:
            word = m.group()
            if word not in names:
                names[word] = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()
            return names[word]

        def renumber(m: re.Match[str], numbers: dict[str, str] = numbers) -> str:
            if m.group() not in numbers:
                numbers[m.group()] = str(rng.randint(2, 10 ** len(m.group())))
            return numbers[m.group()]

        day = start + rng.randrange(365)
        for title, paragraphs in event:
            if len(out) >= n:
                break
            kept = list(paragraphs)
            if len(kept) > 3:
                kept.pop(rng.randrange(1, len(kept)))
            text = ""
            spans = []
            new_title = _NUMBER.sub(renumber, _CAPITAL.sub(rename, title)) if title else None
            if new_title:
                text = new_title + "\n\n"
            for p in kept:
                p = _NUMBER.sub(renumber, _CAPITAL.sub(rename, p))
                spans.append(Paragraph(len(text), len(text) + len(p)))
                text += p + "\n\n"
            published = None if rng.random() < 0.05 else dt.date.fromordinal(day + rng.randint(0, 2)).isoformat()
            out.append(
                Article(
                    id=f"syn/{event_no}/{len(out)}",
                    path="syn",
                    text=text,
                    title=new_title,
                    published=published,
                    outlet=Outlet(f"Outlet {rng.randrange(40)}"),
                    paragraphs=tuple(spans),
                )
            )
    return out


def child(folder: Path, n: int, incremental: bool) -> dict[str, float]:
    from rashomon.stories import StoryClusterer, cluster_articles

    articles = synthesise(templates(folder), n)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started = time.perf_counter()
    if incremental:
        clusterer = StoryClusterer()
        clusterer.add_all(articles)
        stories = clusterer.stories()
    else:
        stories = cluster_articles(articles)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "n": n,
        "seconds": seconds,
        "peak_mib": peak,
        "before_mib": before,
        "stories": len(stories),
        "largest": max(len(s.articles) for s in stories),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared" / "eval"))
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--incremental", default="1000,10000", help="sizes to run incrementally too")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="batch", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.folder), args.child, args.mode == "incremental")))
        return 0
    runs = [(int(s), "batch") for s in args.sizes.split(",") if s]
    runs += [(int(s), "incremental") for s in args.incremental.split(",") if s]
    print(f"{'mode':<12} {'articles':>9} {'seconds':>9} {'art/s':>8} {'peak MiB':>9} {'+MiB':>7} {'stories':>8} {'largest':>8}")
    results: dict[str, list[dict[str, float]]] = defaultdict(list)
    for n, mode in runs:
        cmd = [sys.executable, __file__, args.folder, "--child", str(n), "--mode", mode]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            print(f"{mode:<12} {n:>9} failed: {proc.stderr.strip().splitlines()[-1:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        results[mode].append(r)
        print(
            f"{mode:<12} {n:>9} {r['seconds']:>9.1f} {n / r['seconds']:>8.0f} {r['peak_mib']:>9.0f} "
            f"{r['peak_mib'] - r['before_mib']:>7.0f} {int(r['stories']):>8} {int(r['largest']):>8}"
        )
    for mode, rs in results.items():
        for a, b in itertools.pairwise(rs):
            ratio = b["seconds"] / a["seconds"]
            nlogn = (b["n"] * math.log(b["n"])) / (a["n"] * math.log(a["n"]))
            print(f"{mode}: {int(a['n'])} -> {int(b['n'])}: time x{ratio:.1f} (n log n would be x{nlogn:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
