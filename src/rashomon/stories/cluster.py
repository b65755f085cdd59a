"""Clustering sketches into stories: a similarity graph, its components, WPGMA inside each.

The recipe (batch and incremental alike):

1. every article becomes a sketch (``features.py``): a unit term vector and a day;
2. two articles are similar by the cosine of their sketches, set to 0 when both are
   dated more than ``window_days`` apart (an event is reported within days; an undated
   article is compared with all). Similarities under ``min_edge`` are dropped;
3. the graph whose edges are similarities >= ``threshold`` falls apart into components;
4. inside each component, weighted-average linkage (WPGMA; Sokal & Michener 1958,
   McQuitty 1966) merges clusters while their linkage similarity is >= ``threshold``.
   Each story is one resulting cluster.

Why this shape:

- **Precision first.** Single linkage (the components themselves) chains two events of
  one kind through one look-alike pair; WPGMA needs the clusters to be similar on
  average. On ECB+, whose topics pair two events of the same kind, WPGMA kept precision
  where UPGMA (average linkage) lost it (see ``eval/stories.py``).
- **Incremental = batch, exactly.** A pair's similarity depends only on the two articles
  (``features.py`` uses no collection statistics), and a linkage that averages
  similarities never joins clusters from different components: their every pair is
  below the threshold, so every average is too. So the partition is a function of the
  set of articles, whatever their order: adding an article re-clusters only its
  component, and re-clustering a window in batch gives the same stories.
- **Scale.** Similarities are only computed within the date window, by sparse products,
  so the cost grows with the articles times the articles of a week, not the square of
  the collection. A component larger than ``max_component`` (a long-running topic
  chained day after day) is clustered in consecutive time slices of that size, which
  bounds memory; a warning-free, deterministic safety valve.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rashomon.dedup import (
    DedupSettings,
    Fingerprint,
    fingerprint,
    group_fingerprints,
    independent_sources,
)
from rashomon.model import Article, Story
from rashomon.stories.features import ArticleSketch, FeatureSettings, sketch

# Similarities are rounded before any comparison, so that the batch's sparse products
# and the incremental dot products (equal up to float summation order) decide alike.
_DIGITS = 9
_UNDATED = 10**9  # sorts undated articles after every dated one


@dataclass(frozen=True, slots=True)
class StorySettings:
    """Settings of the story clusterer (defaults chosen on ECB+ and BASIL; see eval/).

    window_days: two dated articles more than this many days apart are never one story.
    date_bonus: added to the similarity of two articles dated within the window: being
        published in the same days is evidence too (as in TDT's time-aware similarity,
        Yang, Pierce & Carbonell 1998); an undated article gets no such credit.
    threshold: linkage similarity (cosine of sketches) needed to merge; lower merges more.
    min_edge: similarities below this count as 0 (keeps the stored graph small).
    max_component: largest component clustered at once (see the module docstring).
    features: how sketches are made. dedup: how wire copies are found.
    """

    window_days: int = 3
    date_bonus: float = 0.1
    threshold: float = 0.3
    min_edge: float = 0.1
    max_component: int = 4000
    features: FeatureSettings = field(default_factory=FeatureSettings)
    dedup: DedupSettings = field(default_factory=DedupSettings)


def story_id(first_article: str) -> str:
    """A story's id: a hash of its earliest article's id (stable, order-independent)."""
    return "st-" + hashlib.sha1(first_article.encode("utf-8")).hexdigest()[:12]


def _sort_key(day: int | None, article_id: str) -> tuple[int, str]:
    return (_UNDATED if day is None else day, article_id)


def _wpgma(
    ids: Sequence[str], index_edges: Callable[[dict[str, int]], np.ndarray[Any, Any]], threshold: float
) -> list[tuple[list[str], float]]:
    """Cluster one component with WPGMA; returns (member ids, weakest merge similarity).

    ids must be in canonical (day, id) order: ties between equal similarities are then
    broken the same way whatever order the articles arrived in.
    """
    from scipy.cluster.hierarchy import fcluster, linkage  # type: ignore[import-untyped,unused-ignore]
    from scipy.spatial.distance import squareform  # type: ignore[import-untyped,unused-ignore]

    n = len(ids)
    if n == 1:
        return [([ids[0]], 1.0)]
    sims = index_edges({aid: i for i, aid in enumerate(ids)})
    # a date bonus can lift a similarity above 1: a distance is never negative
    dist = np.clip(1.0 - sims, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="weighted")
    cut = round(1.0 - threshold, _DIGITS)
    labels = fcluster(tree, t=cut, criterion="distance")
    # The weakest merge of each flat cluster: the highest merge under the cut among its
    # members (the merges are listed from the lowest height up).
    weakest: dict[int, float] = {}
    node_label: dict[int, int] = {i: int(labels[i]) for i in range(n)}
    for k, (a, b, height, _count) in enumerate(tree):
        label = node_label[int(a)]
        node_label[n + k] = label if node_label[int(b)] == label else -1
        if height <= cut and label != -1:
            weakest[label] = max(weakest.get(label, 0.0), float(height))
    groups: dict[int, list[str]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(ids[i])
    return [(members, round(1.0 - weakest.get(label, 0.0), 4)) for label, members in groups.items()]


def cluster_component(
    ids: Sequence[str],
    days: Mapping[str, int | None],
    neighbours: Mapping[str, Mapping[str, float]],
    settings: StorySettings,
) -> list[tuple[list[str], float]]:
    """The stories of one component (ids in any order), each with its confidence."""
    ordered = sorted(ids, key=lambda a: _sort_key(days[a], a))
    out: list[tuple[list[str], float]] = []
    step = max(2, settings.max_component)
    for lo in range(0, len(ordered), step):
        part = ordered[lo : lo + step]

        def matrix(index: dict[str, int], part: Sequence[str] = part) -> np.ndarray[Any, Any]:
            m = np.zeros((len(part), len(part)), dtype=np.float64)
            for aid in part:
                i = index[aid]
                for other, s in neighbours.get(aid, {}).items():
                    j = index.get(other)
                    if j is not None:
                        m[i, j] = s
            return m

        out.extend(_wpgma(part, matrix, settings.threshold))
    return out


def _title(members: Sequence[str], sketches: Mapping[str, ArticleSketch], neighbours: Mapping[str, Mapping[str, float]]) -> str | None:
    """The headline of the story's most central titled article (highest summed
    similarity to the others; the earliest on a tie)."""
    best: tuple[float, int] | None = None
    title = None
    member_set = set(members)
    for rank, aid in enumerate(members):
        sk = sketches[aid]
        if not sk.title:
            continue
        centrality = sum(s for other, s in neighbours.get(aid, {}).items() if other in member_set)
        key = (round(centrality, 6), -rank)
        if best is None or key > best:
            best, title = key, sk.title
    return title


def _independent_sources(members: Sequence[str], sketches: Mapping[str, ArticleSketch], groups: Sequence[tuple[str, ...]]) -> int:
    """See :func:`rashomon.dedup.independent_sources`."""
    return independent_sources([(aid, sketches[aid].outlet) for aid in members], groups)


def build_story(
    members: Sequence[str],
    confidence: float,
    sketches: Mapping[str, ArticleSketch],
    published: Mapping[str, str | None],
    neighbours: Mapping[str, Mapping[str, float]],
    prints: Callable[[str], Fingerprint],
    dedup: DedupSettings,
) -> Story:
    """A Story from its member ids (in any order)."""
    ordered = sorted(members, key=lambda a: _sort_key(sketches[a].day, a))
    dates = sorted(d for d in (published.get(a) for a in ordered) if d)
    groups = group_fingerprints({a: prints(a) for a in ordered}, dedup) if len(ordered) > 1 else []
    outlets = tuple(dict.fromkeys(o for o in (sketches[a].outlet for a in ordered) if o))
    return Story(
        id=story_id(ordered[0]),
        title=_title(ordered, sketches, neighbours),
        articles=tuple(ordered),
        first=dates[0][:10] if dates else None,
        last=dates[-1][:10] if dates else None,
        outlets=outlets,
        wire_groups=tuple(groups),
        independent_sources=_independent_sources(ordered, sketches, groups),
        confidence=confidence,
    )


def story_order(story: Story) -> tuple[str, str]:
    """Stories are listed by first date (undated last), then by their first article."""
    return (story.first or "9999-99-99", story.articles[0])


# --- Batch ------------------------------------------------------------------------------


def _matrix(sketches: Sequence[ArticleSketch]) -> Any:
    """The sketches as rows of a sparse matrix, columns renumbered densely (the hashed
    space has 4 million columns; a product's transposes would allocate them all)."""
    from scipy.sparse import csr_matrix  # type: ignore[import-untyped,unused-ignore]

    indptr = np.zeros(len(sketches) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(s.columns) for s in sketches])
    cols = np.fromiter((c for s in sketches for c in s.columns), dtype=np.int64, count=int(indptr[-1]))
    vals = np.fromiter((w for s in sketches for w in s.weights), dtype=np.float64, count=int(indptr[-1]))
    vocabulary, dense = np.unique(cols, return_inverse=True)
    # renumbering keeps each row's columns ascending, so sums run in the same order
    return csr_matrix((vals, dense.astype(np.int64), indptr), shape=(len(sketches), max(1, vocabulary.size)))


