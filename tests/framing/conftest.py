"""Fixtures for the framing tests (helpers live in framing_helpers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def nlp() -> Iterator[Any]:
    """The annotation stage's spaCy pipeline, loaded once (skips where none is installed)."""
    try:
        from rashomon.nlp import load_pipeline

        yield load_pipeline()
    except Exception as exc:  # pragma: no cover - the core install has a model
        pytest.skip(f"no spaCy pipeline: {exc}")
