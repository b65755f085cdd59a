"""Score Rashomon's cross-article grouping of mentions on NewsWCL50, and check the seeds.

    python eval/labels.py ../shared [--check] [--events 0,1,...]

NewsWCL50 (Hamborg, Zhukova & Gipp, JCDL 2019): 10 events, each covered by 5 US outlets,
with coded mentions grouped into concepts ("USA\\Trump": "Donald Trump", "the president",
"Mr. Trump"; "PRK USA Summit": "the meeting", "such talks"). The CoNLL export holds the
articles' tokens and each mention's concept; tokens are joined with single spaces into the
article's text, one paragraph per sentence.

Rashomon's grouping is its entities (``canonicalise_entities``) plus its noun-phrase label
groups (``framing.label_groups``), one event at a time. A gold mention is covered when a
system mention matches it: the same span, or one inside the other ending at the same token
(English phrases end in their head: "North Korean leader Kim Jong Un" / "Kim Jong Un"), or
a system phrase that starts the gold mention ("direct talks" of "direct talks between
Trump and Kim"). Over the covered gold mentions:

- BCubed precision/recall/F1 (Bagga & Baldwin 1998) of the system clusters against the
  gold concepts, per event, micro-averaged over mentions;
- cross-article pairwise precision/recall/F1: pairs of covered mentions in different
  articles, linked when in one cluster; this is the part that compares outlets;
- coverage: covered gold mentions / all gold mentions (per concept type too).

Two reference points are printed beside the system: every mention its own cluster
(singletons), and mentions grouped by identical lower-cased text (string match).

The seed story (``corpus/seeds``) is checked against what the project expects of it: Kyiv and
Kiev in one entity that keeps each outlet's form; Lavrov, Peskov, Zelensky, Cavusoglu and
Bucha as entities (Bucha a place, whatever the NER says); the scare-quoted "massacre" and the
hedge "alleged" as findings; Press TV's "hysteria" reported as Lavrov's word, not as a scare
quote (the decision documented in ``rashomon.framing.marks.find_scare_quotes``).

``--check`` exits 1 when a figure is below eval/floors/labels.json or a seed check fails.
A missing folder prints that it is skipped and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rashomon.entities import canonicalise_entities  # noqa: E402
from rashomon.framing import find_framing, label_groups  # noqa: E402
from rashomon.model import Annotation, Article, Paragraph  # noqa: E402

FLOORS = ROOT / "eval" / "floors" / "labels.json"
Span = tuple[int, int]


@dataclass(frozen=True)
class Gold:
    doc: str
    start: int
    end: int
    concept: str
    kind: str


@dataclass(frozen=True)
class SysMention:
    doc: str
    start: int
    end: int
    cluster: str


# --- reading NewsWCL50 ----------------------------------------------------------------


def read_conll(path: Path) -> tuple[dict[str, Article], list[Gold]]:
    """Articles (tokens joined by spaces, a paragraph per sentence) and gold mentions."""
    docs: dict[str, list[list[tuple[str, str]]]] = defaultdict(list)
    last_sent: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 5:
            continue
        key, sent, token, ref = parts[0], parts[1], parts[3], parts[4]
        doc = key.rsplit("/", 1)[-1]
        if last_sent.get(doc) != sent:
            docs[doc].append([])
            last_sent[doc] = sent
        docs[doc][-1].append((token, ref))
    articles: dict[str, Article] = {}
    gold: list[Gold] = []
    for doc, sentences in docs.items():
        text_parts: list[str] = []
        paragraphs: list[Paragraph] = []
        offset = 0
        open_: dict[str, list[int]] = defaultdict(list)
        for sentence in sentences:
            p_start = offset
            for i, (token, ref) in enumerate(sentence):
                start = offset
                text_parts.append(token)
                offset += len(token)
                end = offset
                if i < len(sentence) - 1:
                    text_parts.append(" ")
                    offset += 1
                for item in (r.strip() for r in ref.split("|")):
                    if not item or item == "-":
                        continue
                    name = item.strip("()")
                    if item.startswith("("):
                        open_[name].append(start)
                    if item.endswith(")") and open_[name]:
                        s = open_[name].pop()
                        gold.append(Gold(doc, s, end, name, name.rsplit("_", 1)[-1]))
            paragraphs.append(Paragraph(p_start, offset))
            text_parts.append("\n\n")
            offset += 2
        text = "".join(text_parts)
        articles[doc] = Article(id=doc, path=doc, text=text, paragraphs=tuple(paragraphs))
    return articles, gold


# --- matching and scoring -------------------------------------------------------------


def match(
    gold: Sequence[Gold], system: Sequence[SysMention], text_of: dict[str, str]
) -> dict[Gold, SysMention]:
    """Each gold mention's system mention (see the module docstring), if any."""
    by_doc: dict[str, list[SysMention]] = defaultdict(list)
    for m in system:
        by_doc[m.doc].append(m)
    out: dict[Gold, SysMention] = {}
    for g in gold:
        text = text_of[g.doc]
        g_end = g.end - len(text[g.start : g.end]) + len(text[g.start : g.end].rstrip(" .,'s"))
        best: tuple[int, SysMention] | None = None
        for m in by_doc.get(g.doc, ()):
            if m.end <= g.start or m.start >= g.end:
                continue
            if (m.start, m.end) == (g.start, g.end):
                score = 4
            elif g.start <= m.start and m.end <= g.end and abs(m.end - g_end) <= 3:
                score = 3
            elif m.start <= g.start and g.end <= m.end and abs(g.end - m.end) <= 3:
                score = 2
            elif g.start <= m.start and m.end <= g.end and m.start - g.start <= 4:
                score = 1
            else:
                continue
            if best is None or (score, m.end - m.start) > (best[0], best[1].end - best[1].start):
                best = (score, m)
        if best is not None:
            out[g] = best[1]
    return out


