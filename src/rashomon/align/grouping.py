"""Sentences into claims: best-match links, merged by average linkage, precision first.

Two steps over the sentence score matrix (``similarity.sentence_scores``):

1. Links. A unit (a sentence or one of its clauses) links to its best-scoring unit in
   each other article when that score reaches THRESHOLD and the link is mutual within
   MARGIN (the other unit has no clearly better partner in this article): competitive linking, as in word alignment
   (Melamed 2000), which keeps one article's fact from pairing with every sentence of
   another that mentions the same names.
2. Merges. Links are taken strongest first; two groups merge only when the mean score of
   all their cross-article sentence pairs reaches LINKAGE: average-linkage agglomerative
   clustering (Sokal & Michener 1958) restricted to linked pairs, so a chain of
   loosely similar sentences across twenty articles cannot grow into one false claim.

Ties are broken by (article id, sentence position), never by input order, so permuting
the articles gives the same groups.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

THRESHOLD = 0.5
MARGIN = 0.05
LINKAGE = 0.5
FLOOR = -1.0

FloatArray = np.ndarray[Any, np.dtype[np.float32]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]


@dataclass(frozen=True, slots=True)
class Settings:
    """The thresholds of one alignment run (recorded so that a result can be reproduced)."""

    threshold: float = THRESHOLD
    margin: float = MARGIN
    linkage: float = LINKAGE
    floor: float = FLOOR


@dataclass(frozen=True, slots=True)
class Group:
    """A set of sentence indices, with the weakest link score that formed it (None alone)."""

    members: tuple[int, ...]
    weakest: float | None


def links(
    unit_best: FloatArray,
    unit_arg: IntArray,
    unit_owner: IntArray,
    article_of: IntArray,
    settings: Settings,
) -> list[tuple[float, int, int]]:
    """Mutual best-match links between units, as sentence links (score, i, j) with i < j,
    strongest first, ties broken by sentence index.

    Links are found between units (a sentence and its clauses), so a sentence that joins
    two facts can link to two different sentences of one other article, one per fact.
    """
    if unit_best.size == 0:
        return []
    u, b = np.nonzero(unit_best >= settings.threshold)
    v = unit_arg[u, b]
    a = article_of[unit_owner[u]]
    # mutual within the margin: u is (nearly) v's best unit in u's article
    mutual = unit_best[v, a] <= unit_best[u, b] + settings.margin
    found: dict[tuple[int, int], float] = {}
    for uu, vv, score in zip(u[mutual], v[mutual], unit_best[u[mutual], b[mutual]], strict=True):
        i, j = int(unit_owner[uu]), int(unit_owner[vv])
        key = (min(i, j), max(i, j))
        found[key] = max(found.get(key, -1.0), float(score))
    return sorted(((s, i, j) for (i, j), s in found.items()), key=lambda t: (-t[0], t[1], t[2]))


def merge(
    scores: FloatArray, article_of: IntArray, candidates: Sequence[tuple[float, int, int]], settings: Settings
) -> list[Group]:
    """Average-linkage merging along the links; every sentence ends in exactly one group."""
    n = scores.shape[0]
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    weakest: dict[int, float | None] = dict.fromkeys(range(n))
    for score, i, j in candidates:
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        block = scores[np.ix_(a, b)]
        cross = article_of[a][:, None] != article_of[b][None, :]
        if not cross.any() or float(block[cross].mean()) < settings.linkage:
            continue
        if float(block[cross].min()) < settings.floor:
            continue
        keep, drop = (gi, gj) if gi < gj else (gj, gi)
        members[keep] = sorted(members[keep] + members.pop(drop))
        for k in members[keep]:
            group_of[k] = keep
        candidates_weakest = [w for w in (weakest.pop(drop), weakest[keep], score) if w is not None]
        weakest[keep] = min(candidates_weakest)
    return [Group(tuple(m), weakest[g]) for g, m in sorted(members.items())]
