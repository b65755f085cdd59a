"""Claim alignment: the sentences of different articles that state the same fact, as claims.

    from rashomon.align import align_claims
    claims = align_claims(articles, annotations)            # one story's articles
    for claim in claims:
        print(claim.id, claim.status, claim.note, [s.sentence for s in claim.sentences])

The recipe (each step in its module):

1. put the articles in a canonical order (by id), so that the result never depends on the
   order they were given in;
2. split every reporting sentence into units: its clauses, less the frames that only name
   a speaker ("Lavrov said on Tuesday that ..."), and each clause without its asides
   (``clauses``); DEPENDENCIES.md measured that clauses, not whole sentences, align facts;
3. score unit pairs of different articles: 0.7 x MiniLM cosine + 0.3 x character 3-5-gram
   TF-IDF cosine (``similarity``), adjusted per sentence pair: +0.1 when they name the same
   day or count the same thing befallen by the same event ("14 killed", "20 died"), a
   penalty when their event dates or their numbers of one thing cannot agree, when
   they report different people's words, or name people but none in common (``details``);
4. link each unit to its mutual best match in each other article, move each link's score
   by how alike the two units are beyond their shared words (so "the mayor opened the
   bridge" and "the mayor was criticised for the bridge" fall apart), and merge the links
   into groups by average linkage, precision first (``grouping``);
5. attach crossheads (``Paragraph.kind == "heading"``) to the claim of the sentence they
   head: a headline restates a fact rather than adding one, and headline-like lines
   attract false matches across articles (DEPENDENCIES.md), so they never link across
   articles on their own;
6. decide each claim's status: ``unique`` (one article), ``shared``, or ``conflict`` when
   the articles' numbers or event dates disagree, one denies a word another asserts
   ("we warned them" / "there was no warning": ``polarity``), or they attribute it to
   different people (``details``). Sentences that count one event with figures that
   cannot agree, or two otherwise unmatched sentences that are each other's best match and
   deny each other, are joined into one conflict claim first;
7. number the claims "c1", "c2", ... in order of their first sentence, articles in input
   order. Notes name articles in id order, so they too do not depend on the input order.

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
import scipy.sparse as sp

from rashomon.align.details import (
    Facts,
    attribution_note,
    conflict_note,
    conflict_values,
    dates_differ,
    events_named,
    name_words,
    numbers_differ,
    place_keys,
    said_by,
    same_count,
    sentence_facts,
    sentence_people,
    sentence_places,
    sentence_speakers,
)
from rashomon.align.grouping import Group, Link, Settings, links, merge
from rashomon.align.polarity import Polarity, clash, polarity
from rashomon.align.similarity import (
    DATE_BONUS,
    Encoder,
    FloatArray,
    Units,
    build_units,
    char_tfidf,
    embed,
    logistic,
    residual_similarity,
    score_story,
    unit_pair_score,
)
from rashomon.model import Annotation, Article, Claim, ClaimSentence, Sentence, TextSpan

__all__ = ["Settings", "align_claims"]

# Two sentences that report two different people's words state two different facts, however
# alike the words ("talks are continuing", said Peskov; "talks must go on", said Zelensky).
SPEAKER_PENALTY = 0.1
# Two sentences that both name people, but no person in common, most often tell of two
# different events of one kind ("DeGeneres will host the Oscars"; "Jackman will host").
ACTOR_PENALTY = 0.1
# Two sentences that both name places, but no place in common (by a spelling-blind key:
# "Kyiv" = "Kiev"), most often tell of two events of one kind in two places ("a fire
# destroyed the supermarket in Wellington"; "... in Banstead").
PLACE_PENALTY = 0.1
# Two sentences whose event dates differ need more textual evidence to be one fact.
DATE_PENALTY = 0.05
# Two sentences that count one thing with numbers that cannot agree ("23 pirates", "26
# pirates") may be a conflict, or two events: they need more textual evidence.
NUMBER_PENALTY = 0.05
# Two sentences that count the same thing befallen by the same named event ("14 people were
# killed"; "the bodies of at least 20 people") state one fact, or disagree over it, which is
# the conflict a reader most needs to see: they need less textual evidence. Paraphrases of
# a toll share few words ("Fourteen people died" / "clashes that killed 14 people").
COUNT_BONUS = 0.1
# Two claims whose sentences count the same thing befallen by the same event with numbers
# that cannot agree ("14 people died"; "at least 20 people were killed") are one fact that
# outlets disagree on, when such a pair scores at least this: they become one conflict.
# Reports of one toll in other words share few words, so the bar is below THRESHOLD.
CONFLICT_LINK = 0.4
# Two sentences that tell of one thing befalling one person ("police detained Teodor
# Vashkin on Wednesday"; "Vaškin was detained on the evening of March 4") state one fact,
# or disagree over it: as for counts, they need less textual evidence.
PERSON_EVENT_BONUS = 0.1
# ... and when the two claims' sentences of different articles score this on average, so
# that one close pair cannot join two claims that otherwise say different things.
CONFLICT_LINKAGE = 0.3
# Confidence is the chance that two sentences linked at a given score report one event,
# a logistic curve fitted to ECB+ (topics 1-35, each event's articles aligned as one story:
# precision 0.81 for links scoring 0.5-0.6, 0.89 for 0.6-0.7, 0.96 for 0.7-0.8). A shared
# claim gets it at its weakest link; a unique claim gets one minus it at the best score its
# sentences reached with any other article.
# Links this far below the threshold are kept for the residual check, which may lift them.
RESIDUAL_MARGIN = 0.05
CONFIDENCE_SLOPE = 6.8
CONFIDENCE_CENTRE = 0.34


@dataclass(frozen=True, slots=True)
class _Item:
    """One sentence taking part in alignment."""

    article: int  # index into the canonical article order
    sentence: Sentence
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
        _Item(a, s, _is_heading(arts[a], s))
        for a, ann in enumerate(anns)
        for s in ann.sentences
    ]
    body = [it for it in items if not it.heading]
    heads = [it for it in items if it.heading]
    facts = [sentence_facts(art, ann) for art, ann in zip(arts, anns, strict=True)]
    speakers = [sentence_speakers(art, ann) for art, ann in zip(arts, anns, strict=True)]
    people = [sentence_people(ann) for ann in anns]
    places = [sentence_places(ann) for ann in anns]

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
    body_texts = [_text(arts[it.article], it.sentence) for it in body]
    adjust = _adjustments(body, facts, speakers, people, places, body_texts)
    scores = score_story(body_units, vectors, grams, article_of, adjust)

    # 4. Links, checked on what the two units say beyond their shared words, and merges.
    found = _check_residuals(
        links(scores.unit_best, scores.unit_arg, body_units.owner, article_of, settings, settings.threshold - RESIDUAL_MARGIN),
        units,
        embedder,
        scores.sentences,
        settings,
    )
    groups = merge(scores.sentences, article_of, found, settings)
    polar = [polarity(t) for t in body_texts]
    groups = _merge_conflicts(groups, body, facts, polar, scores.sentences)

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
        _claim(g, body, joined.get(k, []), scores.sentences, best_other, arts, facts, speakers, polar, wire_of, settings)
        for k, g in enumerate(groups)
    ]
    # A heading that restates nothing of its section was never compared across articles:
    # its confidence says that nothing is known either way.
    claims += [Claim("", "unique", (_claim_sentence(arts[it.article], it.sentence, 1.0),), None, 0.5) for it in alone]

    # 7. Ids and order: by first sentence, articles in input order.
    input_rank = {a.id: k for k, a in enumerate(articles)}

    def first_sentence(claim: Claim) -> tuple[int, int]:
        return min((input_rank[s.article], s.start) for s in claim.sentences)

    out: list[Claim] = []
    for i, c in enumerate(sorted(claims, key=first_sentence), start=1):
        sents = tuple(sorted(c.sentences, key=lambda s: (input_rank[s.article], s.start)))
        out.append(Claim(f"c{i}", c.status, sents, c.note, c.confidence, c.values))
    return out


def _check_residuals(
    found: Sequence[Link], units: Units, encoder: Encoder, scores: FloatArray, settings: Settings
) -> list[Link]:
    """Each link's score moved by how alike its two units are beyond their shared words
    (``similarity.residual_similarity``); links that then fall below the threshold are
    dropped. The sentence scores of linked pairs are updated in place, so that merging
    averages the checked scores."""
    sims = residual_similarity(encoder, [(units.texts[k.u], units.texts[k.v]) for k in found])
    kept: list[Link] = []
    for link, sim in zip(found, sims, strict=True):
        score = link.score + settings.residual_weight * (sim - settings.residual_centre)
        scores[link.i, link.j] = scores[link.j, link.i] = score
        if score >= settings.threshold:
            kept.append(Link(score, link.i, link.j, link.u, link.v))
    return sorted(kept, key=lambda k: (-k.score, k.i, k.j))


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
    places: Sequence[dict[str, frozenset[str]]],
    texts: Sequence[str],
) -> FloatArray:
    """N x N score adjustments for sentence pairs of different articles: +DATE_BONUS when
    they name the same day (after DEPENDENCIES.md), -DATE_PENALTY when their event dates
    differ, +COUNT_BONUS when they count the same thing befallen by the same event (agreeing
    or not), else -NUMBER_PENALTY when their numbers of one thing cannot agree, -SPEAKER_PENALTY
    when they report different people's words, -ACTOR_PENALTY when both name people but
    none in common, -PLACE_PENALTY when both name places but none in common, and
    +PERSON_EVENT_BONUS when both tell of one event befalling one person.

    Set overlaps are sparse incidence products, so the cost grows with the sentences that
    name dates or people, not with all pairs in Python.
    """
    empty: frozenset[str] = frozenset()
    f = [facts[it.article].get(it.sentence.id, Facts()) for it in body]
    art = np.array([it.article for it in body], dtype=np.int64)
    other = art[:, None] != art[None, :]
    days = [frozenset(d[-5:] for d in x.all_dates) for x in f]
    said = [name_words(speakers[it.article].get(it.sentence.id, empty)) for it in body]
    named = [name_words(people[it.article].get(it.sentence.id, empty)) for it in body]
    located = [place_keys(places[it.article].get(it.sentence.id, empty)) for it in body]
    befell = [
        frozenset(f"{w}|{e}" for w in named[k] for e in events_named(texts[k])) if named[k] else empty
        for k in range(len(body))
    ]
    agree, _ = _overlap(days)
    same_speaker, has_speaker = _overlap(said)
    same_person, has_person = _overlap(named)
    adjust = np.where(other & agree, DATE_BONUS, 0.0)
    differ_speaker = other & has_speaker[:, None] & has_speaker[None, :] & ~same_speaker
    differ_person = other & has_person[:, None] & has_person[None, :] & ~same_person
    adjust -= np.where(differ_speaker, SPEAKER_PENALTY, np.where(differ_person, ACTOR_PENALTY, 0.0))
    same_fate, _ = _overlap(befell)
    adjust += np.where(other & same_fate, PERSON_EVENT_BONUS, 0.0)
    same_place, has_place = _overlap(located)
    adjust -= np.where(other & has_place[:, None] & has_place[None, :] & ~same_place, PLACE_PENALTY, 0.0)
    # Dates and numbers: only the few sentences that hold them, pairwise.
    dated = [i for i, x in enumerate(f) if x.dates]
    for k, i in enumerate(dated):
        for j in dated[k + 1 :]:
            if other[i, j] and not agree[i, j] and dates_differ(f[i], f[j]):
                adjust[i, j] -= DATE_PENALTY
                adjust[j, i] -= DATE_PENALTY
    counted = [i for i, x in enumerate(f) if x.amounts]
    for k, i in enumerate(counted):
        for j in counted[k + 1 :]:
            if not other[i, j]:
                continue
            if same_count(f[i], f[j]):
                adjust[i, j] += COUNT_BONUS
                adjust[j, i] += COUNT_BONUS
            elif numbers_differ(f[i], f[j]):
                adjust[i, j] -= NUMBER_PENALTY
                adjust[j, i] -= NUMBER_PENALTY
    return adjust.astype(np.float32)


def _merge_conflicts(
    groups: Sequence[Group],
    body: Sequence[_Item],
    facts: Sequence[dict[str, Facts]],
    polar: Sequence[Polarity],
    scores: FloatArray,
) -> list[Group]:
    """Groups joined along sentence pairs of different articles that disagree and score
    CONFLICT_LINK or more, strongest pair first (ties by sentence index), when the two
    groups' cross-article scores average CONFLICT_LINKAGE or more: the claim becomes a
    conflict. Two sentences disagree when they count the same thing befallen by the same
    event with numbers that cannot agree, or, for two sentences that are each other's best
    match and in no group yet, when one denies a word the other asserts (``polarity``: "we
    warned them" / "there was no warning")."""
    f = [facts[it.article].get(it.sentence.id, Facts()) for it in body]
    counted = [i for i, x in enumerate(f) if any(a.event for a in x.amounts)]
    candidates = {
        (i, j)
        for k, i in enumerate(counted)
        for j in counted[k + 1 :]
        if body[i].article != body[j].article
        and scores[i, j] >= CONFLICT_LINK
        and same_count(f[i], f[j])
        and numbers_differ(f[i], f[j])
    }
    # A denial joins two sentences that no other sentence joined, each the other's best
    # match: joining groups over one denied word chained different facts together on ECB+.
    alone = {grp.members[0] for grp in groups if len(grp.members) == 1}
    best = scores.argmax(axis=1) if len(body) else np.zeros(0, dtype=np.int64)
    for i in sorted(alone):
        j = int(best[i])
        if (
            i < j
            and j in alone
            and int(best[j]) == i
            and body[i].article != body[j].article
            and scores[i, j] >= CONFLICT_LINK
            and clash(polar[i], polar[j])
        ):
            candidates.add((i, j))
    pairs = sorted((-float(scores[i, j]), i, j) for i, j in candidates)
    if not pairs:
        return list(groups)
    owner = {m: g for g, grp in enumerate(groups) for m in grp.members}
    root = list(range(len(groups)))

    def find(g: int) -> int:
        while root[g] != g:
            g = root[g]
        return g

    weakest: dict[int, float | None] = {g: grp.weakest for g, grp in enumerate(groups)}
    members: dict[int, list[int]] = {g: list(grp.members) for g, grp in enumerate(groups)}
    for neg, i, j in pairs:
        a, b = find(owner[i]), find(owner[j])
        if a == b:
            continue
        ma, mb = members[a], members[b]
        cross = [float(scores[x, y]) for x in ma for y in mb if body[x].article != body[y].article]
        if sum(cross) < CONFLICT_LINKAGE * len(cross):
            continue  # one close pair between two groups that otherwise say other things
        keep, drop = min(a, b), max(a, b)
        members[keep] = ma + mb
        del members[drop]
        root[drop] = keep
        found = [w for w in (weakest[keep], weakest[drop], -neg) if w is not None]
        weakest[keep] = min(found)
    return [Group(tuple(sorted(m)), weakest[g]) for g, m in sorted(members.items())]


def _overlap(sets: Sequence[frozenset[str]]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """(N x N: the two sets share a member, N: the set is not empty), by a sparse product."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, members in enumerate(sets):
        for m in sorted(members):
            rows.append(i)
            cols.append(vocab.setdefault(m, len(vocab)))
    n = len(sets)
    incidence = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, max(len(vocab), 1)))
    shared = (incidence @ incidence.T).toarray() > 0
    return shared, np.array([bool(m) for m in sets], dtype=bool)


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


def _calibrated(score: float) -> float:
    return logistic(CONFIDENCE_SLOPE * (score - CONFIDENCE_CENTRE))


def _claim(
    group: Group,
    body: Sequence[_Item],
    heads: Sequence[tuple[_Item, float]],
    scores: FloatArray,
    best_other: FloatArray,
    arts: Sequence[Article],
    facts: Sequence[dict[str, Facts]],
    speakers: Sequence[dict[str, frozenset[str]]],
    polar: Sequence[Polarity],
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
        confidence = 1.0 - _calibrated(best)
        return Claim("", "unique", tuple(sents), None, round(confidence, 3))
    per_article: dict[str, list[Facts]] = {}
    people: dict[str, frozenset[str]] = {}
    for m in members:
        it = body[m]
        aid = arts[it.article].id
        per_article.setdefault(aid, []).append(facts[it.article].get(it.sentence.id, Facts()))
        people[aid] = people.get(aid, frozenset()) | speakers[it.article].get(it.sentence.id, frozenset())
    denied, denied_spans = _denials(members, body, arts, speakers, polar, scores)
    # A denial's note names who says what already; an attribution note would repeat it.
    attributed = None if denied else attribution_note(people, article_ids)
    notes = [n for n in (conflict_note(per_article, article_ids), denied, attributed) if n]
    status = "conflict" if notes else "shared"
    # The spans a conflict rests on: the numbers and dates that disagree, the words denied.
    text_of = {a.id: a.text for a in arts}
    rank = {aid: k for k, aid in enumerate(article_ids)}
    spans = sorted(
        set((conflict_values(per_article, article_ids) if notes else []) + denied_spans),
        key=lambda t: (rank[t[0]], t[2], t[3], t[1]),
    )
    values = tuple(TextSpan(aid, start, end, text_of[aid][start:end], kind) for aid, kind, start, end, _ in spans)
    wire = {wire_of.get(a) for a in article_ids}
    if not notes and len(wire) == 1 and None not in wire:
        notes.append(f"wire copies only: {', '.join(article_ids)} (one independent source)")
    weakest = group.weakest if group.weakest is not None else settings.threshold
    confidence = _calibrated(weakest)
    return Claim("", status, tuple(sents), "; ".join(notes) or None, round(confidence, 3), values)


def _denials(
    members: Sequence[int],
    body: Sequence[_Item],
    arts: Sequence[Article],
    speakers: Sequence[dict[str, frozenset[str]]],
    polar: Sequence[Polarity],
    scores: FloatArray,
) -> tuple[str | None, list[tuple[str, str, int, int, str]]]:
    """Where one of the claim's sentences denies a word that a sentence of another article
    asserts, the two scoring CONFLICT_LINK or more: the note ("denied: “warned” (a.txt,
    quoting X) vs “no warning” (b.txt, quoting Y)", the first such word of each pair) and
    the spans (article, "denial", start, end, text)."""
    parts: list[str] = []
    spans: list[tuple[str, str, int, int, str]] = []
    for k, x in enumerate(members):
        for y in members[k + 1 :]:
            if body[x].article == body[y].article or scores[x, y] < CONFLICT_LINK:
                continue
            found = clash(polar[x], polar[y])
            if not found:
                continue
            said = []
            for m, span in ((x, found[0][1]), (y, found[0][2])):
                art, sentence = arts[body[m].article], body[m].sentence
                start, end = sentence.start + span[0], sentence.start + span[1]
                who = ", ".join(sorted(speakers[body[m].article].get(sentence.id, frozenset()))) or None
                said.append(f"“{art.text[start:end]}” ({said_by(art.id, who)})")
                spans.append((art.id, "denial", start, end, art.text[start:end]))
            parts.append(" vs ".join(said))
    return (f"denied: {'; '.join(dict.fromkeys(parts))}" if parts else None), spans

