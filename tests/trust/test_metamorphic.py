"""Neutrality as metamorphic relations over the packaged examples and the story written
here: the input order, the outlets' names and which article has which outlet must not
change what is found, only where names stand. Each relation is also shown to catch a
deliberate asymmetry (an order- or name-dependent tie-break monkeypatched into a stage),
so none of these tests can pass vacuously."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable, Sequence
from typing import Any

import pytest
from trust_helpers import Story, StoryOf

import rashomon.compare
import rashomon.entities
from rashomon.metamorphic import metamorphic_diff, mirror_diff, per_outlet
from rashomon.model import Annotation, Article, Entity
from rashomon.report.json import comparison_record, render_json

NAMES = ["examples", "ferry"]


def permuted(story: Story, seed: int) -> tuple[list[Article], list[Annotation], list[int]]:
    order = list(range(len(story.articles)))
    while order == sorted(order):
        random.Random(seed).shuffle(order)
        seed += 100
    return [story.articles[i] for i in order], [story.notes[i] for i in order], order


def renamed(articles: Sequence[Article]) -> tuple[list[Article], dict[str, str]]:
    """Fresh outlet names that sort in the reverse order of the old ones; new -> old."""
    old = sorted({a.outlet.name for a in articles if a.outlet})
    fresh = {name: f"Outlet {len(old) - k:02d}" for k, name in enumerate(old)}
    out = [dataclasses.replace(a, outlet=dataclasses.replace(a.outlet, name=fresh[a.outlet.name])) if a.outlet else a
           for a in articles]
    return out, {new: o for o, new in fresh.items()}


def swapped(articles: Sequence[Article], a: str, b: str) -> list[Article]:
    by_id = {x.id: x for x in articles}
    swap = {a: by_id[b], b: by_id[a]}
    return [dataclasses.replace(x, outlet=swap[x.id].outlet, outlet_via=swap[x.id].outlet_via) if x.id in swap else x
            for x in articles]


def sole_outlets(story: Story) -> list[str]:
    """Ids of articles whose outlet (known or not) has no other article in the story."""
    count: dict[str | None, int] = {}
    for x in story.articles:
        key = x.outlet.name if x.outlet else None
        count[key] = count.get(key, 0) + 1
    return [x.id for x in story.articles if count[x.outlet.name if x.outlet else None] == 1]


@pytest.fixture
def stages_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """compare() without its canonical ordering: each stage must be order-free itself."""
    monkeypatch.setattr(rashomon.compare, "canonical_order",
                        lambda articles, annotations=None: (list(articles), None if annotations is None else list(annotations)))


# --- injected asymmetries (the proofs) ---------------------------------------------------------

Rank = Callable[[Sequence[Article]], dict[str, Any]]


def biased_names(monkeypatch: pytest.MonkeyPatch, rank: Rank) -> None:
    """Entity names chosen by an asymmetric tie-break: the form used by the article that
    ``rank`` puts first, instead of the canonicaliser's choice."""
    original = rashomon.entities.canonicalise_entities

    def canonicalise(articles: Sequence[Article], annotations: Sequence[Annotation], *a: Any, **k: Any) -> list[Entity]:
        order = rank(articles)
        out = []
        for e in original(articles, annotations, *a, **k):
            first = min(e.mentions, key=lambda m: (order[m.article], m.start))
            out.append(dataclasses.replace(e, name=first.text))
        return out

    monkeypatch.setattr(rashomon.entities, "canonicalise_entities", canonicalise)


def by_input_order(articles: Sequence[Article]) -> dict[str, Any]:
    return {x.id: k for k, x in enumerate(articles)}


def by_outlet_name(articles: Sequence[Article]) -> dict[str, Any]:
    return {x.id: (x.outlet.name if x.outlet else "~", x.id) for x in articles}


# --- (a) input order -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_input_order_changes_no_byte(story_of: StoryOf, name: str, seed: int) -> None:
    story = story_of(name)
    articles, notes, _ = permuted(story, seed)
    assert render_json(story.rerun(articles, notes)) == render_json(story.comparison)


