"""Claim alignment: the sentences of different articles that state the same fact, as claims.

    from rashomon.align import align_claims
    claims = align_claims(articles, annotations)            # one story's articles
    for claim in claims:
        print(claim.id, claim.status, claim.note, [s.sentence for s in claim.sentences])

The recipe (each step in its module):

1. put the articles in a canonical order (by id), so that the result never depends on the
   order they were given in;
2. split every reporting sentence into units: itself, its clauses, and itself without
   asides (``clauses``);
3. score unit pairs of different articles: MiniLM cosine and character n-gram TF-IDF
   cosine, plus a bonus when the sentences name the same day and a penalty when they
   report different people's words (``similarity``, ``details``);
4. link each unit to its mutual best match in each other article, and merge the links
   into groups by average linkage, precision first (``grouping``);
5. attach crossheads (``Paragraph.kind == "heading"``) to the claim of the sentence they
   head: a headline restates a fact rather than adding one, and headline-like lines
   attract false matches across articles (DEPENDENCIES.md), so they never link across
   articles on their own;
6. decide each claim's status: ``unique`` (one article), ``shared``, or ``conflict`` when
   the articles' numbers or event dates disagree, or they attribute it to different
   people (``details``);
7. number the claims "c1", "c2", ... in order of their first sentence, articles in input
   order.

Wire copies. Two articles in one wire group that carry the same wire sentence do share
it, so the claim is ``shared`` (INTERFACE.md: two or more articles). But one wire story is
one source: a claim that only copies of one wire story hold gets the note "wire copies
only: ..." so that the compare stage can count independent sources and a report can say
that the corroboration is only apparent. A claim that independent articles share as well
gets no such note.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rashomon.align.details import (
    Facts,
    attribution_note,
    conflict_note,
    same_people,
    sentence_facts,
    sentence_people,
    sentence_speakers,
)
from rashomon.align.grouping import Group, Settings, links, merge
from rashomon.align.similarity import (
    DATE_BONUS,
    Encoder,
    FloatArray,
    Units,
    build_units,
    char_tfidf,
    dates_agree,
    embed,
    logistic,
    score_story,
    unit_pair_score,
)
from rashomon.model import Annotation, Article, Claim, ClaimSentence, Sentence

__all__ = ["Settings", "align_claims"]

# Two sentences that report two different people's words state two different facts, however
# alike the words ("talks are continuing", said Peskov; "talks must go on", said Zelensky).
SPEAKER_PENALTY = 0.1
# Two sentences that both name people, but no person in common, most often tell of two
# different events of one kind ("DeGeneres will host the Oscars"; "Jackman will host").
ACTOR_PENALTY = 0.1
# Two sentences whose event dates differ need more textual evidence to be one fact.
DATE_PENALTY = 0.05
# Confidence is a logistic function of a claim's weakest link (shared claims), or of the best
# score its sentence reached with another article (unique claims), centred on the link
# threshold; SLOPE sets how fast it moves from doubt to certainty around it.
SLOPE = 0.05


@dataclass(frozen=True, slots=True)
class _Item:
    """One sentence taking part in alignment."""

    article: int  # index into the canonical article order
    sentence: Sentence
    position: int  # index of the sentence within its article's annotation
    heading: bool


def align_claims(
    articles: Sequence[Article],
    annotations: Sequence[Annotation],
    *,
    embedder: Encoder | None = None,
    wire_groups: Sequence[Sequence[str]] = (),
    settings: Settings | None = None,
) -> list[Claim]:
    """Group the sentences of one story's articles into claims (see the module docstring).

    articles, annotations: one Annotation per Article, in the same order; article ids unique.
    embedder: anything with ``encode(texts) -> unit vectors`` (default: the packaged MiniLM).
    wire_groups: sets of article ids that are copies of one wire story.
    settings: link and merge thresholds (default: ``Settings()``).

    Every sentence of every annotation ends in exactly one claim. Raises ValueError when
    the annotations do not match the articles.
    """
    settings = settings or Settings()
    _check(articles, annotations)
    if embedder is None:
        from rashomon.embed import get_embedder

        embedder = get_embedder()

    # 1. Canonical order: by article id.
    order = sorted(range(len(articles)), key=lambda k: articles[k].id)
    arts = [articles[k] for k in order]
    anns = [annotations[k] for k in order]
    items = [
        _Item(a, s, p, _is_heading(arts[a], s))
        for a, ann in enumerate(anns)
        for p, s in enumerate(ann.sentences)
    ]
    body = [it for it in items if not it.heading]
    heads = [it for it in items if it.heading]
    facts = [sentence_facts(art, ann) for art, ann in zip(arts, anns, strict=True)]
    speakers = [sentence_speakers(art, ann) for art, ann in zip(arts, anns, strict=True)]
    people = [sentence_people(ann) for ann in anns]

    # 2. Units: body sentences first, then headings (scored only within their article).
    units = build_units([_text(arts[it.article], it.sentence) for it in body + heads])
    vectors = embed(embedder, units.texts)
    grams = char_tfidf(units.texts)

    # 3. Scores of body sentences across articles.
    n_body = len(body)
    body_units = Units(
        units.texts[: int(units.first[n_body])], units.owner[: int(units.first[n_body])], units.first[: n_body + 1]
    )
    # dense article numbers: an article with no body sentence has no column
    article_of = np.unique(np.array([it.article for it in body], dtype=np.int64), return_inverse=True)[1].astype(np.int64)
    adjust = _adjustments(body, facts, speakers, people)
    scores = score_story(body_units, vectors, grams, article_of, adjust)

    # 4. Links and merges.
    found = links(scores.unit_best, scores.unit_arg, body_units.owner, article_of, settings)
    groups = merge(scores.sentences, article_of, found, settings)

    # 5. Headings join the claim of the sentence they head, if they restate it.
    group_of = {m: g for g, grp in enumerate(groups) for m in grp.members}
    joined: dict[int, list[tuple[_Item, float]]] = {}
    alone: list[_Item] = []
    for h, it in enumerate(heads):
        target, score = _headed(it, n_body + h, body, units, vectors, grams, arts, settings.threshold)
        if target is None:
            alone.append(it)
        else:
            joined.setdefault(group_of[target], []).append((it, score))

    # 6. Claims.
    wire_of = {aid: tuple(sorted(g)) for g in wire_groups for aid in g}
    best_other = scores.sentences.max(axis=1) if n_body else np.zeros(0, dtype=np.float32)
    claims = [
        _claim(g, body, joined.get(k, []), scores.sentences, best_other, arts, facts, speakers, wire_of, settings)
        for k, g in enumerate(groups)
    ]
    claims += [Claim("", "unique", (_claim_sentence(arts[it.article], it.sentence, 1.0),), None, 0.5) for it in alone]

    # 7. Ids and order: by first sentence, articles in input order.
    input_rank = {a.id: k for k, a in enumerate(articles)}

    def first_sentence(claim: Claim) -> tuple[int, int]:
        return min((input_rank[s.article], s.start) for s in claim.sentences)

    out: list[Claim] = []
    for i, c in enumerate(sorted(claims, key=first_sentence), start=1):
        sents = tuple(sorted(c.sentences, key=lambda s: (input_rank[s.article], s.start)))
        out.append(Claim(f"c{i}", c.status, sents, c.note, c.confidence))
    return out


def _check(articles: Sequence[Article], annotations: Sequence[Annotation]) -> None:
    if len(articles) != len(annotations):
        raise ValueError(
            f"align_claims: {len(articles)} articles but {len(annotations)} annotations; "
            "give one Annotation per Article, in the same order"
        )
    for art, ann in zip(articles, annotations, strict=True):
        if art.id != ann.article:
            raise ValueError(
                f"align_claims: the annotation of {ann.article!r} was given for article {art.id!r}; "
                "give annotations in the order of the articles"
            )
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        repeated = sorted({i for i in ids if ids.count(i) > 1})
        raise ValueError(f"align_claims: article ids must be unique; repeated: {', '.join(repeated)}")


def _is_heading(article: Article, sentence: Sentence) -> bool:
    paras = article.paragraphs
    return 0 <= sentence.paragraph < len(paras) and paras[sentence.paragraph].kind == "heading"


def _text(article: Article, sentence: Sentence) -> str:
    return article.text[sentence.start : sentence.end]


def _adjustments(
    body: Sequence[_Item],
    facts: Sequence[dict[str, Facts]],
    speakers: Sequence[dict[str, frozenset[str]]],
    people: Sequence[dict[str, frozenset[str]]],
) -> FloatArray:
    """N x N score adjustments for sentence pairs of different articles: +DATE_BONUS when
    they name the same day (after DEPENDENCIES.md), -DATE_PENALTY when their event dates
    differ, -SPEAKER_PENALTY when they report different people's words, -ACTOR_PENALTY
    when both name people but none in common."""
    n = len(body)
    adjust = np.zeros((n, n), dtype=np.float32)
    empty: frozenset[str] = frozenset()
    keys = []
    for it in body:
        f = facts[it.article].get(it.sentence.id, Facts())
        event_dates = frozenset(w.value for w in f.dates)
        keys.append(
            (
                f.all_dates,
                event_dates,
                speakers[it.article].get(it.sentence.id, empty),
                people[it.article].get(it.sentence.id, empty),
            )
        )
    active = [i for i, k in enumerate(keys) if any(k)]
    for x, i in enumerate(active):
        di, ei, si, pi = keys[i]
        for j in active[x + 1 :]:
            if body[i].article == body[j].article:
                continue
            dj, ej, sj, pj = keys[j]
            delta = 0.0
            if di and dj and dates_agree(di, dj):
                delta += DATE_BONUS
            elif ei and ej:
                delta -= DATE_PENALTY
            if si and sj and not same_people(si, sj):
                delta -= SPEAKER_PENALTY
            elif pi and pj and not same_people(pi, pj):
                delta -= ACTOR_PENALTY
            if delta:
                adjust[i, j] = adjust[j, i] = delta
    return adjust


def _headed(
    it: _Item,
    index: int,
    body: Sequence[_Item],
    units: Units,
    vectors: FloatArray,
    grams: Any,
    arts: Sequence[Article],
    threshold: float,
) -> tuple[int | None, float]:
    """The body sentence of a heading's own section that it restates best, with the score,
    or (None, 0.0). The section runs from the heading to the article's next heading."""
    paras = arts[it.article].paragraphs
    end = next((k for k in range(it.sentence.paragraph + 1, len(paras)) if paras[k].kind == "heading"), len(paras))
    best: tuple[int | None, float] = (None, 0.0)
    for i, b in enumerate(body):
        if b.article != it.article or not it.sentence.paragraph < b.sentence.paragraph < end:
            continue
        score = unit_pair_score(units, vectors, grams, index, i)
        if score >= threshold and score > best[1]:
            best = (i, score)
    return best


