"""Score claim alignment on ECB+ and check it on the two seed articles.

    python eval/alignment.py ../shared [--check] [--topics 1,2] [--modes stories,event,topic] [--cache FILE] [--verbose]

1. ECB+ (Cybulska & Vossen, LREC 2014), ``SHARED/eval/ecbplus/xml``: per topic, every
   document is read as an article (one paragraph per ECB+ sentence, the URL line dropped,
   the headline as the title, short unpunctuated lines such as datelines as headings, as
   ingest would treat them) and annotated with Rashomon's pipeline. Each topic holds two different real events of one
   kind (``N_ecb`` and ``N_ecbplus``), so similar-but-different facts abound: a hard test
   of precision. Gold: two sentences of different documents of one topic are a pair when
   they mention one cross-document coreferent event (an ``ACT``/``NEG`` instance of
   ``CROSS_DOC_COREF``). Scored over the body sentences that carry an event annotation
   (``ACTION_*`` / ``NEG_ACTION_*`` markables); a predicted pair is two such sentences of
   different documents in one claim (a sentence that spaCy splits counts as aligned when
   any of its parts is). Headlines are titles, not sentences, so they take no part.
   Sentences with event markables but no cross-document chain are left out: ECB+ did not
   link them across documents (word-for-word identical sentences of two documents can have
   no chain in common there), so the gold cannot judge them.
   Three modes, micro-averaged over topics:
   - ``stories`` (pinned as ``stories_precision``, ...): what a user gets. Every topic's
     documents together, split into stories by ``rashomon.stories.cluster_articles`` (no
     gold used), each story aligned; scored against every gold pair within a topic, so
     a gold pair split across two stories is missed, and a pair of two topics' sentences
     is false.
   - ``event`` (``precision``, ``recall``, ``f1``): each event's documents aligned as one
     story (``stories`` made no mistake); each event's own gold pairs.
   - ``topic`` (``topic_precision``, ...): each topic's documents as one story, two
     events of one kind mixed: a stress test of precision for a story that ``stories``
     failed to split.
2. The seeds (``SHARED/corpus/seeds``): a Global News page carrying a Reuters story and a
   Press TV article on one Kremlin statement. The expectations below are our reading of
   the two articles: which facts both report (one shared claim holding both outlets'
   sentences) and which only one does (a unique claim). A sentence is named by a short
   substring of it.

``--check`` exits 1 when a figure is below the floors in eval/floors/alignment.json or a
seed expectation fails. Folders that are absent are skipped with a message (exit 0).
"""

from __future__ import annotations

import argparse
import json
import pickle
import re
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rashomon.align import align_claims  # noqa: E402
from rashomon.model import Annotation, Article, Claim, Paragraph  # noqa: E402

FLOORS = ROOT / "eval" / "floors" / "alignment.json"

SEED_REUTERS = "000_9c6fa6baf7c6373c.txt"
SEED_PRESSTV = "004_94648e9496f67eb7.txt"
# Facts both articles report: each names one sentence per article; both must sit in one
# shared (or conflict) claim, and the facts must be different claims.
SEED_SHARED = {
    "Lavrov accuses the West of derailing talks with 'hysteria'": (
        (SEED_REUTERS, "Russia has accused the West trying to derail"),
        (SEED_PRESSTV, "Lavrov has accused the West of seeking to sabotage"),
    ),
    "Moscow denies the allegations": (
        (SEED_REUTERS, "Moscow denies the charge"),
        (SEED_PRESSTV, "Russia has denied the allegations"),
    ),
    "Kyiv and the West accuse Russia of war crimes in Bucha, with evidence": (
        (SEED_REUTERS, "Kyiv and the West say there is evidence"),
        (SEED_PRESSTV, "as Kiev and the West accused Russian troops"),
    ),
    "The operation began on 24 February": (
        (SEED_REUTERS, "into Ukraine on Feb. 24"),
        (SEED_PRESSTV, "Putin announced a military offensive"),
    ),
    "The West has imposed sanctions on Russia": (
        (SEED_REUTERS, "the West has imposed sweeping sanctions"),
        (SEED_PRESSTV, "which have imposed a long list of sanctions"),
    ),
}
# Facts only one article reports: each sentence must be a unique claim.
SEED_UNIQUE = {
    "Peskov: work on the talks continues": (SEED_REUTERS, "Kremlin spokesman Dmitry Peskov told reporters"),
    "Cavusoglu: killings made talks harder": (SEED_REUTERS, "Mevlut Cavusoglu said on Wednesday"),
    "Cavusoglu at NATO: weapons for Ukraine": (SEED_REUTERS, "Speaking at NATO before a meeting"),
    "Bucha mayor: 300 killed": (SEED_PRESSTV, "the mayor of Bucha, Anatoliy Fedoruk"),
    "Bucha mayor: 280 bodies in mass graves": (SEED_PRESSTV, "280 bodies had been buried"),
    "UK refused a Security Council session": (SEED_PRESSTV, "the United Kingdom has"),
    "Zelensky: negotiating is the only option": (SEED_PRESSTV, "negotiating with Russia is the only option"),
    "Zelensky: negotiations a challenge": (SEED_PRESSTV, "All of us, including myself"),
    "Zelensky: Bucha unforgivable, talks go on": (SEED_PRESSTV, "Zelensky further said the events in Bucha"),
    "Zelensky: direct talks with Putin": (SEED_PRESSTV, "Asked whether he and Russian President"),
}

