"""Near-duplicate detection: wire copies and syndicated reprints among articles.

Two articles are copies of one text when their bodies share most of their word
5-shingles (Broder 1997, "On the resemblance and containment of documents"):

- resemblance (Jaccard) ``|A ∩ B| / |A ∪ B| >= min_jaccard``: the same story with a
  changed headline, a different dateline or light copy-editing; or
- containment ``|A ∩ B| / min(|A|, |B|) >= min_containment``: one is the other with
  paragraphs trimmed or added (an outlet cutting a wire story to length), provided the
  shorter one has at least ``min_shingles`` shingles, so that two short texts sharing a
  stock paragraph are not taken for copies.

Every decision is made on the exact shingle sets. On many articles, MinHash signatures
in a locality-sensitive hash index (Broder 1997; Indyk & Motwani 1998; datasketch's
``MinHashLSH``) propose the candidate pairs, so the cost grows with the number of
articles rather than its square; on a handful (the compare stage) every pair is
checked. Headlines are left out: outlets rewrite them on wire copy.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from rashomon.model import Article

__all__ = [
    "DedupSettings",
    "fingerprint",
    "group_fingerprints",
    "independent_sources",
    "is_near_duplicate",
    "wire_groups",
]

Fingerprint = np.ndarray[Any, np.dtype[np.uint32]]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class DedupSettings:
    """Thresholds of the copy test (see the module docstring).

    shingle: words per shingle. min_jaccard, min_containment, min_shingles: the test.
    exhaustive_up_to: up to this many articles every pair is verified; above it MinHash LSH
        proposes the candidates. lsh_threshold, num_perm: the LSH index's Jaccard threshold
        (set below min_jaccard so that trimmed copies, whose Jaccard is lower than their
        containment, are still proposed) and signature length.
    """

    shingle: int = 5
    min_jaccard: float = 0.5
    min_containment: float = 0.8
    min_shingles: int = 40
    exhaustive_up_to: int = 64
    lsh_threshold: float = 0.3
    num_perm: int = 128


_COMBINING = re.compile("[\u0300-\u036f]")
# Odd 64-bit multipliers combining a shingle's word hashes (a polynomial rolling hash):
# fixed, so fingerprints are the same on every run and machine.
_MULTIPLIERS = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD,
     0xC4CEB9FE1A85EC53, 0x94D049BB133111EB, 0xBF58476D1CE4E5B9],
    dtype=np.uint64,
)


def _normalise(text: str) -> list[str]:
    """Lower-cased, accent-folded words: curly vs straight quotes or "Vaškin" vs
    "Vaskin" must not make a copy look different."""
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return _WORD.findall(text.lower())


def fingerprint(text: str, settings: DedupSettings | None = None) -> Fingerprint:
    """The sorted, distinct 32-bit hashes of the text's word shingles.

    Each word is hashed once (CRC-32); a shingle's hash combines its words' hashes with
    fixed multipliers, so the cost is linear in the words. A text shorter than one
    shingle gives an empty fingerprint, which matches nothing.
    """
    k = (settings or DedupSettings()).shingle
    words = _normalise(text)
    if len(words) < k or k > len(_MULTIPLIERS):
        return np.zeros(0, dtype=np.uint32)
    hashes = np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), dtype=np.uint64, count=len(words))
    count = len(words) - k + 1
    combined = np.zeros(count, dtype=np.uint64)
    for i in range(k):  # wraps modulo 2**64, as intended
        combined += hashes[i : i + count] * _MULTIPLIERS[i]
    return np.unique((combined >> np.uint64(32)).astype(np.uint32))


def is_near_duplicate(a: Fingerprint, b: Fingerprint, settings: DedupSettings | None = None) -> bool:
    """Whether two fingerprints are copies of one text (resemblance or containment)."""
    s = settings or DedupSettings()
    if a.size == 0 or b.size == 0:
        return False
    shared = int(np.intersect1d(a, b, assume_unique=True).size)
    union = a.size + b.size - shared
    if shared / union >= s.min_jaccard:
        return True
    smaller = min(a.size, b.size)
    return smaller >= s.min_shingles and shared / smaller >= s.min_containment


def _candidate_pairs(
    ids: Sequence[str], prints: Mapping[str, Fingerprint], s: DedupSettings
) -> Iterable[tuple[str, str]]:
    """Pairs worth verifying, each once as (earlier, later) in ``ids`` order."""
    if len(ids) <= s.exhaustive_up_to:
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                yield a, b
        return
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=s.lsh_threshold, num_perm=s.num_perm)
    position = {aid: i for i, aid in enumerate(ids)}
    for aid in ids:
        fp = prints[aid]
        if fp.size == 0:
            continue
        # The shingles are already hashed: datasketch only has to permute them.
        mh = MinHash(num_perm=s.num_perm, seed=1, hashfunc=int)
        mh.update_batch(fp.tolist())
        # Query before inserting: each pair is proposed once, by its later member.
        for other in sorted(lsh.query(mh), key=position.__getitem__):
            yield other, aid
        lsh.insert(aid, mh)


def group_fingerprints(
    prints: Mapping[str, Fingerprint], settings: DedupSettings | None = None
) -> list[tuple[str, ...]]:
    """Groups (two or more ids, sorted) of near-duplicates, transitively closed, sorted.

    ``prints`` maps article ids to ``fingerprint`` results. Deterministic: the result
    does not depend on the mapping's order.
    """
    s = settings or DedupSettings()
    ids = sorted(prints)
    parent = {aid: aid for aid in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in _candidate_pairs(ids, prints, s):
        ra, rb = find(a), find(b)
        if ra != rb and is_near_duplicate(prints[a], prints[b], s):
            # The smaller id becomes the root, so groups never depend on pair order.
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for aid in ids:
        groups.setdefault(find(aid), []).append(aid)
    return sorted(tuple(g) for g in groups.values() if len(g) > 1)


def wire_groups(
    articles: Iterable[Article], settings: DedupSettings | None = None
) -> list[tuple[str, ...]]:
    """Sets of article ids whose bodies are copies of one text (a wire story carried by
    several outlets, a syndicated reprint), each sorted, the list sorted.

    Works on two articles as on 100,000; an article in no group is simply absent.
    """
    s = settings or DedupSettings()
    return group_fingerprints({a.id: fingerprint(a.body, s) for a in articles}, s)


def independent_sources(
    members: Sequence[tuple[str, str | None]], groups: Sequence[Sequence[str]]
) -> int:
    """How many independent sources ``members`` (article id, outlet name or None) are.

    The one definition every count uses (stories, the reports, the web app): articles
    count once per wire group (copies of one wire story are one source) and once per
    outlet (an outlet does not corroborate itself, even in two items). An article of no
    known outlet counts on its own unless it is a wire copy.
    """
    ids = list(dict.fromkeys(aid for aid, _ in members))
    parent = {aid: aid for aid in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            # The smaller id is the root, so the result does not depend on input order.
            parent[max(ra, rb)] = min(ra, rb)

    for group in groups:
        inside = [aid for aid in group if aid in parent]
        for other in inside[1:]:
            union(inside[0], other)
    first_of: dict[str, str] = {}
    for aid, outlet in members:
        if outlet is not None:
            union(first_of.setdefault(outlet, aid), aid)
    return len({find(aid) for aid in ids})
