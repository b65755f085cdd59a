"""Fixtures for the trust tests: the packaged examples, the seeds (where ../shared is
present) and the story written here, each annotated and compared once per session."""

from __future__ import annotations

from typing import Any

import pytest
from trust_helpers import FERRY, SHARED, Story, StoryOf, build, make_story, read_examples

from rashomon.model import Article


@pytest.fixture(scope="session")
def nlp() -> Any:
    from rashomon.nlp import default_pipeline

    return default_pipeline()


@pytest.fixture(scope="session")
def examples(nlp: Any) -> Story:
    return make_story(read_examples(), nlp)


@pytest.fixture(scope="session")
def ferry(nlp: Any) -> Story:
    return make_story([build(aid, *spec) for aid, spec in FERRY.items()], nlp)


@pytest.fixture(scope="session")
def seeds(nlp: Any) -> Story:
    from rashomon.ingest import read_articles

    folder = SHARED / "corpus" / "seeds"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found (it exists beside the project in CI)")
    return make_story([a for a in read_articles([str(folder)]) if isinstance(a, Article)], nlp)


@pytest.fixture
def story_of(request: pytest.FixtureRequest) -> StoryOf:
    """The story fixture of that name ("examples", "ferry", "seeds")."""
    return lambda name: request.getfixturevalue(name)
