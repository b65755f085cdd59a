"""Train the learned cue detector on PolNeAR's train split; write src/rashomon/data/cue_model.json.

    .venv/bin/python eval/train_cues.py /work/shared/eval/polnear   # (needs the "eval" extra)

Data: the train split only (840 articles, the first annotator file per article, as
eval/polnear.py reads them); the dev split is never read, it stays the held-out gate.

What is learned: which verbs head an attribution cue. Every token the tagger calls a
verb (VB*) is an example; it is positive when it is the syntactic head of a gold
Cue span (the cue token whose head lies outside the span, a verb preferred).
Features (``rashomon.nlp.cues.verb_features``): the lower-case form; which cue list
holds it (speech, cognition, evaluation, stance, none); its tag and dependency, alone
and crossed with the list and the form; its head's tag and word; the words just
before and after; whether it stands inside a quotation; each dependent's label (with
the list and the form), the subject's tag and entity type, and the word of a
preposition, particle, object, agent, complementiser, adverb or negation dependent.
Features seen fewer than MIN_COUNT times in train are dropped. Model: L2 logistic
regression (scikit-learn, liblinear, C below); weights rounded to 4 decimals, the
ones below 0.001 dropped, keys sorted: the same data gives the same file.

C and the thresholds were chosen end to end on train alone: the model fitted on
the even-numbered train articles, the rules run with it on the odd-numbered ones,
a small grid (C 0.2/0.5/1; thresholds -1 to 0.5; listed -3 to -1.5; sourceless
0.5 to 3) scored by source exact F1, cue exact F1 and content overlap F1. On that
held-out half of train: without the model 0.656 / 0.643 / 0.830, with it 0.662 /
0.655 / 0.830 (source exact / cue exact / content overlap F1). With the rules of
2026-11-23 (prepositional content, passive cues, stance nouns, polls) the same
protocol gives 0.671 / 0.657 / 0.835; re-running the threshold grid then moved no
figure by more than 0.003, so the thresholds stayed, and two further features
tried then (a clausal complement's complementiser, a preposition's object word)
gained nothing and were not added.

At run time (``rashomon.nlp.quotes.extract_paragraph``) every verb outside a
quotation is scored; it is a cue candidate when its score reaches THRESHOLD (LISTED
for the verbs the cue lists hold); the rules then find its source and content, and
a candidate with no subject is kept (sourceless) only from SOURCELESS up.

Dev figures with this model (eval/polnear.py --split dev): see eval/floors/polnear.json.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "eval"))

import polnear  # noqa: E402

from rashomon.nlp.cues import verb_features  # noqa: E402
from rashomon.nlp.marks import find_quotations  # noqa: E402
from rashomon.nlp.pipeline import Chunk  # noqa: E402

OUT = ROOT / "src" / "rashomon" / "data" / "cue_model.json"
MIN_COUNT = 3
C = 0.2
# Decision thresholds (log-odds), chosen end to end on train (see above).
THRESHOLD = 0.0  # a verb no cue list holds
LISTED = -2.0  # a verb of the lists in rashomon.nlp.cues
SOURCELESS = 1.0  # a cue with no subject (its source left empty)


def gold_heads(text: str, attrs: Sequence[polnear.Attr], chunk: Chunk) -> set[int]:
    """Token indices of the chunk that head a gold cue."""
    lo, hi = chunk.offset, chunk.offset + len(chunk.text)
    heads: set[int] = set()
    for attr in attrs:
        cue = polnear._merge(attr.cue, text)
        if not any(lo <= s < hi for s, _ in cue):
            continue
        toks = [t for t in chunk.doc if any(s <= t.idx + lo < e for s, e in cue)]
        ids = {t.i for t in toks}
        tops = [t for t in toks if t.head.i not in ids or t.head.i == t.i]
        verbs = [t for t in tops if t.tag_.startswith("VB")]
        if tops:
            heads.add((verbs or tops)[0].i)
    return heads


def examples(
    golds: Iterable[polnear.GoldArticle], parsed: Iterable[list[Chunk]]
) -> tuple[list[list[str]], list[int]]:
    """The features and labels of every verb of the articles."""
    X: list[list[str]] = []
    y: list[int] = []
    for gold, chunks in zip(golds, parsed, strict=True):
        for chunk in chunks:
            text = chunk.text
            inside = bytearray(len(text) + 1)
            for s, e, _ in find_quotations(text):
                inside[s:e] = b"\x01" * (e - s)
            heads = gold_heads(gold.text, gold.attrs, chunk)
            for tok in chunk.doc:
                if tok.tag_.startswith("VB"):
                    X.append(verb_features(tok, inside))
                    y.append(1 if tok.i in heads else 0)
    return X, y


def fit(X: list[list[str]], y: list[int], c: float = C) -> dict[str, Any]:
    """A logistic regression over the features; the model as cues.cue_model reads it."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats in X for f in set(feats))
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(names)}
    rows, cols = [], []
    for r, feats in enumerate(X):
        for f in sorted({index[f] for f in feats if f in index}):
            rows.append(r)
            cols.append(f)
    data = np.ones(len(rows))
    matrix = csr_matrix((data, (rows, cols)), shape=(len(X), len(names)))
    model = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)
    model.fit(matrix, np.array(y))
    weights = {
        name: round(float(w), 4)
        for name, w in zip(names, model.coef_[0], strict=True)
        if abs(w) >= 0.001
    }
    return {
        "about": "PolNeAR train-split cue detector (eval/train_cues.py): feature -> weight",
        "bias": round(float(model.intercept_[0]), 4),
        "listed": LISTED,
        "sourceless": SOURCELESS,
        "threshold": THRESHOLD,
        "weights": dict(sorted(weights.items())),
    }


def write(model: dict[str, Any], path: Path = OUT) -> None:
    path.write_text(json.dumps(model, sort_keys=True, indent=0) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="the PolNeAR folder (holding train/)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    from rashomon.nlp import load_pipeline
    from rashomon.nlp.pipeline import parse_articles

    golds = polnear.read_split(args.folder, "train")
    nlp = load_pipeline()
    parsed = [chunks for _, chunks in parse_articles([polnear.as_article(g) for g in golds], nlp)]
    X, y = examples(golds, parsed)
    model = fit(X, y)
    write(model, args.out)
    print(f"{len(X)} verbs, {sum(y)} cue heads, {len(model['weights'])} weights -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
