"""The incremental clusterer gives the batch's stories, whatever the arrival order."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from story_fixtures import ALL, QUAKE_TARVONA

from rashomon.dedup import fingerprint
from rashomon.stories import ArticleSketch, StoryClusterer, cluster_articles, sketch


def test_incremental_in_time_order_equals_batch() -> None:
    clusterer = StoryClusterer()
    for article in sorted(ALL, key=lambda a: (a.published or "", a.id)):
        clusterer.add(article)
    assert clusterer.stories() == cluster_articles(ALL)


@settings(max_examples=15, deadline=None)
@given(st.permutations(range(len(ALL))), st.integers(min_value=1, max_value=len(ALL)))
def test_any_order_any_prefix_equals_batch(order: list[int], count: int) -> None:
    chosen = [ALL[i] for i in order[:count]]
    clusterer = StoryClusterer()
    clusterer.add_all(chosen)
    assert clusterer.stories() == cluster_articles(chosen)


def test_add_returns_the_story_of_the_article() -> None:
    clusterer = StoryClusterer()
    ids = [clusterer.add(a) for a in QUAKE_TARVONA]
    # a story's id follows its earliest article, so it may change as articles arrive
    assert {clusterer.story_of(a.id) for a in QUAKE_TARVONA} == {ids[-1]}
    assert len(clusterer) == 3 and QUAKE_TARVONA[0].id in clusterer


def test_adding_twice_is_refused() -> None:
    clusterer = StoryClusterer()
    clusterer.add(ALL[0])
    with pytest.raises(ValueError, match="added already"):
        clusterer.add(ALL[0])


def test_reloading_from_stored_sketches_gives_the_same_stories() -> None:
    stored = [
        (sketch(a).to_json(), a.published, fingerprint(a.body).tobytes())
        for a in ALL
    ]
    random.Random(7).shuffle(stored)
    clusterer = StoryClusterer()
    for data, published, fp in stored:
        clusterer.add_sketch(
            ArticleSketch.from_json(data), published=published, fingerprint=np.frombuffer(fp, dtype=np.uint32)
        )
    assert clusterer.stories() == cluster_articles(ALL)
