"""Prominence: a fact that one article leads with and another buries.

The lede is where news writing puts what it judges most important (the inverted pyramid;
Pöttker 2003, "News and its communicative quality: the inverted pyramid"). Rashomon takes
an article's lede to be its first ``LEDE_SENTENCES`` sentences of reporting (datelines
and crossheads skipped), and a fact as buried where it first appears in the second half
of the article and after the lede. Facts come from claim alignment (``Claim``): only
shared and conflicting claims, which more than one article states, can differ in this way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rashomon.framing.view import ArticleView
from rashomon.model import Claim, FramingFinding

LEDE_SENTENCES = 2
BURIED_FROM = 0.5  # fraction of the article's reporting sentences
_WORDS = re.compile(r"[^\W_][\w’'-]*")


def reporting_sentences(view: ArticleView) -> list[str]:
    """Ids of the sentences of reporting, in order: body paragraphs only, and no dateline
    ("PORT ALVER (Meridian Press) -") or other line of fewer than four words."""
    out = []
    for s in view.annotation.sentences:
        para = (
            view.article.paragraphs[s.paragraph]
            if 0 <= s.paragraph < len(view.article.paragraphs)
            else None
        )
        if para is not None and para.kind != "body":
            continue
        if len(_WORDS.findall(view.text[s.start : s.end])) < 4:
            continue
        out.append(s.id)
    return out


def find_prominence(story: Sequence[ArticleView], claims: Sequence[Claim]) -> list[FramingFinding]:
    """For each shared or conflicting claim that is in the lede of one article and buried
    in another: a finding on each side, on the claim's sentence."""
    by_view = {v.id: v for v in story}
    ranks: dict[str, dict[str, int]] = {}
    sizes: dict[str, int] = {}
    for view in story:
        order = reporting_sentences(view)
        ranks[view.id] = {sid: i for i, sid in enumerate(order)}
        sizes[view.id] = len(order)
    found: list[FramingFinding] = []
    for claim in sorted(claims, key=lambda c: c.id):
        if claim.status not in ("shared", "conflict"):
            continue
        first: dict[str, tuple[int, int, int]] = {}  # article -> (rank, start, end)
        for cs in claim.sentences:
            rank = ranks.get(cs.article, {}).get(cs.sentence)
            if rank is None:
                continue
            if cs.article not in first or rank < first[cs.article][0]:
                first[cs.article] = (rank, cs.start, cs.end)
        lede = sorted(a for a, (r, _s, _e) in first.items() if r < LEDE_SENTENCES)
        buried = sorted(
            a
            for a, (r, _s, _e) in first.items()
            if r >= LEDE_SENTENCES and r >= BURIED_FROM * sizes[a]
        )
        if not lede or not buried:
            continue
        for a in buried:
            r, s, e = first[a]
            note = f"buried: sentence {r + 1} of {sizes[a]}; in the lede of {', '.join(lede)}"
            found.append(
                by_view[a].finding(
                    "prominence", s, e, note, claim=claim.id, confidence=min(0.8, claim.confidence)
                )
            )
        for a in lede:
            r, s, e = first[a]
            note = f"in the lede (sentence {r + 1} of {sizes[a]}); buried by {', '.join(buried)}"
            found.append(
                by_view[a].finding(
                    "prominence", s, e, note, claim=claim.id, confidence=min(0.8, claim.confidence)
                )
            )
    return found