_EVENT_TAGS = re.compile(r"^(?:NEG_)?ACTION_")
_DETOK = [(re.compile(r" ([,.;:!?%)\]}]|'s|n't|'re|'ve|'ll|'d|'m)"), r"\1"), (re.compile(r"([(\[{$]) "), r"\1")]
_SENTENCE_END = re.compile(r"[.!?\"”'’)]\s*$")


# --- ECB+ -------------------------------------------------------------------------------


@dataclass
class EcbDoc:
    """One ECB+ document: its sentences (number -> text) and, per sentence, its events.

    events: sentence number -> cross-document event chains mentioned (empty set: an event
    is annotated there but belongs to no cross-document chain).
    """

    name: str
    sentences: dict[int, str]
    events: dict[int, set[str]]


def read_ecb(path: Path) -> EcbDoc:
    """Tokens, event markables and cross-document event chains of one ECB+ XML file."""
    root = ElementTree.parse(path).getroot()
    tokens: dict[str, tuple[int, str]] = {}
    words: dict[int, list[str]] = defaultdict(list)
    for tok in root.iter("token"):
        sent = int(tok.get("sentence", "0"))
        tokens[tok.get("t_id", "")] = (sent, tok.text or "")
        words[sent].append(tok.text or "")
    markable_sents: dict[str, set[int]] = {}
    events: dict[int, set[str]] = defaultdict(set)
    markables = root.find("Markables")
    for m in markables if markables is not None else ():
        anchors = [a.get("t_id", "") for a in m.findall("token_anchor")]
        sents = {tokens[a][0] for a in anchors if a in tokens}
        markable_sents[m.get("m_id", "")] = sents
        if _EVENT_TAGS.match(m.tag) and sents:
            for s in sents:
                events.setdefault(s, set())
    relations = root.find("Relations")
    for rel in relations.findall("CROSS_DOC_COREF") if relations is not None else ():
        chain = rel.get("note", "")
        if not chain.startswith(("ACT", "NEG")):
            continue
        for src in rel.findall("source"):
            for s in markable_sents.get(src.get("m_id", ""), ()):
                events.setdefault(s, set()).add(chain)
    sentences = {n: _detokenise(" ".join(ws)) for n, ws in words.items()}
    return EcbDoc(path.stem, sentences, dict(events))


def _detokenise(text: str) -> str:
    text = text.replace("``", '"').replace("''", '"')
    for pattern, repl in _DETOK:
        text = pattern.sub(repl, text)
    return text


def ecb_article(doc: EcbDoc, topic: str) -> tuple[Article, dict[int, int]]:
    """The document as ingest would read it, and paragraph index -> ECB+ sentence number.

    The URL line is dropped; the first remaining line is the title when it has no final
    punctuation; short unpunctuated lines (datelines, crossheads) are headings.
    """
    lines = [(n, t) for n, t in sorted(doc.sentences.items()) if t.strip() and not t.startswith("http")]
    title = None
    if lines and not _SENTENCE_END.search(lines[0][1]):
        title = lines[0]
        lines = lines[1:]
    parts: list[str] = []
    pos = 0
    title_span = None
    if title:
        parts.append(title[1])
        title_span = (0, len(title[1]))
        pos = len(title[1]) + 2
    paragraphs: list[Paragraph] = []
    numbers: dict[int, int] = {}
    for n, t in lines:
        kind = "heading" if not _SENTENCE_END.search(t) and len(t.split()) < 12 else "body"
        numbers[len(paragraphs)] = n
        paragraphs.append(Paragraph(pos, pos + len(t), kind))
        parts.append(t)
        pos += len(t) + 2
    text = "\n\n".join(parts)
    article = Article(
        id=f"{topic}/{doc.name}",
        path=f"{topic}/{doc.name}.xml",
        text=text,
        title=title[1] if title else None,
        title_span=title_span,
        paragraphs=tuple(paragraphs),
    )
    return article, numbers


