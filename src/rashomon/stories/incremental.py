"""The incremental story clusterer: each new article joins a story or starts one.

State, all of it derivable from the articles' sketches (so a store can persist it):

- per article: its sketch (``ArticleSketch``, <= 60 hashed terms and a day), publication
  date and copy fingerprint (``rashomon.dedup.fingerprint``);
- the similarity graph: each article's neighbours with similarity >= ``min_edge``;
- the components of the graph's edges >= ``threshold`` (union-find), and the stories
  that WPGMA made of each component.

Adding an article computes its similarities to the stored articles of its date window
(per-day sparse matrices), links it into the graph, and re-clusters its component only.
Because similarities never depend on other articles and components only ever merge,
the stories after any sequence of ``add`` calls equal ``cluster_articles`` on the same
articles (see ``cluster.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from rashomon.dedup import Fingerprint, fingerprint
from rashomon.model import Article, Story
from rashomon.stories.cluster import (
    _DIGITS,
    StorySettings,
    build_story,
    cluster_component,
    story_id,
    story_order,
)
from rashomon.stories.features import ArticleSketch, sketch

_EMPTY: Fingerprint = np.zeros(0, dtype=np.uint32)


@dataclass(slots=True)
class _Bucket:
    """The sketches of one publication day (or of the undated), as a cached matrix."""

    ids: list[str] = field(default_factory=list)
    columns: list[tuple[int, ...]] = field(default_factory=list)
    weights: list[tuple[float, ...]] = field(default_factory=list)
    cached: Any = None

    def add(self, sk: ArticleSketch) -> None:
        self.ids.append(sk.id)
        self.columns.append(sk.columns)
        self.weights.append(sk.weights)
        self.cached = None

    def similarities(self, columns: np.ndarray[Any, Any], weights: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Dot products of one sketch (ascending columns) with every row of the bucket."""
        if self.cached is None:
            from scipy.sparse import csr_matrix  # type: ignore[import-untyped,unused-ignore]

            indptr = np.zeros(len(self.ids) + 1, dtype=np.int64)
            indptr[1:] = np.cumsum([len(c) for c in self.columns])
            cols = np.fromiter((c for row in self.columns for c in row), dtype=np.int64, count=int(indptr[-1]))
            vals = np.fromiter((w for row in self.weights for w in row), dtype=np.float64, count=int(indptr[-1]))
            # Columns renumbered densely within the bucket: the hashed space is too wide
            # for a CSC index of its own.
            vocabulary, dense = np.unique(cols, return_inverse=True)
            matrix = csr_matrix((vals, dense.astype(np.int64), indptr), shape=(len(self.ids), max(1, vocabulary.size)))
            self.cached = (vocabulary, matrix.tocsc())
        vocabulary, matrix = self.cached
        where = np.searchsorted(vocabulary, columns)
        where = np.minimum(where, max(0, vocabulary.size - 1))
        found = vocabulary[where] == columns
        if not found.any():
            return np.zeros(len(self.ids), dtype=np.float64)
        # shared columns in ascending order: the batch's sparse product sums alike
        result: np.ndarray[Any, Any] = matrix[:, where[found]] @ weights[found]
        return result


