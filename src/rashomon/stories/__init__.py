"""Stories: articles grouped into events, wire copies collapsed, sources counted.

    from rashomon.stories import cluster_articles, StoryClusterer, stories_record
    stories = cluster_articles(articles)          # batch: every article in one story
    clusterer = StoryClusterer()                  # incremental: one article at a time
    story_id = clusterer.add(article)             # ... the same stories as the batch
    record = stories_record(stories)              # ``rashomon stories --format json``

How articles are compared is in ``features.py``, how they are grouped in ``cluster.py``,
the incremental state in ``incremental.py``; wire copies come from ``rashomon.dedup``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rashomon.model import Story
from rashomon.stories.cluster import StorySettings, cluster_articles, story_id
from rashomon.stories.features import ArticleSketch, FeatureSettings, sketch
from rashomon.stories.incremental import StoryClusterer

__all__ = [
    "ArticleSketch",
    "FeatureSettings",
    "StoryClusterer",
    "StorySettings",
    "cluster_articles",
    "sketch",
    "stories_record",
    "story_id",
]


def stories_record(stories: Iterable[Story], *, detail: bool = False) -> dict[str, Any]:
    """The ``rashomon stories --format json`` object (shared/INTERFACE.md).

    With ``detail``, each story also carries its time span, outlets, wire groups,
    independent-source count and confidence (fields the interface allows adding).
    """
    out: list[dict[str, Any]] = []
    for story in stories:
        record: dict[str, Any] = {"id": story.id, "title": story.title, "articles": list(story.articles)}
        if detail:
            record |= {
                "first": story.first,
                "last": story.last,
                "outlets": list(story.outlets),
                "wire_groups": [list(g) for g in story.wire_groups],
                "independent_sources": story.independent_sources,
                "confidence": story.confidence,
            }
        out.append(record)
    return {"stories": out}
