"""Labels: noun phrases grouped by referent across articles, on texts annotated by the
real pipeline (the tagger finds the phrases)."""

from __future__ import annotations

from typing import Any

from framing_helpers import assert_spans, make_article

from rashomon.entities import canonicalise_entities
from rashomon.framing import find_framing, label_groups
from rashomon.model import Annotation, Article, FramingFinding


def _story(nlp: Any, texts: dict[str, str]) -> tuple[list[Article], list[Annotation]]:
    from rashomon.nlp import annotate_many

    articles = [make_article(aid, text) for aid, text in texts.items()]
    return articles, list(annotate_many(articles, nlp))


def _labels(nlp: Any, texts: dict[str, str]) -> list[FramingFinding]:
    articles, annotations = _story(nlp, texts)
    entities = canonicalise_entities(articles, annotations)
    found = find_framing(articles, annotations, entities, nlp=nlp)
    assert_spans(articles, found)
    return [f for f in found if f.kind == "label"]


def test_protesters_rioters_demonstrators_are_one_referent(nlp: Any) -> None:
    found = _labels(
        nlp,
        {
            "wire": "Police fired tear gas at protesters near the port on Tuesday.",
            "state": "Police dispersed rioters near the port on Tuesday.",
            "paper": "Police fired tear gas at demonstrators near the port on Tuesday.",
        },
    )
    by_article = {f.article: f for f in found if "protest participants" in (f.note or "")}
    assert {a: f.text for a, f in by_article.items()} == {"wire": "protesters", "state": "rioters", "paper": "demonstrators"}
    assert "“rioter” (state)" in (by_article["wire"].note or "")


def test_special_operation_against_military_offensive(nlp: Any) -> None:
    found = _labels(
        nlp,
        {
            "a": "Russia sent troops into Ukraine in what it called a special operation.",
            "b": "Putin announced a military offensive against Ukraine on February 24.",
        },
    )
    texts = {(f.article, f.text) for f in found}
    assert ("a", "special operation") in texts
    assert ("b", "military offensive") in texts


def test_neutral_synonyms_are_grouped_but_not_reported(nlp: Any) -> None:
    # "troops" and "forces" name one referent; no loaded word among them, so no finding.
    found = _labels(
        nlp,
        {
            "a": "Government troops entered the town on Monday.",
            "b": "Government forces entered the town on Monday.",
        },
    )
    assert found == []


def test_roles_of_one_person_and_actors_kept_apart(nlp: Any) -> None:
    texts = {
        "a": "Union boss Teodor Vashkin said the strike would go on. Russian forces shelled the town.",
        "b": "Teodor Vashkin, the leader of the strike committee, was detained. Ukrainian forces held the bridge.",
    }
    articles, annotations = _story(nlp, texts)
    entities = canonicalise_entities(articles, annotations)
    groups = label_groups(articles, annotations, entities, nlp=nlp)
    vashkin = next(e for e in entities if e.name == "Teodor Vashkin")
    roles = next(g for g in groups if g.entity == vashkin.id)
    assert {m.text for m in roles.mentions} == {"Union boss", "leader of the strike committee"}
    forces = [g for g in groups if any(m.text.endswith("forces") for m in g.mentions)]
    assert len(forces) == 2  # Russian forces are not Ukrainian forces
    found = find_framing(articles, annotations, entities, nlp=nlp)
    role_labels = [f for f in found if f.kind == "label" and f.entity == vashkin.id]
    assert {f.text for f in role_labels} == {"Union boss", "leader of the strike committee"}


def test_spelling_labels_for_one_entity(nlp: Any) -> None:
    found = _labels(
        nlp,
        {
            "a": "Talks between Moscow and Kyiv resumed on Monday in Istanbul.",
            "b": "Talks between Moscow and Kiev resumed on Monday in Istanbul.",
        },
    )
    spelled = {(f.article, f.text) for f in found if f.entity is not None}
    assert spelled == {("a", "Kyiv"), ("b", "Kiev")}
