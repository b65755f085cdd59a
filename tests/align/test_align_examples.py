"""Claim alignment on the bundled examples (examples/README.md, "Expected findings").

A subset of the checklist, run through the real pipeline (ingest, spaCy annotation, MiniLM):
shared facts in other words, facts that only one outlet reports, and wire copies.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.align import align_claims
from rashomon.embed import Embedder
from rashomon.ingest import read_articles
from rashomon.model import Annotation, Article, Claim
from rashomon.nlp import annotate_many

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
GAZETTE = "esterby-gazette.txt"
VBC = "vbc-news.html"
RTV1 = "rtv-valdora.xml#1"
RTV2 = "rtv-valdora.xml#2"
TIMES = "velmark-times.json"
BEACON = "daily-beacon.txt"
ALVER = "alver-independent.txt"

# Facts several outlets report: every (file, text) names a sentence of one claim.
SHARED = {
    "S1 strike since 17 February": [
        (GAZETTE, "since Feb. 17 in protest"),
        (RTV1, "The blockade of the Harbour Gate began on 17 February"),
        (TIMES, "had maintained since February 17"),
        (ALVER, "on strike since February 17"),
    ],
    "S4 the minister's quote": [
        (GAZETTE, "Our officers showed extraordinary restraint"),
        (RTV1, "Our officers showed extraordinary restraint"),
    ],
    "S4 petrol bombs and iron bars": [
        (GAZETTE, "Dallan said protesters had thrown petrol bombs"),
        (RTV1, "the rioters attacked police with petrol bombs"),
    ],
    "S10 an independent inquiry": [
        (GAZETTE, "Katarina Belov called for an independent inquiry"),
        (TIMES, "demanded an independent inquiry"),
    ],
    "S11 Castellan belongs to Holt & Varen": [
        (TIMES, "a subsidiary of the Velmark-listed shipping group Holt & Varen"),
        (BEACON, "is owned by a Velmark company, Holt & Varen"),
    ],
}

# Facts that only one outlet reports.
UNIQUE = [
    (VBC, "Foreign Minister Henrik Aalund"),
    (RTV1, "Forty-one police officers were injured"),
    (RTV1, "Traffic at the port is expected to resume"),
    (RTV2, "He faces up to 12 years in prison"),
    (RTV2, "opened a hotline"),
    (TIMES, "shares fell 6 per cent"),
    (BEACON, "Marta Lisec, 29"),
    (BEACON, "reportedly told commanders before the raid"),
    (BEACON, "candlelit vigil"),
    (ALVER, "Footage verified by the Alver Independent"),
]


@pytest.fixture(scope="module")
def aligned(embedder: Embedder) -> tuple[list[Article], list[Annotation], list[Claim]]:
    articles = [a for a in read_articles([str(EXAMPLES)]) if isinstance(a, Article)]
    annotations = list(annotate_many(articles))
    wire = [tuple(a.id for a in articles if a.id.endswith((GAZETTE, VBC)))]
    return articles, annotations, align_claims(articles, annotations, embedder=embedder, wire_groups=wire)


def find(aligned: tuple[list[Article], list[Annotation], list[Claim]], name: str, text: str) -> Claim:
    articles, annotations, claims = aligned
    for article, annotation in zip(articles, annotations, strict=True):
        if not article.id.endswith(name):
            continue
        for s in annotation.sentences:
            if text in " ".join(article.text[s.start : s.end].split()):
                return next(c for c in claims if any(x.article == article.id and x.sentence == s.id for x in c.sentences))
    raise AssertionError(f"no sentence of {name} holds {text!r}")


@pytest.mark.parametrize("fact", sorted(SHARED))
def test_shared_facts_are_one_claim(aligned: tuple[list[Article], list[Annotation], list[Claim]], fact: str) -> None:
    claims = {find(aligned, name, text).id: find(aligned, name, text) for name, text in SHARED[fact]}
    assert len(claims) == 1, f"{fact}: split over {sorted(claims)}"
    [claim] = claims.values()
    assert claim.status in ("shared", "conflict")


@pytest.mark.parametrize(("name", "text"), UNIQUE)
def test_facts_only_one_outlet_reports_are_unique(
    aligned: tuple[list[Article], list[Annotation], list[Claim]], name: str, text: str
) -> None:
    claim = find(aligned, name, text)
    assert claim.status == "unique", f"{claim.id} joins {claim.articles}"


def test_wire_copies_share_their_sentences_as_one_source(aligned: tuple[list[Article], list[Annotation], list[Claim]]) -> None:
    claim = find(aligned, GAZETTE, "By mid-morning, bulldozers were clearing tents")
    assert claim is find(aligned, VBC, "By mid-morning, bulldozers were clearing tents")
    assert claim.status == "shared"
    assert claim.note is not None and claim.note.startswith("wire copies only")
    # the paragraph VBC trimmed is not VBC's
    assert not any(a.endswith(VBC) for a in find(aligned, GAZETTE, "The port handles about 70 percent").articles)


def test_the_arrest_figures_are_one_conflict(aligned: tuple[list[Article], list[Annotation], list[Claim]]) -> None:
    # C3 of examples/README.md: 62 arrested (ministry, RTV) vs more than 200 detained.
    claim = find(aligned, ALVER, "More than 200 people were detained")
    assert claim.status == "conflict"
    for name, text in ((GAZETTE, "62 people had been arrested"), (RTV1, "Sixty-two participants"), (RTV2, "the 62 people detained")):
        assert find(aligned, name, text) is claim, f"{name}: {text!r} is not in {claim.id}"
    assert claim.note is not None and "More than 200" in claim.note


def test_the_union_leaders_arrest_is_one_conflict_over_its_date(aligned: tuple[list[Article], list[Annotation], list[Claim]]) -> None:
    # C4 of examples/README.md: Wednesday morning (5 March) vs the evening of March 4.
    claim = find(aligned, RTV2, "Police detained Teodor Vashkin")
    assert claim is find(aligned, ALVER, "was detained on the evening of March 4")
    assert claim.status == "conflict"
    assert claim.note is not None and "dates differ" in claim.note


def test_the_death_tolls_are_conflicts(aligned: tuple[list[Article], list[Annotation], list[Claim]]) -> None:
    # C1 of examples/README.md: 14 vs at least 20 vs dozens (as one claim or more).
    for name, text in ((BEACON, "At least 20 people were killed"), (TIMES, "bodies of at least 20 people"), (RTV1, "Fourteen people died")):
        claim = find(aligned, name, text)
        assert claim.status == "conflict", f"{name}: {text!r} is {claim.status}"
        assert claim.note is not None and "numbers differ" in claim.note


def test_the_warning_denied_is_one_conflict(aligned: tuple[list[Article], list[Annotation], list[Claim]]) -> None:
    # C6 of examples/README.md: the police general says they warned the camp; a crane
    # operator says there was no warning.
    claim = find(aligned, RTV1, "We warned them again that morning")
    assert claim is find(aligned, TIMES, "There was no warning, no loudspeaker")
    assert claim.status == "conflict"
    assert claim.note is not None and claim.note.startswith("denied: “warned”")
    assert "quoting Boran Kessel" in claim.note and "quoting Pavel Ostrik" in claim.note


def test_every_sentence_of_the_examples_is_in_one_claim(aligned: tuple[list[Article], list[Annotation], list[Claim]]) -> None:
    _, annotations, claims = aligned
    seen = sorted((cs.article, cs.sentence) for c in claims for cs in c.sentences)
    assert seen == sorted((n.article, s.id) for n in annotations for s in n.sentences)