def bcubed(items: Sequence[tuple[str, str]]) -> tuple[float, float, float]:
    """BCubed P/R/F1 of (system cluster, gold cluster) pairs, one per item."""
    if not items:
        return 0.0, 0.0, 0.0
    by_sys: Counter[str] = Counter(s for s, _g in items)
    by_gold: Counter[str] = Counter(g for _s, g in items)
    both: Counter[tuple[str, str]] = Counter(items)
    p = sum(both[(s, g)] / by_sys[s] for s, g in items) / len(items)
    r = sum(both[(s, g)] / by_gold[g] for s, g in items) / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cross_pairs(items: Sequence[tuple[str, str, str]]) -> tuple[int, int, int]:
    """(true, predicted, gold) link counts over pairs of items in different articles."""
    tp = pred = gold = 0
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            a, b = items[i], items[j]
            if a[0] == b[0]:
                continue
            same_sys, same_gold = a[1] == b[1], a[2] == b[2]
            pred += same_sys
            gold += same_gold
            tp += same_sys and same_gold
    return tp, pred, gold


def prf(tp: int, pred: int, gold: int) -> tuple[float, float, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def system_mentions(
    articles: list[Article], annotations: list[Annotation], nlp: object
) -> list[SysMention]:
    entities = canonicalise_entities(articles, annotations)
    out = [SysMention(m.article, m.start, m.end, f"E:{e.id}") for e in entities for m in e.mentions]
    for g in label_groups(articles, annotations, entities, nlp=nlp):  # type: ignore[arg-type]
        cluster = f"E:{g.entity}" if g.entity else f"G:{g.id}"
        out.extend(SysMention(m.article, m.start, m.end, cluster) for m in g.mentions)
    return out


def evaluate_newswcl(folder: Path, events: set[str] | None, nlp: object) -> dict[str, float]:
    from rashomon.nlp import annotate_many

    articles, gold = read_conll(folder / "NewsWCL50.conll")
    if events is not None:
        articles = {d: a for d, a in articles.items() if d.split("_")[0] in events}
        gold = [g for g in gold if g.doc in articles]
    t0 = time.perf_counter()
    annotations = {a.article: a for a in annotate_many(list(articles.values()), nlp)}  # type: ignore[arg-type]
    t_annotate = time.perf_counter() - t0
    by_event: dict[str, list[str]] = defaultdict(list)
    for doc in sorted(articles):
        by_event[doc.split("_")[0]].append(doc)
    t0 = time.perf_counter()
    system: list[SysMention] = []
    for _event, docs in sorted(by_event.items()):
        system.extend(
            system_mentions([articles[d] for d in docs], [annotations[d] for d in docs], nlp)
        )
    t_group = time.perf_counter() - t0
    matched = match(gold, system, {d: a.text for d, a in articles.items()})
    rows: dict[str, list[tuple[str, str]]] = {"system": [], "singletons": [], "string match": []}
    cross: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for event, docs in sorted(by_event.items()):
        items = [(g, m) for g, m in matched.items() if g.doc in docs]
        sys_items = [(m.cluster, g.concept) for g, m in items]
        single = [(f"{g.doc}:{g.start}:{g.end}", g.concept) for g, _m in items]
        string = [(articles[g.doc].text[g.start : g.end].lower(), g.concept) for g, _m in items]
        for name, pairs in (
            ("system", sys_items),
            ("singletons", single),
            ("string match", string),
        ):
            rows[name].extend((f"{event}:{s}", f"{event}:{c}") for s, c in pairs)
            docs_of = [g.doc for g, _m in items]
            cross[name].append(
                cross_pairs([(d, s, c) for d, (s, c) in zip(docs_of, pairs, strict=True)])
            )
    print(
        f"NewsWCL50: {len(articles)} articles, {len(gold)} gold mentions, {len(matched)} covered "
        f"({len(matched) / max(1, len(gold)):.1%}); annotate {t_annotate:.1f} s, group {t_group:.1f} s"
    )
    print(
        f"{'':14} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6}   {'cross P':>7} {'cross R':>7} {'cross F1':>8}"
    )
    figures: dict[str, float] = {}
    for name, scored in rows.items():
        p, r, f = bcubed(scored)
        tp, pred, gd = (sum(x[i] for x in cross[name]) for i in range(3))
        cp, cr, cf = prf(tp, pred, gd)
        print(f"{name:14} {p:6.3f} {r:6.3f} {f:6.3f}   {cp:7.3f} {cr:7.3f} {cf:8.3f}")
        if name == "system":
            figures.update(bcubed_p=p, bcubed_r=r, bcubed_f1=f, cross_p=cp, cross_r=cr, cross_f1=cf)
    figures["coverage"] = len(matched) / max(1, len(gold))
    kinds = Counter(g.kind for g in gold)
    covered = Counter(g.kind for g in matched)
    print(
        "coverage by concept type: "
        + ", ".join(f"{k} {covered[k] / kinds[k]:.0%}" for k in sorted(kinds))
    )
    return figures


# --- the seeds ------------------------------------------------------------------------


def check_seeds(folder: Path, nlp: object) -> list[str]:
    """The seed expectations (see the module docstring); returns the failures."""
    from rashomon.ingest import read_articles
    from rashomon.nlp import annotate_many

    articles = sorted(
        (a for a in read_articles([str(folder)]) if isinstance(a, Article)), key=lambda a: a.id
    )
    if len(articles) < 2:
        return [f"expected the two seed articles in {folder}, found {len(articles)}"]
    annotations = list(annotate_many(articles, nlp))  # type: ignore[arg-type]
    entities = canonicalise_entities(articles, annotations)
    findings = find_framing(articles, annotations, entities, nlp=nlp)  # type: ignore[arg-type]
    reuters, presstv = articles[0].id, articles[1].id
    problems: list[str] = []
    holders = [e for e in entities if any(m.text in ("Kyiv", "Kiev") for m in e.mentions)]
    if len(holders) != 1:
        problems.append(f"Kyiv/Kiev in {len(holders)} entities, expected 1")
    elif "Kyiv" not in holders[0].labels().get(reuters, []) or "Kiev" not in holders[
        0
    ].labels().get(presstv, []):
        problems.append(f"Kyiv/Kiev entity lacks an outlet's form: {holders[0].labels()}")
    for name in ("Lavrov", "Peskov", "Zelensky", "Cavusoglu", "Bucha"):
        hits = [e for e in entities if name in e.name]
        if len(hits) != 1:
            problems.append(f"{name}: {len(hits)} entities, expected 1")
        elif name == "Bucha" and hits[0].type not in ("GPE", "LOC"):
            problems.append(f"Bucha typed {hits[0].type}, expected a place")
    kinds = {(f.article, f.kind, f.text.strip("\"“”'‘’«»").lower()) for f in findings}
    if (presstv, "scare_quote", "massacre") not in kinds:
        problems.append('the scare-quoted "massacre" (Press TV) is not a finding')
    if any(k[1] == "scare_quote" and k[2].startswith("hysteria") for k in kinds):
        problems.append(
            '"hysteria" reported as a scare quote; it is Lavrov\'s word (partial quotation)'
        )
    alleged = [
        f
        for f in findings
        if f.article == presstv and f.kind == "hedge" and f.text.lower() == "alleged"
    ]
    if not alleged or "mass killing" not in articles[1].text[alleged[0].end : alleged[0].end + 20]:
        problems.append('the hedge "alleged mass killing" (Press TV) is not a finding')
    for f in findings:
        article = next(a for a in articles if a.id == f.article)
        if article.text[f.start : f.end] != f.text:
            problems.append(f"finding span {f.start}:{f.end} does not match its text {f.text!r}")
    print(
        f"seeds: {len(entities)} entities, {len(findings)} findings, {'OK' if not problems else 'FAIL'}"
    )
    for p in problems:
        print(f"  - {p}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "shared", help="the shared folder (../shared), holding eval/newswcl50 and corpus/seeds"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 below the floors or on a failed seed check"
    )
    parser.add_argument("--events", help="comma-separated NewsWCL50 event ids (default: all)")
    args = parser.parse_args()
    shared = Path(args.shared)
    newswcl, seeds = shared / "eval" / "newswcl50", shared / "corpus" / "seeds"
    if not newswcl.is_dir() and not seeds.is_dir():
        print(
            f"labels: neither {newswcl} nor {seeds} found; skipping (they exist beside the project in CI)"
        )
        return 0
    from rashomon.nlp import load_pipeline

    nlp = load_pipeline()
    failed = False
    if newswcl.is_dir():
        events = set(args.events.split(",")) if args.events else None
        figures = evaluate_newswcl(newswcl, events, nlp)
        floors = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}
        for key, floor in sorted(floors.items()):
            value = figures.get(key)
            if value is None or value + 1e-9 < floor:
                print(f"labels: {key} {value} is below its floor {floor}")
                failed = True
        if events is not None:
            failed = False  # floors hold for the whole dataset only
    else:
        print(f"labels: {newswcl} not found; NewsWCL50 skipped")
    if seeds.is_dir():
        failed = bool(check_seeds(seeds, nlp)) or failed
    else:
        print(f"labels: {seeds} not found; seed checks skipped")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