class StoryClusterer:
    """Clusters a stream of articles into stories, one ``add`` at a time.

        clusterer = StoryClusterer()
        for article in stream:
            story = clusterer.add(article)      # the id of the story it is in now
        stories = clusterer.stories()           # == cluster_articles(all articles)

    Story ids are those ``cluster_articles`` gives: a hash of the story's earliest
    article, so a story's id changes only when an earlier article joins it or two
    stories merge (the merged story keeps the earlier one's id).
    """

    def __init__(self, settings: StorySettings | None = None) -> None:
        self.settings = settings or StorySettings()
        self._sketches: dict[str, ArticleSketch] = {}
        self._published: dict[str, str | None] = {}
        self._prints: dict[str, Fingerprint] = {}
        self._neighbours: dict[str, dict[str, float]] = {}
        self._buckets: dict[int | None, _Bucket] = {}
        self._parent: dict[str, str] = {}
        self._members: dict[str, list[str]] = {}
        self._story_of: dict[str, str] = {}
        self._stories: dict[str, tuple[list[str], float]] = {}

    def __len__(self) -> int:
        return len(self._sketches)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._sketches

    def add(self, article: Article) -> str:
        """Add an article; return the id of the story it now belongs to.

        Raises ValueError when an article with the same id was added before.
        """
        return self.add_sketch(
            sketch(article, self.settings.features),
            published=article.published,
            fingerprint=fingerprint(article.body, self.settings.dedup),
        )

    def add_all(self, articles: Iterable[Article]) -> None:
        """Add many articles (in any order: the stories do not depend on it)."""
        for article in articles:
            self.add(article)

    def add_sketch(
        self, sk: ArticleSketch, *, published: str | None = None, fingerprint: Fingerprint | None = None
    ) -> str:
        """Add an article by its stored sketch (see ``ArticleSketch.to_json``) and copy
        fingerprint: how a store reloads the clusterer without re-reading the texts."""
        if sk.id in self._sketches:
            raise ValueError(f"the article {sk.id!r} was added already; ids must be unique")
        # 1. similarities to the stored articles of the window
        sims = self._similarities(sk)
        # 2. store the article and its edges
        self._sketches[sk.id] = sk
        self._published[sk.id] = published
        self._prints[sk.id] = fingerprint if fingerprint is not None else _EMPTY
        self._neighbours[sk.id] = dict(sims)
        for other, s in sims.items():
            self._neighbours[other][sk.id] = s
        self._buckets.setdefault(sk.day, _Bucket()).add(sk)
        self._parent[sk.id] = sk.id
        self._members[sk.id] = [sk.id]
        # 3. merge components along edges at or above the threshold
        for other in sorted(sims):
            if sims[other] >= self.settings.threshold:
                self._union(sk.id, other)
        # 4. re-cluster the component the article is in
        root = self._find(sk.id)
        members = self._members[root]
        for aid in members:
            old = self._story_of.get(aid)
            if old is not None:
                self._stories.pop(old, None)
        days = {aid: self._sketches[aid].day for aid in members}
        for story_members, confidence in cluster_component(members, days, self._neighbours, self.settings):
            key = story_members[0]  # cluster_component lists members in (day, id) order
            self._stories[key] = (story_members, confidence)
            for aid in story_members:
                self._story_of[aid] = key
        return story_id(self._story_of[sk.id])

    def story_of(self, article_id: str) -> str:
        """The id of the story an added article is in (KeyError for an unknown id)."""
        return story_id(self._story_of[article_id])

    def stories(self) -> list[Story]:
        """Every story, by first date (undated last), then by first article."""
        out = [
            build_story(
                members,
                confidence,
                self._sketches,
                self._published,
                self._neighbours,
                self._prints.__getitem__,
                self.settings.dedup,
            )
            for members, confidence in self._stories.values()
        ]
        return sorted(out, key=story_order)

    # --- internals -------------------------------------------------------------------------

    def _similarities(self, sk: ArticleSketch) -> dict[str, float]:
        """Similarities >= min_edge between ``sk`` and the stored articles it may share a
        story with: those of its date window and the undated (all, when it is undated)."""
        if not self._sketches or not sk.columns:
            return {}
        window = self.settings.window_days
        if sk.day is None:
            keys: list[int | None] = [k for k in sorted(k for k in self._buckets if k is not None)]
        else:
            keys = [d for d in range(sk.day - window, sk.day + window + 1) if d in self._buckets]
        if None in self._buckets:
            keys.append(None)
        cols = np.asarray(sk.columns, dtype=np.int64)
        weights = np.asarray(sk.weights, dtype=np.float64)
        out: dict[str, float] = {}
        for key in keys:
            bucket = self._buckets[key]
            # rounded exactly as the batch rounds (np.round), then the same comparisons
            values = np.round(bucket.similarities(cols, weights), _DIGITS)
            bonus = self.settings.date_bonus if key is not None and sk.day is not None else 0.0
            for i, s in zip(np.flatnonzero(values >= self.settings.min_edge).tolist(), values[values >= self.settings.min_edge].tolist(), strict=True):
                out[bucket.ids[i]] = round(s + bonus, _DIGITS) if bonus else s
        return out

    def _find(self, x: str) -> str:
        parent = self._parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        # The larger member list absorbs the smaller (amortised linear merging).
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra].extend(self._members.pop(rb))
