"""The bundled examples (one fictional event, seven articles) make one story."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.dedup import wire_groups
from rashomon.ingest import read_articles
from rashomon.model import Article
from rashomon.outlets import Registry
from rashomon.stories import StoryClusterer, cluster_articles

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def examples() -> list[Article]:
    registry = Registry.load([ROOT / "examples" / "outlets.csv"])
    items = list(read_articles([str(ROOT / "examples")], registry=registry))
    articles = [a for a in items if isinstance(a, Article)]
    assert len(articles) == 7
    return articles


def test_examples_are_one_story(examples: list[Article]) -> None:
    [story] = cluster_articles(examples)
    assert set(story.articles) == {a.id for a in examples}
    wire = tuple(sorted(a.id for a in examples if Path(a.path).name in {"esterby-gazette.txt", "vbc-news.html"}))
    assert story.wire_groups == (wire,)
    # Meridian Press via two outlets, RTV's two items, Velmark Times, Daily Beacon,
    # Alver Independent (examples/README.md)
    assert story.independent_sources == 5


def test_examples_wire_group(examples: list[Article]) -> None:
    names = {a.id: Path(a.path).name for a in examples}
    assert [tuple(sorted(names[i] for i in g)) for g in wire_groups(examples)] == [
        ("esterby-gazette.txt", "vbc-news.html")
    ]


def test_examples_incrementally(examples: list[Article]) -> None:
    clusterer = StoryClusterer()
    ids = {clusterer.add(a) for a in reversed(examples)}
    assert clusterer.stories() == cluster_articles(examples)
    assert len(clusterer.stories()) == 1 and clusterer.stories()[0].id in ids