def similarity_edges(sketches: Sequence[ArticleSketch], settings: StorySettings) -> dict[str, dict[str, float]]:
    """Every pair's similarity >= min_edge, within the date window, as adjacency maps.

    Articles are grouped by day; each day's rows are multiplied by the rows of the days
    up to ``window_days`` later (and undated rows by all rows), so the work grows with
    the articles times the articles of a window.
    """
    neighbours: dict[str, dict[str, float]] = {s.id: {} for s in sketches}
    if len(sketches) < 2:
        return neighbours
    order = sorted(range(len(sketches)), key=lambda i: _sort_key(sketches[i].day, sketches[i].id))
    ordered = [sketches[i] for i in order]
    matrix = _matrix(ordered)
    days = np.array([_UNDATED if s.day is None else s.day for s in ordered], dtype=np.int64)
    dated = int(np.searchsorted(days, _UNDATED))

    def keep(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any], sims: np.ndarray[Any, Any], bonus: float) -> None:
        # filter in numpy first: most products of a window are far below min_edge
        sims = np.round(sims, _DIGITS)
        mask = sims >= settings.min_edge
        for i, j, sim in zip(a[mask].tolist(), b[mask].tolist(), sims[mask].tolist(), strict=True):
            if bonus:
                sim = round(sim + bonus, _DIGITS)
            neighbours[ordered[i].id][ordered[j].id] = sim
            neighbours[ordered[j].id][ordered[i].id] = sim

    # 1. dated articles: each day against itself and the window after it
    lo = 0
    while lo < dated:
        day = int(days[lo])
        hi = int(np.searchsorted(days[:dated], day, side="right"))
        reach = int(np.searchsorted(days[:dated], day + settings.window_days, side="right"))
        block = (matrix[lo:hi] @ matrix[lo:reach].T).tocoo()
        a, b = block.row.astype(np.int64) + lo, block.col.astype(np.int64) + lo
        upper = a < b
        keep(a[upper], b[upper], block.data[upper], settings.date_bonus)
        lo = hi
    # 2. undated articles against everything: each undated pair once (a < b), and each
    #    undated-dated pair from the undated side
    for start in range(dated, len(ordered), 512):
        stop = min(start + 512, len(ordered))
        block = (matrix[start:stop] @ matrix.T).tocoo()
        a, b = block.row.astype(np.int64) + start, block.col.astype(np.int64)
        wanted = (b < dated) | (a < b)
        keep(a[wanted], b[wanted], block.data[wanted], 0.0)
    return neighbours