@dataclass
class Topic:
    """One ECB+ topic ready to align: articles, annotations, and the gold."""

    name: str
    articles: list[Article]
    annotations: list[Annotation]
    numbers: dict[str, dict[int, int]]  # article id -> paragraph -> ECB+ sentence number
    events: dict[str, dict[int, set[str]]]  # article id -> ECB+ sentence number -> chains


def load_topics(folder: Path, only: set[str] | None, cache: Path | None) -> list[Topic]:
    """Read and annotate every topic (or reuse the annotations pickled in ``cache``)."""
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            topics: list[Topic] = pickle.load(fh)
        return [t for t in topics if only is None or t.name in only]
    from rashomon.nlp import annotate_many

    topics = []
    names = sorted((p.name for p in folder.iterdir() if p.is_dir()), key=lambda s: (len(s), s))
    for name in names:
        if only is not None and name not in only:
            continue
        docs = [read_ecb(p) for p in sorted((folder / name).glob("*.xml"))]
        built = [ecb_article(d, name) for d in docs]
        articles = [a for a, _ in built]
        annotations = list(annotate_many(articles))
        topics.append(
            Topic(
                name,
                articles,
                annotations,
                {a.id: numbers for a, numbers in built},
                {a.id: d.events for (a, _), d in zip(built, docs, strict=True)},
            )
        )
    if cache is not None:
        with cache.open("wb") as fh:
            pickle.dump(topics, fh)
    return topics


@dataclass
class Counts:
    """Pair counts: true positives, predicted pairs, gold pairs."""

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.predicted += other.predicted
        self.gold += other.gold

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / self.predicted if self.predicted else 0.0
        r = self.tp / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


Pair = tuple[tuple[str, int], tuple[str, int]]


def _scored(topic: Topic) -> dict[tuple[str, int], set[str]]:
    """The ECB+ sentences that carry events linked across documents: (article id, sentence
    number) -> chains."""
    return {(aid, n): chains for aid, per in topic.events.items() for n, chains in per.items() if chains}


def predicted_pairs(topic: Topic, claims: Sequence[Claim]) -> set[Pair]:
    """Scored sentences of different articles that one claim holds together."""
    scored = _scored(topic)
    para_of = {(ann.article, s.id): s.paragraph for ann in topic.annotations for s in ann.sentences}
    predicted: set[Pair] = set()
    for claim in claims:
        keys = set()
        for cs in claim.sentences:
            number = topic.numbers[cs.article].get(para_of[(cs.article, cs.sentence)])
            if number is not None and (cs.article, number) in scored:
                keys.add((cs.article, number))
        predicted.update((a, b) for a in keys for b in keys if a < b and a[0] != b[0])
    return predicted


def gold_pairs(topic: Topic) -> set[Pair]:
    """Scored sentences of different articles that mention one cross-document event."""
    by_chain: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for key, chains in _scored(topic).items():
        for c in chains:
            by_chain[c].append(key)
    return {(a, b) for members in by_chain.values() for a in members for b in members if a < b and a[0] != b[0]}


def false_texts(topic: Topic, false: set[Pair]) -> list[tuple[str, str]]:
    """The sentences of the false pairs (for --verbose)."""
    texts = {
        (a.id, topic.numbers[a.id][k]): a.text[p.start : p.end]
        for a in topic.articles
        for k, p in enumerate(a.paragraphs)
    }
    return [(texts[a], texts[b]) for a, b in sorted(false)]


def score_topic(topic: Topic, claims: Sequence[Claim]) -> tuple[Counts, list[tuple[str, str]]]:
    """Pair counts of one topic, and its false pairs (for --verbose)."""
    predicted, gold = predicted_pairs(topic, claims), gold_pairs(topic)
    return Counts(len(predicted & gold), len(predicted), len(gold)), false_texts(topic, predicted - gold)


class MemoEncoder:
    """The packaged embedder, each distinct text encoded once per run (both modes below
    align the same sentences)."""

    def __init__(self) -> None:
        from rashomon.embed import get_embedder

        self.embedder = get_embedder()
        self.memo: dict[str, np.ndarray[Any, Any]] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, Any]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.memo]
        if missing:
            for t, v in zip(missing, self.embedder.encode(missing), strict=True):
                self.memo[t] = v
        return np.array([self.memo[t] for t in texts], dtype=np.float32).reshape(len(texts), -1)


