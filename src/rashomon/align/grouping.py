"""Sentences into claims: best-match links, merged by average linkage, precision first.

Two steps over the scores of ``similarity.score_story``:

1. Links. A unit (a sentence or one of its clauses) links to its best-scoring unit in
   each other article when that score reaches THRESHOLD and the link is mutual within
   MARGIN (the other unit has no clearly better partner in this article): competitive
   linking, as in word alignment (Melamed 2000), which keeps one article's fact from
   pairing with every sentence of another that mentions the same names. (``align_claims``
   then checks each link on the words its two units do not share; see
   ``similarity.residual_similarity``.)
2. Merges. Links are taken strongest first; two groups merge only when the mean score of
   all their cross-article sentence pairs reaches LINKAGE: average-linkage agglomerative
   clustering (Sokal & Michener 1958) restricted to linked pairs, so a chain of
   loosely similar sentences across twenty articles cannot grow into one false claim.

Ties are broken by sentence index in the canonical order (articles by id), never by input
order, so permuting the articles gives the same groups.

The thresholds were set on the two seed articles (their true pairs score 0.53-0.70, see
DEPENDENCIES.md) and checked on ECB+ (eval/alignment.py): raising LINKAGE from 0.5 to 0.6
lifts pair precision there from about 0.90 to 0.93 and cuts recall by 40%, and loses
paraphrases that the seeds hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

THRESHOLD = 0.5
MARGIN = 0.05
LINKAGE = 0.5
RESIDUAL_WEIGHT = 0.5
RESIDUAL_CENTRE = 0.35

FloatArray = np.ndarray[Any, np.dtype[np.float32]]
IntArray = np.ndarray[Any, np.dtype[np.int64]]


@dataclass(frozen=True, slots=True)
class Settings:
    """The thresholds of one alignment run (recorded so that a result can be reproduced).

    threshold: the least score of a link. margin: how far below the other unit's best a
    link may be and still count as mutual. linkage: the least mean score of the
    cross-article pairs of two groups that merge. residual_weight, residual_centre: a link's
    score moves by weight x (residual similarity - centre).
    """

    threshold: float = THRESHOLD
    margin: float = MARGIN
    linkage: float = LINKAGE
    residual_weight: float = RESIDUAL_WEIGHT
    residual_centre: float = RESIDUAL_CENTRE

    def describe(self) -> dict[str, str]:
        """The settings as strings, for ``Comparison.settings``."""
        names = ("threshold", "margin", "linkage", "residual_weight", "residual_centre")
        return {f"align.{k}": str(getattr(self, k)) for k in names}


@dataclass(frozen=True, slots=True)
class Link:
    """Sentences i < j linked at ``score`` through their units u (of i) and v (of j)."""

    score: float
    i: int
    j: int
    u: int
    v: int


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
    threshold: float | None = None,
) -> list[Link]:
    """Mutual best-match links between units, as sentence links (i < j), strongest first,
    ties broken by sentence index; ``threshold`` overrides the settings' one.

    Links are found between units (a sentence and its clauses), so a sentence that joins
    two facts can link to two different sentences of one other article, one per fact.
    """
    if unit_best.size == 0:
        return []
    u, b = np.nonzero(unit_best >= (settings.threshold if threshold is None else threshold))
    v = unit_arg[u, b]
    a = article_of[unit_owner[u]]
    # mutual within the margin: u is (nearly) v's best unit in u's article
    mutual = unit_best[v, a] <= unit_best[u, b] + settings.margin
    found: dict[tuple[int, int], Link] = {}
    for uu, vv, score in zip(u[mutual], v[mutual], unit_best[u[mutual], b[mutual]], strict=True):
        i, j = int(unit_owner[uu]), int(unit_owner[vv])
        if i > j:
            i, j, uu, vv = j, i, vv, uu
        link = Link(float(score), i, j, int(uu), int(vv))
        if (i, j) not in found or _stronger(link, found[(i, j)]):
            found[(i, j)] = link
    return sorted(found.values(), key=lambda t: (-t.score, t.i, t.j))


def _stronger(a: Link, b: Link) -> bool:
    return (a.score, -a.u, -a.v) > (b.score, -b.u, -b.v)


def merge(
    scores: FloatArray, article_of: IntArray, candidates: Sequence[Link], settings: Settings
) -> list[Group]:
    """Average-linkage merging along the links; every sentence ends in exactly one group."""
    n = scores.shape[0]
    group_of = list(range(n))
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    weakest: dict[int, float | None] = dict.fromkeys(range(n))
    for link in candidates:
        score, i, j = link.score, link.i, link.j
        gi, gj = group_of[i], group_of[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        block = scores[np.ix_(a, b)]
        cross = article_of[a][:, None] != article_of[b][None, :]
        if not cross.any() or float(block[cross].mean()) < settings.linkage:
            continue
        keep, drop = (gi, gj) if gi < gj else (gj, gi)
        members[keep] = sorted(members[keep] + members.pop(drop))
        for k in members[keep]:
            group_of[k] = keep
        candidates_weakest = [w for w in (weakest.pop(drop), weakest[keep], score) if w is not None]
        weakest[keep] = min(candidates_weakest)
    return [Group(tuple(m), weakest[g]) for g, m in sorted(members.items())]
