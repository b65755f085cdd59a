"""The whole framing stage on real annotations: the bundled examples (examples/README.md,
"Expected findings") and the two seed articles (../shared/corpus/seeds, where present)."""

from __future__ import annotations

from typing import Any

import pytest
from framing_helpers import ROOT, SHARED, assert_spans

from rashomon.entities import canonicalise_entities
from rashomon.framing import find_framing, find_voices
from rashomon.model import Annotation, Article, Entity, FramingFinding, Voice

Story = tuple[list[Article], list[Annotation], list[Entity], list[FramingFinding], list[Voice]]


def _compare(paths: list[str], nlp: Any, registry: Any = None) -> Story:
    from rashomon.ingest import read_articles
    from rashomon.nlp import annotate_many

    articles = sorted((a for a in read_articles(paths, registry=registry) if isinstance(a, Article)), key=lambda a: a.id)
    annotations = list(annotate_many(articles, nlp))
    entities = canonicalise_entities(articles, annotations)
    findings = find_framing(articles, annotations, entities, nlp=nlp)
    return articles, annotations, entities, findings, find_voices(articles, annotations, entities)


@pytest.fixture(scope="module")
def examples(nlp: Any) -> Story:
    from rashomon.errors import RashomonError
    from rashomon.outlets import Registry

    try:
        registry = Registry.load([str(ROOT / "examples" / "outlets.csv")])
    except RashomonError:
        registry = None  # outlets do not matter here; the registry is tested elsewhere
    return _compare([str(ROOT / "examples")], nlp, registry)


@pytest.fixture(scope="module")
def seeds(nlp: Any) -> Story:
    folder = SHARED / "corpus" / "seeds"
    if not folder.is_dir():
        pytest.skip(f"{folder} not found (it exists beside the project in CI)")
    return _compare([str(folder)], nlp)


def _find(findings: list[FramingFinding], article: str, kind: str, text: str) -> FramingFinding | None:
    for f in findings:
        if f.article.endswith(article) and f.kind == kind and text.lower() in f.text.lower():
            return f
    return None


def _entity(entities: list[Entity], surface: str) -> Entity:
    (e,) = [e for e in entities if any(m.text == surface for m in e.mentions)]
    return e


def test_examples_spans_and_entities(examples: Story) -> None:
    articles, _annotations, entities, findings, _voices = examples
    assert_spans(articles, findings)
    port = _entity(entities, "Portalver")
    assert any("Port Alver" in forms for forms in port.labels().values())
    vashkin = _entity(entities, "Teodor Vaškin")
    assert vashkin.name == "Teodor Vashkin" and vashkin.type == "PERSON"
    assert len(vashkin.labels()) >= 6


