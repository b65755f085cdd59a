"""Throughput of the annotation stage against spaCy alone, on the same text, in one run.

    python bench/annotate.py [FOLDER_OR_FILE ...] [--repeat N] [--rounds R] [--n-process P]

Default text: the seed articles (../shared/corpus/seeds), repeated until there are
about 40,000 words. Both timings parse the very same paragraphs with the very same
pipeline (the components ``load_pipeline`` keeps): "spaCy alone" is ``nlp.pipe``
over them; "annotate" is ``annotate_many`` (the same parse plus sentences,
mentions, quotes, speakers and quantities). The overhead is the extra time as a
share of spaCy's. Rounds alternate the two and the median is reported. Figures
are printed, never asserted.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rashomon.model import Article, Paragraph  # noqa: E402
from rashomon.nlp import annotate_many, load_pipeline  # noqa: E402
from rashomon.nlp.pipeline import article_chunks  # noqa: E402

SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


def read_articles(paths: list[Path]) -> list[Article]:
    """Articles from .txt files, one paragraph per non-blank line."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.txt")) if path.is_dir() else [path])
    articles = []
    for file in files:
        text = file.read_text(encoding="utf-8", errors="replace")
        paragraphs = tuple(
            Paragraph(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text) if m.group().strip()
        )
        articles.append(
            Article(
                id=str(file),
                path=str(file),
                text=text,
                paragraphs=paragraphs,
                published="2022-04-06",
            )
        )
    return articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[SEEDS])
    parser.add_argument(
        "--words", type=int, default=40_000, help="repeat the input up to this many words"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args(argv)

    base = read_articles(args.paths)
    if not base:
        print(f"no .txt articles under {', '.join(map(str, args.paths))}")
        return 0
    base_words = sum(len(a.body.split()) for a in base)
    copies = max(1, args.words // max(1, base_words))
    articles = [a for _ in range(copies) for a in base]
    words = base_words * copies
    pieces = [piece for a in articles for piece, _ in article_chunks(a)]

    nlp = load_pipeline()
    list(annotate_many(base, nlp))  # warm-up: first calls allocate

    spacy_times, annotate_times = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        for _doc in nlp.pipe(pieces, batch_size=64, n_process=args.n_process):
            pass
        spacy_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        quotes = 0
        for annotation in annotate_many(articles, nlp, n_process=args.n_process):
            quotes += len(annotation.quotes)
        annotate_times.append(time.perf_counter() - started)

    t_spacy = statistics.median(spacy_times)
    t_annotate = statistics.median(annotate_times)
    print(
        f"pipeline: {nlp.meta.get('name')} {nlp.meta.get('version')} [{', '.join(nlp.pipe_names)}]"
    )
    print(
        f"text: {len(articles)} articles ({copies} x {len(base)}), {words:,} words, {args.rounds} rounds"
    )
    print(f"spaCy alone : {words / t_spacy:10,.0f} words/s ({t_spacy:.2f} s)")
    print(
        f"annotate    : {words / t_annotate:10,.0f} words/s ({t_annotate:.2f} s), {quotes} quotes"
    )
    print(f"overhead beyond spaCy: {100 * (t_annotate - t_spacy) / t_spacy:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