def components(ids: Iterable[str], neighbours: Mapping[str, Mapping[str, float]], threshold: float) -> list[list[str]]:
    """Connected components of the graph of similarities >= threshold (sorted ids)."""
    parent: dict[str, str] = {aid: aid for aid in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, adjacent in neighbours.items():
        for b, s in adjacent.items():
            if s >= threshold:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[str]] = {}
    for aid in sorted(parent):
        groups.setdefault(find(aid), []).append(aid)
    return list(groups.values())


def cluster_articles(articles: Iterable[Article], settings: StorySettings | None = None) -> list[Story]:
    """Group articles into stories (events); every article lands in exactly one story.

    The result depends only on the set of articles, not their order; it equals what a
    ``StoryClusterer`` fed the same articles one by one in any order returns.
    Raises ValueError when two articles share an id.
    """
    settings = settings or StorySettings()
    articles = list(articles)
    by_id: dict[str, Article] = {}
    for article in articles:
        if article.id in by_id:
            raise ValueError(f"two articles have the id {article.id!r}; ids must be unique")
        by_id[article.id] = article
    # 1. sketches
    sketches = {a.id: sketch(a, settings.features) for a in articles}
    published = {a.id: a.published for a in articles}
    # 2. similarities within the window
    neighbours = similarity_edges(list(sketches.values()), settings)
    days = {aid: s.day for aid, s in sketches.items()}
    prints: dict[str, Fingerprint] = {}

    def print_of(aid: str) -> Fingerprint:
        if aid not in prints:
            prints[aid] = fingerprint(by_id[aid].body, settings.dedup)
        return prints[aid]

    stories: list[Story] = []
    # 3. components, 4. WPGMA inside each, then the story's title, span, outlets, copies
    for component in components(sketches, neighbours, settings.threshold):
        for members, confidence in cluster_component(component, days, neighbours, settings):
            stories.append(build_story(members, confidence, sketches, published, neighbours, print_of, settings.dedup))
    return sorted(stories, key=story_order)