@pytest.mark.parametrize(
    ("article", "kind", "text"),
    [
        ("rtv-valdora.xml#1", "scare_quote", "peaceful"),
        ("daily-beacon.txt", "scare_quote", "restraint"),
        ("daily-beacon.txt", "scare_quote", "at least 20"),
        ("alver-independent.txt", "scare_quote", "security operation"),
        ("alver-independent.txt", "scare_quote", "armed extremists"),
        ("alver-independent.txt", "scare_quote", "rioters"),
        ("rtv-valdora.xml#1", "hedge", "so-called"),
        ("rtv-valdora.xml#2", "hedge", "so-called"),
        ("rtv-valdora.xml#1", "hedge", "claimed"),
        ("daily-beacon.txt", "hedge", "reportedly"),
        ("daily-beacon.txt", "hedge", "appeared to"),
        ("daily-beacon.txt", "hedge", "claims"),
        ("alver-independent.txt", "hedge", "alleged"),
        ("alver-independent.txt", "hedge", "without presenting evidence"),
        ("esterby-gazette.txt", "hedge", "could not independently verify"),
        ("velmark-times.json", "hedge", "could not independently verify"),
        ("daily-beacon.txt", "loaded", "BLOODBATH"),
        ("daily-beacon.txt", "loaded", "gunned down"),
        ("daily-beacon.txt", "loaded", "thugs"),
        ("daily-beacon.txt", "loaded", "hardline"),
        ("daily-beacon.txt", "loaded", "flog"),
        ("daily-beacon.txt", "loaded", "slapped"),
        ("alver-independent.txt", "loaded", "massacre"),
        ("alver-independent.txt", "loaded", "held in secret"),
        ("rtv-valdora.xml#1", "loaded", "illegal"),
        ("rtv-valdora.xml#1", "loaded", "rioters"),
        ("rtv-valdora.xml#1", "loaded", "extremists"),
        ("rtv-valdora.xml#1", "attribution_verb", "claimed"),
        ("daily-beacon.txt", "attribution_verb", "insists"),
        ("alver-independent.txt", "attribution_verb", "insist"),
        ("rtv-valdora.xml#1", "label", "rioters"),
        ("velmark-times.json", "label", "demonstrators"),
        ("daily-beacon.txt", "label", "thugs"),
        ("alver-independent.txt", "label", "Portalver"),
        ("alver-independent.txt", "label", "Vaškin"),
        ("daily-beacon.txt", "label", "Union boss"),
        ("rtv-valdora.xml#1", "label", "Strike leader"),
    ],
)
def test_examples_expected_findings(examples: Story, article: str, kind: str, text: str) -> None:
    assert _find(examples[3], article, kind, text) is not None


@pytest.mark.parametrize(
    ("article", "kind", "text"),
    [
        ("esterby-gazette.txt", "scare_quote", "shameless fabrication"),  # Vashkin's words
        ("rtv-valdora.xml#1", "scare_quote", "with the greatest care"),  # Kessel's words
        ("rtv-valdora.xml#2", "scare_quote", "irresponsible speculation"),  # Orsic's words
        ("alver-independent.txt", "scare_quote", "a crime of the state"),  # Belov's words
        ("esterby-gazette.txt", "attribution_verb", "said"),
        ("esterby-gazette.txt", "hedge", "alleged"),
    ],
)
def test_examples_not_findings(examples: Story, article: str, kind: str, text: str) -> None:
    assert _find(examples[3], article, kind, text) is None


def test_examples_voices(examples: Story) -> None:
    voices = {v.speaker: v for v in examples[4]}
    # Quoted by one outlet only (Pavel Ostrik would be too, but his "he said" quotes
    # depend on the annotator's pronoun resolution, which this test does not judge).
    assert [a.rsplit("/", 1)[-1] for a in voices["Marta Lisec"].articles] == ["daily-beacon.txt"]
    assert len(voices["Teodor Vashkin"].articles) >= 4
    assert voices["Mirko Dallan"].direct >= 5


def test_seeds(seeds: Story) -> None:
    articles, _annotations, entities, findings, voices = seeds
    assert_spans(articles, findings)
    reuters, presstv = articles[0].id, articles[1].id
    kyiv = _entity(entities, "Kiev")
    assert "Kyiv" in kyiv.labels()[reuters] and "Kiev" in kyiv.labels()[presstv]
    for name in ("Sergei Lavrov", "Dmitry Peskov", "Volodymyr Zelensky", "Mevlut Cavusoglu", "Bucha"):
        assert sum(e.name == name for e in entities) == 1, name
    assert next(e for e in entities if e.name == "Bucha").type == "GPE"  # tagged ORG by the model
    assert _find(findings, presstv, "scare_quote", "massacre") is not None
    alleged = _find(findings, presstv, "hedge", "alleged")
    assert alleged is not None and articles[1].text[alleged.end :].lstrip().startswith("mass killing")
    # Press TV's "hysteria" is Lavrov's word: a partial quotation, not a scare quote.
    assert _find(findings, presstv, "scare_quote", "hysteria") is None
    assert _find(findings, reuters, "scare_quote", "hysteria") is None
    lavrov = next(v for v in voices if v.speaker == "Sergei Lavrov")
    assert lavrov.articles == (reuters, presstv)