def subset(topic: Topic, ids: set[str], name: str) -> Topic:
    """The topic restricted to the articles ``ids``."""
    return Topic(
        name,
        [a for a in topic.articles if a.id in ids],
        [n for n in topic.annotations if n.article in ids],
        topic.numbers,
        {k: v for k, v in topic.events.items() if k in ids},
    )


def events_of(topic: Topic) -> list[Topic]:
    """The topic's two events as two stories (``N_ecb`` and ``N_ecbplus`` documents)."""
    out = []
    for plus in (False, True):
        ids = {a.id for a in topic.articles if a.id.endswith("ecbplus") == plus}
        if ids:
            out.append(subset(topic, ids, f"{topic.name}{'plus' if plus else ''}"))
    return out


def merged(topics: Sequence[Topic]) -> Topic:
    """All topics' documents as one collection (article ids are unique across topics)."""
    return Topic(
        "all",
        [a for t in topics for a in t.articles],
        [n for t in topics for n in t.annotations],
        {k: v for t in topics for k, v in t.numbers.items()},
        {k: v for t in topics for k, v in t.events.items()},
    )


def run_mode(topics: Sequence[Topic], mode: str, encoder: MemoEncoder, verbose: bool) -> Counts:
    """Align and score one mode; micro-averaged pair counts over topics.

    event: each event's documents as one story; topic: each topic's documents as one
    story; stories: every topic's documents together, split into stories by
    ``rashomon.stories.cluster_articles`` (no gold used), each story aligned. Gold pairs
    are the topic's in every mode except ``event``, whose gold is each event's own."""
    total = Counts()
    if mode == "stories":
        from rashomon.stories import cluster_articles

        everything = merged(topics)
        found = cluster_articles(everything.articles)
        predicted: set[Pair] = set()
        for story in found:
            part = subset(everything, set(story.articles), story.id)
            if len(part.articles) > 1:
                predicted |= predicted_pairs(part, align_claims(part.articles, part.annotations, embedder=encoder))
        gold: set[Pair] = set().union(*(gold_pairs(t) for t in topics))
        if verbose:
            print(f"  stories mode: {len(found)} stories from {len(everything.articles)} documents of {len(topics)} topics")
            for a, b in false_texts(everything, predicted - gold)[:40]:
                print(f"      FALSE  {a[:90]}\n         <>  {b[:90]}")
        return Counts(len(predicted & gold), len(predicted), len(gold))
    for topic in topics:
        counts = Counts()
        for story in events_of(topic) if mode == "event" else [topic]:
            claims = align_claims(story.articles, story.annotations, embedder=encoder)
            c, false = score_topic(story, claims)
            counts.add(c)
            if verbose:
                for a, b in false[:10]:
                    print(f"      FALSE  {a[:90]}\n         <>  {b[:90]}")
        total.add(counts)
        if verbose:
            p, r, f = counts.prf()
            print(f"  {mode} mode, topic {topic.name:>3}: {len(topic.articles):3d} docs  P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    return total


MODES = {
    # mode: (figure prefix, what the printed line calls a story)
    "event": ("", "each event's documents as one story"),
    "topic": ("topic_", "each topic's documents as one story"),
    "stories": ("stories_", "all documents, split into stories by `stories`"),
}


def run_ecb(
    folder: Path, only: set[str] | None, cache: Path | None, verbose: bool, modes: Sequence[str] = tuple(MODES)
) -> dict[str, float] | None:
    """Every mode of ``run_mode``; the figures keyed as in eval/floors/alignment.json."""
    if not folder.is_dir():
        print(f"ecb+: {folder} not found; skipping")
        return None
    t0 = time.perf_counter()
    topics = load_topics(folder, only, cache)
    t1 = time.perf_counter()
    encoder = MemoEncoder()
    figures: dict[str, float] = {}
    for mode in modes:
        prefix, described = MODES[mode]
        total = run_mode(topics, mode, encoder, verbose)
        p, r, f = total.prf()
        print(
            f"ecb+ ({len(topics)} topics, {described}): pairs precision {p:.3f}  "
            f"recall {r:.3f}  F1 {f:.3f}  ({total.tp} of {total.predicted} predicted, {total.gold} gold)"
        )
        figures.update({f"{prefix}precision": p, f"{prefix}recall": r, f"{prefix}f1": f})
    t2 = time.perf_counter()
    print(f"ecb+: read+annotate {t1 - t0:.0f} s, align (all modes) {t2 - t1:.0f} s")
    return figures


# --- seeds ------------------------------------------------------------------------------


def run_seeds(folder: Path) -> tuple[int, int] | None:
    """Check the seed expectations; returns (passed, failed), or None when skipped."""
    if not folder.is_dir():
        print(f"seeds: {folder} not found; skipping")
        return None
    from rashomon.ingest import read_articles
    from rashomon.nlp import annotate_many

    articles = [a for a in read_articles([str(folder)]) if isinstance(a, Article)]
    articles = [a for a in articles if Path(a.path).name in (SEED_REUTERS, SEED_PRESSTV)]
    if len(articles) != 2:
        print(f"seeds: expected {SEED_REUTERS} and {SEED_PRESSTV} in {folder}; skipping")
        return None
    annotations = list(annotate_many(articles))
    claims = align_claims(articles, annotations)
    where = _claim_index(articles, annotations, claims)
    passed = failed = 0

    def report(ok: bool, label: str, detail: str) -> None:
        nonlocal passed, failed
        passed += ok
        failed += not ok
        print(f"  {'OK  ' if ok else 'FAIL'} {label}: {detail}")

    shared_claims: dict[str, str] = {}
    for label, named in SEED_SHARED.items():
        found = [where(name, sub) for name, sub in named]
        ids = {c.id for c in found if c is not None}
        claim = found[0]
        ok = None not in found and len(ids) == 1 and claim is not None and claim.status in ("shared", "conflict")
        if ok and claim is not None:
            shared_claims[label] = claim.id
        report(ok, f"shared: {label}", ", ".join(_describe(c) for c in found))
    distinct = len(set(shared_claims.values())) == len(shared_claims)
    report(distinct, "shared facts are distinct claims", ", ".join(f"{v}" for v in shared_claims.values()))
    for label, (name, sub) in SEED_UNIQUE.items():
        c = where(name, sub)
        report(c is not None and c.status == "unique", f"unique: {label}", _describe(c))
    print(f"seeds: {passed} OK, {failed} FAIL")
    return passed, failed


def _claim_index(
    articles: Sequence[Article], annotations: Sequence[Annotation], claims: Sequence[Claim]
) -> Any:
    by_sentence = {(cs.article, cs.sentence): c for c in claims for cs in c.sentences}

    def where(name: str, substring: str) -> Claim | None:
        for art, ann in zip(articles, annotations, strict=True):
            if Path(art.path).name != name:
                continue
            for s in ann.sentences:
                if substring in _plain(art.text[s.start : s.end]):
                    return by_sentence.get((art.id, s.id))
        return None

    return where


def _plain(text: str) -> str:
    """Whitespace of any kind as single spaces (the seeds hold no-break spaces)."""
    return " ".join(text.split())


def _describe(c: Claim | None) -> str:
    if c is None:
        return "sentence not found"
    return f"{c.id} {c.status} ({len(c.sentences)} sentences, {len(c.articles)} articles)"


# --- main -------------------------------------------------------------------------------


def _floors() -> dict[str, float]:
    return json.loads(FLOORS.read_text()) if FLOORS.exists() else {}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", help="the shared folder (holds eval/ecbplus and corpus/seeds)")
    parser.add_argument("--check", action="store_true", help="exit 1 below the floors or on a failed seed expectation")
    parser.add_argument("--topics", help="comma-separated ECB+ topics to run (default: all)")
    parser.add_argument("--cache", type=Path, help="pickle of the annotated topics, made on first use (speeds up reruns)")
    parser.add_argument("--verbose", action="store_true", help="print false pairs")
    parser.add_argument("--modes", default=",".join(MODES), help=f"comma-separated ECB+ modes (default: {','.join(MODES)})")
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not shared.is_dir():
        print(f"alignment: {shared} not found; skipping (it exists in CI beside the project)")
        return 0
    only = set(args.topics.split(",")) if args.topics else None
    modes = [m for m in args.modes.split(",") if m]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"unknown mode(s) {', '.join(unknown)}; choose from {', '.join(MODES)}")
    figures = run_ecb(shared / "eval" / "ecbplus" / "xml", only, args.cache, args.verbose, modes)
    seeds = run_seeds(shared / "corpus" / "seeds")
    if not args.check:
        return 0
    problems: list[str] = []
    if figures is not None and only is None:
        for key, floor in _floors().items():
            if key in figures and figures[key] < floor:
                problems.append(f"ecb+ {key} {figures[key]:.3f} is below the floor {floor:.3f}")
    if seeds is not None and seeds[1]:
        problems.append(f"{seeds[1]} seed expectation(s) failed")
    for p in problems:
        print(f"alignment: FAIL {p}")
    return 1 if problems else 0




if __name__ == "__main__":
    sys.exit(main())
