"""Story clustering: events kept apart, coverage of one event together, determinism."""

from __future__ import annotations

import random

import pytest
from story_fixtures import ALL, QUAKE_MESKEL, QUAKE_TARVONA, RATE_RISE, UNRELATED, undated

from rashomon.stories import StorySettings, cluster_articles, stories_record, story_id


def partition(stories: list) -> set[frozenset[str]]:
    return {frozenset(s.articles) for s in stories}


def story_with(stories: list, article_id: str) -> frozenset[str]:
    return next(frozenset(s.articles) for s in stories if article_id in s.articles)


def test_every_article_in_exactly_one_story() -> None:
    stories = cluster_articles(ALL)
    ids = [aid for s in stories for aid in s.articles]
    assert sorted(ids) == sorted(a.id for a in ALL)


def test_coverage_of_one_event_is_one_story() -> None:
    stories = cluster_articles(ALL)
    assert frozenset(a.id for a in QUAKE_TARVONA) in partition(stories)
    assert frozenset(a.id for a in QUAKE_MESKEL) in partition(stories)
    assert frozenset(a.id for a in RATE_RISE) in partition(stories)


@pytest.mark.parametrize("dated", [True, False], ids=["dated", "undated"])
def test_two_earthquakes_are_two_stories(dated: bool) -> None:
    articles = QUAKE_TARVONA + QUAKE_MESKEL
    if not dated:  # content alone (places, people, figures) must keep them apart
        articles = [undated(a) for a in articles]
    stories = cluster_articles(articles)
    for a in QUAKE_TARVONA:
        assert story_with(stories, a.id).isdisjoint(b.id for b in QUAKE_MESKEL)


def test_unrelated_articles_stay_alone() -> None:
    stories = cluster_articles(ALL)
    for article in UNRELATED:
        assert story_with(stories, article.id) == {article.id}


def test_input_order_does_not_change_the_stories() -> None:
    expected = cluster_articles(ALL)
    for seed in range(5):
        shuffled = list(ALL)
        random.Random(seed).shuffle(shuffled)
        assert cluster_articles(shuffled) == expected


def test_ids_and_order_are_deterministic() -> None:
    stories = cluster_articles(ALL)
    assert [s.id for s in stories] == [s.id for s in cluster_articles(list(reversed(ALL)))]
    assert len({s.id for s in stories}) == len(stories)
    for story in stories:
        assert story.id == story_id(story.articles[0])
    firsts = [s.first or "9999" for s in stories]
    assert firsts == sorted(firsts)


def test_story_fields() -> None:
    story = next(s for s in cluster_articles(ALL) if RATE_RISE[0].id in s.articles)
    assert story.first == "2030-11-14" and story.last == "2030-11-15"
    assert story.articles[-1] == "rates/keldar-business.txt"  # time order
    assert set(story.outlets) == {"Sorvik Herald", "Coastal Times", "Keldar Business"}
    assert story.wire_groups == (("rates/coastal-times.txt", "rates/sorvik-herald.txt"),)
    assert story.independent_sources == 2  # the wire story counts once
    assert story.title in {a.title for a in RATE_RISE}
    assert 0.0 < story.confidence <= 1.0


def test_dates_far_apart_are_never_one_story() -> None:
    late = QUAKE_TARVONA[1]
    moved = type(late)(**{**{f: getattr(late, f) for f in late.__slots__}, "id": "late", "published": "2030-06-30"})
    stories = cluster_articles([*QUAKE_TARVONA, moved])
    assert story_with(stories, "late") == {"late"}


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="unique"):
        cluster_articles([ALL[0], ALL[0]])


def test_empty_and_single_inputs() -> None:
    assert cluster_articles([]) == []
    [story] = cluster_articles([UNRELATED[0]])
    assert story.articles == (UNRELATED[0].id,) and story.title == UNRELATED[0].title


def test_a_lower_threshold_never_splits_more() -> None:
    strict = cluster_articles(ALL, StorySettings(threshold=0.6))
    loose = cluster_articles(ALL)
    assert len(strict) >= len(loose)


def test_stories_record_is_the_interface() -> None:
    stories = cluster_articles(ALL)
    record = stories_record(stories)
    assert set(record) == {"stories"}
    for item, story in zip(record["stories"], stories, strict=True):
        assert set(item) == {"id", "title", "articles"}
        assert item["id"] == story.id and item["articles"] == list(story.articles)
    detailed = stories_record(stories, detail=True)["stories"][0]
    assert {"first", "last", "outlets", "wire_groups", "independent_sources"} <= set(detailed)