@pytest.mark.parametrize("name", NAMES)
def test_every_stage_is_order_free_without_the_canonical_order(story_of: StoryOf, name: str, stages_only: None) -> None:
    story = story_of(name)
    expected = comparison_record(story.comparison)
    for seed in (1, 2):
        articles, notes, order = permuted(story, seed)
        assert metamorphic_diff(expected, comparison_record(story.rerun(articles, notes))) == [], order


def test_proof_without_the_canonical_order_the_bytes_change(story_of: StoryOf, stages_only: None) -> None:
    story = story_of("examples")
    articles, notes, _ = permuted(story, 1)
    assert render_json(story.rerun(articles, notes)) != render_json(story.comparison)


def test_proof_an_order_dependent_tie_break_is_caught(
    story_of: StoryOf, stages_only: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = story_of("examples")
    biased_names(monkeypatch, by_input_order)
    expected = comparison_record(story.rerun())
    articles, notes, _ = permuted(story, 1)
    assert metamorphic_diff(expected, comparison_record(story.rerun(articles[::-1], notes[::-1]))) != []


# --- (b) outlet names ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_renaming_outlets_changes_only_the_names(story_of: StoryOf, name: str) -> None:
    story = story_of(name)
    articles, back = renamed(story.articles)
    got = comparison_record(story.rerun(articles))
    assert metamorphic_diff(comparison_record(story.comparison), got, outlet_names=back) == []
    # and the names did change: the check compares something
    assert metamorphic_diff(comparison_record(story.comparison), got) != []


def test_proof_an_outlet_name_tie_break_is_caught(story_of: StoryOf, monkeypatch: pytest.MonkeyPatch) -> None:
    story = story_of("examples")
    biased_names(monkeypatch, by_outlet_name)
    expected = comparison_record(story.rerun())
    articles, back = renamed(story.articles)
    assert metamorphic_diff(expected, comparison_record(story.rerun(articles)), outlet_names=back) != []


# --- (c) swapped outlet metadata -----------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_swapping_two_outlets_mirrors_their_findings(story_of: StoryOf, name: str) -> None:
    story = story_of(name)
    before = comparison_record(story.comparison)
    ids = sole_outlets(story)
    for a, b in [(ids[0], ids[-1]), (ids[0], ids[1])]:
        after = comparison_record(story.rerun(swapped(story.articles, a, b)))
        assert mirror_diff(before, after, a, b) == [], (a, b)
        # the per-outlet findings did move: the mirror is not the identity
        outlets = {x["id"]: x["outlet"]["name"] or "?" for x in before["articles"]}
        assert per_outlet(before)[outlets[a]] != per_outlet(before)[outlets[b]]
        assert per_outlet(after)[outlets[a]] == per_outlet(before)[outlets[b]]


def test_proof_an_outlet_keyed_asymmetry_breaks_the_mirror(story_of: StoryOf, monkeypatch: pytest.MonkeyPatch) -> None:
    story = story_of("examples")
    biased_names(monkeypatch, by_outlet_name)
    before = comparison_record(story.rerun())
    ids = sole_outlets(story)
    first = min(ids, key=lambda i: by_outlet_name(story.articles)[i])
    found = [mirror_diff(before, comparison_record(story.rerun(swapped(story.articles, first, other))), first, other)
             for other in ids if other != first]
    assert any(found)


def test_per_outlet_findings_hold_something(story_of: StoryOf) -> None:
    outlets = per_outlet(comparison_record(story_of("examples").comparison))
    assert len(outlets) == 6  # RTV Valdora's two articles are one outlet
    assert all(v["labels"] and v["quotes"] for v in outlets.values())
    # the Esterby Gazette carries the Daily Beacon's wire story: nothing is its own
    assert sum(bool(v["unique"]) for v in outlets.values()) == 5