def _claim_sentence(article: Article, sentence: Sentence, score: float) -> ClaimSentence:
    return ClaimSentence(article.id, sentence.id, sentence.start, sentence.end, round(min(float(score), 1.0), 3))


def _claim(
    group: Group,
    body: Sequence[_Item],
    heads: Sequence[tuple[_Item, float]],
    scores: FloatArray,
    best_other: FloatArray,
    arts: Sequence[Article],
    facts: Sequence[dict[str, Facts]],
    speakers: Sequence[dict[str, frozenset[str]]],
    wire_of: dict[str, tuple[str, ...]],
    settings: Settings,
) -> Claim:
    """One group as a Claim (id still empty): sentences with scores, status, note, confidence."""
    members = group.members
    sents: list[ClaimSentence] = []
    for m in members:
        it = body[m]
        others = [o for o in members if body[o].article != it.article]
        score = float(scores[m, others].max()) if others else 1.0
        sents.append(_claim_sentence(arts[it.article], it.sentence, score))
    sents += [_claim_sentence(arts[it.article], it.sentence, score) for it, score in heads]
    article_ids = list(dict.fromkeys(arts[body[m].article].id for m in members))
    if len(article_ids) == 1:
        # How sure we are that no other article states it: the nearer its best match in
        # another article came to the threshold, the less sure.
        best = float(best_other[list(members)].max()) if len(best_other) else -1.0
        confidence = 1.0 - logistic((best - settings.threshold) / SLOPE)
        return Claim("", "unique", tuple(sents), None, round(confidence, 3))
    per_article: dict[str, list[Facts]] = {}
    people: dict[str, frozenset[str]] = {}
    for m in members:
        it = body[m]
        aid = arts[it.article].id
        per_article.setdefault(aid, []).append(facts[it.article].get(it.sentence.id, Facts()))
        people[aid] = people.get(aid, frozenset()) | speakers[it.article].get(it.sentence.id, frozenset())
    notes = [n for n in (conflict_note(per_article, article_ids), attribution_note(people, article_ids)) if n]
    status = "conflict" if notes else "shared"
    wire = {wire_of.get(a) for a in article_ids}
    if not notes and len(wire) == 1 and None not in wire:
        notes.append(f"wire copies only: {', '.join(article_ids)} (one independent source)")
    weakest = group.weakest if group.weakest is not None else settings.threshold
    confidence = logistic((weakest - settings.threshold) / SLOPE + 1.0)
    return Claim("", status, tuple(sents), "; ".join(notes) or None, round(confidence, 3))
