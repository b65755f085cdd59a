"""Claim alignment on texts written for these tests: what must and must not be one claim."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from rashomon.align import align_claims
from rashomon.embed import Embedder
from rashomon.model import Annotation, Article, Claim

Make = Callable[..., tuple[Article, Annotation]]


def claim_of(claims: list[Claim], article: Article, annotation: Annotation, substring: str) -> Claim:
    for s in annotation.sentences:
        if substring in article.text[s.start : s.end]:
            return next(c for c in claims if any(cs.article == article.id and cs.sentence == s.id for cs in c.sentences))
    raise AssertionError(f"no sentence of {article.id} holds {substring!r}")


# (sentence of a.txt, sentence of b.txt): the same fact in other words
PARAPHRASES = [
    (
        "The central bank raised its main interest rate by half a percentage point on Thursday.",
        "On Thursday the central bank lifted its key rate by 0.5 percentage points.",
    ),
    (
        "Firefighters needed six hours to bring the warehouse blaze under control.",
        "It took fire crews six hours to contain the fire at the warehouse.",
    ),
    (
        "The airline cancelled all flights out of the capital because of the storm.",
        "Because of the storm, every flight leaving the capital was cancelled by the airline.",
    ),
]

# (a.txt, b.txt): the same people and places, different facts
DIFFERENT_FACTS = [
    (
        "The mayor of Lindholm opened the new bridge over the Vass river on Monday.",
        "The mayor of Lindholm was criticised by the council for the cost of the new bridge.",
    ),
    (
        "The striking nurses marched to the health ministry to demand higher pay.",
        "The health ministry said it would hire two thousand foreign nurses next year.",
    ),
    (
        "Police arrested the driver of the lorry after the crash on the motorway.",
        "The motorway reopened to traffic late in the evening after the crash.",
    ),
]

FILLER_A = "Residents of the region said they had not seen weather like it in years."
FILLER_B = "A spokesman for the regional council declined to comment on the matter."


@pytest.mark.parametrize(("left", "right"), PARAPHRASES)
def test_paraphrases_are_one_shared_claim(make: Make, embedder: Embedder, left: str, right: str) -> None:
    a, na = make("a.txt", [left, FILLER_A])
    b, nb = make("b.txt", [FILLER_B, right])
    claims = align_claims([a, b], [na, nb], embedder=embedder)
    claim = claim_of(claims, a, na, left[:30])
    assert claim is claim_of(claims, b, nb, right[:30])
    assert claim.status == "shared"
    assert claim.articles == ("a.txt", "b.txt")
    assert 0.5 < claim.confidence <= 1.0


@pytest.mark.parametrize(("left", "right"), DIFFERENT_FACTS)
def test_different_facts_about_the_same_entities_stay_apart(make: Make, embedder: Embedder, left: str, right: str) -> None:
    a, na = make("a.txt", [left, FILLER_A])
    b, nb = make("b.txt", [FILLER_B, right])
    claims = align_claims([a, b], [na, nb], embedder=embedder)
    assert claim_of(claims, a, na, left[:30]) is not claim_of(claims, b, nb, right[:30])
    assert all(c.status == "unique" for c in claims)


def test_different_numbers_of_one_thing_are_a_conflict_with_a_note(make: Make, embedder: Embedder) -> None:
    a, na = make("a.txt", ["The fire at the chemical plant killed 14 people, officials said."])
    b, nb = make("b.txt", ["The fire at the chemical plant killed at least 20 people, hospital staff said."])
    [claim] = align_claims([a, b], [na, nb], embedder=embedder)
    assert claim.status == "conflict"
    assert claim.note == "numbers differ: 14 (a.txt) vs at least 20 (b.txt)"


def test_number_words_and_people_nouns_count_one_thing(make: Make, embedder: Embedder) -> None:
    # "Fourteen" is 14, and "participants" are people: the figures can be compared.
    a, na = make("a.txt", ["The fire at the chemical plant killed Fourteen participants, officials said."])
    b, nb = make("b.txt", ["The fire at the chemical plant killed at least 20 people, hospital staff said."])
    [claim] = align_claims([a, b], [na, nb], embedder=embedder)
    assert claim.status == "conflict"
    assert claim.note == "numbers differ: Fourteen (a.txt) vs at least 20 (b.txt)"


def test_counts_of_one_event_in_other_words_are_one_claim(make: Make, embedder: Embedder) -> None:
    # "died" and "killed" name one event; the figure agrees, so the toll is a shared fact.
    a, na = make("a.txt", ["Fourteen people died in the riots at the port."])
    b, nb = make("b.txt", ["Police fired on the crowd at the port in clashes that killed 14 people, officials said."])
    [claim] = align_claims([a, b], [na, nb], embedder=embedder)
    assert claim.status == "shared"


def test_counts_of_one_event_that_disagree_are_a_conflict(make: Make, embedder: Embedder) -> None:
    # "arrested" and "detained" name one event; 62 and "more than 200" cannot both be true.
    a, na = make("a.txt", ["The ministry said two police officers were among the dead and that 62 people had been arrested."])
    b, nb = make("b.txt", ["More than 200 people were detained, according to a legal aid group."])
    [claim] = align_claims([a, b], [na, nb], embedder=embedder)
    assert claim.status == "conflict"
    assert claim.note == "numbers differ: 62 (a.txt) vs More than 200 (b.txt)"


def test_counts_of_different_events_never_conflict(make: Make, embedder: Embedder) -> None:
    # Both count people, but the dead and the detained are two facts, not two figures for one.
    a, na = make("a.txt", ["Fourteen people were killed at the port on Tuesday."])
    b, nb = make("b.txt", ["Sixty-two people were detained at the port on Tuesday."])
    claims = align_claims([a, b], [na, nb], embedder=embedder)
    assert all(c.status != "conflict" for c in claims)


def test_numbers_that_can_agree_are_no_conflict(make: Make, embedder: Embedder) -> None:
    a, na = make("a.txt", ["The fire at the chemical plant killed dozens of people, officials said."])
    b, nb = make("b.txt", ["The fire at the chemical plant killed at least 20 people, hospital staff said."])
    [claim] = align_claims([a, b], [na, nb], embedder=embedder)
    assert claim.status == "shared"
    assert claim.note is None


def test_different_dates_of_one_event_are_a_conflict(make: Make, embedder: Embedder) -> None:
    a, na = make("a.txt", ["Troops stormed the protest camp at the harbour on March 3, killing several people."], published="2031-03-05")
    b, nb = make("b.txt", ["Troops stormed the protest camp at the harbour on March 4, killing several people."], published="2031-03-05")
    [claim] = align_claims([a, b], [na, nb], embedder=embedder)
    assert claim.status == "conflict"
    assert claim.note is not None and claim.note.startswith("dates differ: March 3 = 2031-03-03 (a.txt) vs March 4 = 2031-03-04 (b.txt)")


def test_a_reporting_date_is_not_the_date_of_the_fact(make: Make, embedder: Embedder) -> None:
    a, na = make("a.txt", ["The ministry said on March 3 that the bridge would be rebuilt within a year."], published="2031-03-05")
    b, nb = make("b.txt", ["The ministry said on March 4 that the bridge would be rebuilt within a year."], published="2031-03-05")
    [claim] = align_claims([a, b], [na, nb], embedder=embedder)
    assert claim.status == "shared"


def test_a_quoted_number_names_its_speaker(make: Make, embedder: Embedder) -> None:
    a, na = make("a.txt", ["The fire at the chemical plant killed 14 people, officials said."])
    b, nb = make(
        "b.txt",
        ["“The fire at the chemical plant killed 30 people,” said Dr Ines Varga."],
        people=["Ines Varga"],
        quotes=[("Ines Varga", "“The fire at the chemical plant killed 30 people,”")],
    )
    [claim] = align_claims([a, b], [na, nb], embedder=embedder)
    assert claim.status == "conflict"
    assert claim.note == "numbers differ: 14 (a.txt) vs 30 (b.txt, quoting Ines Varga)"


STORY = {
    "a.txt": [
        "Heavy rain flooded the old town of Mervik on Sunday night.",
        "The river Aln burst its banks after three days of storms.",
        "About 300 homes were evacuated, the fire brigade said.",
        "The mayor, Olga Brand, called it the worst flood in fifty years.",
    ],
    "b.txt": [
        "Mervik’s old town was under water on Sunday night after heavy rain.",
        "The regional governor promised emergency funds for the town.",
        "Some 300 households had to leave their homes, according to firefighters.",
    ],
    "c.txt": [
        "After three days of storms, the Aln river overflowed its banks.",
        "Schools in the district will stay closed until Wednesday.",
        "Mayor Olga Brand said the flood was the worst in half a century.",
    ],
}


def story(make: Make) -> tuple[list[Article], list[Annotation]]:
    built = [make(name, paras, published="2031-06-02", people=["Olga Brand"]) for name, paras in STORY.items()]
    return [a for a, _ in built], [n for _, n in built]


def test_every_sentence_is_in_exactly_one_claim(make: Make, embedder: Embedder) -> None:
    articles, annotations = story(make)
    claims = align_claims(articles, annotations, embedder=embedder)
    seen = [(cs.article, cs.sentence) for c in claims for cs in c.sentences]
    expected = [(n.article, s.id) for n in annotations for s in n.sentences]
    assert sorted(seen) == sorted(expected)
    assert [c.id for c in claims] == [f"c{i}" for i in range(1, len(claims) + 1)]
    for c in claims:
        assert (c.status == "unique") == (len(c.articles) == 1)
        for cs in c.sentences:
            text = next(a for a in articles if a.id == cs.article).text
            assert cs.start < cs.end <= len(text)


def test_the_story_aligns_its_shared_facts(make: Make, embedder: Embedder) -> None:
    articles, annotations = story(make)
    claims = align_claims(articles, annotations, embedder=embedder)
    a, b, c = zip(articles, annotations, strict=True)
    flood = claim_of(claims, *a, "Heavy rain flooded")
    assert flood is claim_of(claims, *b, "under water")
    river = claim_of(claims, *a, "burst its banks")
    assert river is claim_of(claims, *c, "overflowed its banks")
    assert claim_of(claims, *a, "About 300 homes") is claim_of(claims, *b, "Some 300 households")
    assert claim_of(claims, *a, "worst flood") is claim_of(claims, *c, "half a century")
    assert claim_of(claims, *b, "regional governor").status == "unique"
    assert claim_of(claims, *c, "Schools in the district").status == "unique"
    assert len({flood.id, river.id}) == 2


def partition(claims: list[Claim]) -> set[frozenset[tuple[str, str]]]:
    return {frozenset((cs.article, cs.sentence) for cs in c.sentences) for c in claims}


def test_permuting_the_articles_gives_the_same_claims(make: Make, embedder: Embedder) -> None:
    articles, annotations = story(make)
    reference = align_claims(articles, annotations, embedder=embedder)
    for order in itertools.permutations(range(3)):
        claims = align_claims([articles[k] for k in order], [annotations[k] for k in order], embedder=embedder)
        assert partition(claims) == partition(reference)
        by_members = {frozenset((s.article, s.sentence) for s in c.sentences): (c.status, c.note, c.confidence) for c in claims}
        assert by_members == {frozenset((s.article, s.sentence) for s in c.sentences): (c.status, c.note, c.confidence) for c in reference}
        # ids follow the input order: c1 holds the first sentence of the first article given
        assert claims[0].sentences[0].article == articles[order[0]].id


def test_results_are_deterministic(make: Make, embedder: Embedder) -> None:
    articles, annotations = story(make)
    assert align_claims(articles, annotations, embedder=embedder) == align_claims(articles, annotations, embedder=embedder)


def test_wire_copies_share_a_claim_marked_as_one_source(make: Make, embedder: Embedder) -> None:
    wire = ["Heavy rain flooded the old town of Mervik on Sunday night.", "The regional governor promised emergency funds."]
    a, na = make("gazette.txt", wire)
    b, nb = make("herald.txt", wire)
    c, nc = make("times.txt", ["Mervik’s old town was under water on Sunday night after heavy rain."])
    claims = align_claims([a, b, c], [na, nb, nc], embedder=embedder, wire_groups=[("gazette.txt", "herald.txt")])
    flood = claim_of(claims, a, na, "Heavy rain")
    assert flood.status == "shared" and flood.articles == ("gazette.txt", "herald.txt", "times.txt")
    assert flood.note is None  # an independent article reports it too
    funds = claim_of(claims, a, na, "regional governor")
    assert funds.status == "shared" and funds.articles == ("gazette.txt", "herald.txt")
    assert funds.note == "wire copies only: gazette.txt, herald.txt (one independent source)"


def test_a_crosshead_joins_the_claim_it_restates(make: Make, embedder: Embedder) -> None:
    a, na = make(
        "a.txt",
        [
            "Heavy rain flooded the old town of Mervik on Sunday night.",
            ("heading", "Governor promises emergency funds"),
            "The regional governor promised emergency funds for the flooded town.",
        ],
    )
    b, nb = make("b.txt", ["The regional governor has promised the town emergency funds.", "Schools stay closed."])
    claims = align_claims([a, b], [na, nb], embedder=embedder)
    heading = claim_of(claims, a, na, "Governor promises")
    assert heading is claim_of(claims, a, na, "The regional governor promised")
    assert heading is claim_of(claims, b, nb, "has promised the town")


def test_a_crosshead_that_restates_nothing_is_its_own_claim(make: Make, embedder: Embedder) -> None:
    a, na = make("a.txt", [("heading", "Markets in turmoil"), "Heavy rain flooded the old town of Mervik on Sunday night."])
    b, nb = make("b.txt", ["Mervik’s old town was under water on Sunday night after heavy rain."])
    claims = align_claims([a, b], [na, nb], embedder=embedder)
    heading = claim_of(claims, a, na, "Markets in turmoil")
    assert heading.status == "unique" and len(heading.sentences) == 1


def test_different_speakers_are_different_statements(make: Make, embedder: Embedder) -> None:
    a, na = make(
        "a.txt",
        ["“The talks are making progress,” said Dmitri Varov."],
        people=["Dmitri Varov"],
        quotes=[("Dmitri Varov", "“The talks are making progress,”")],
    )
    b, nb = make(
        "b.txt",
        ["“The talks are going nowhere,” said Lena Morsk."],
        people=["Lena Morsk"],
        quotes=[("Lena Morsk", "“The talks are going nowhere,”")],
    )
    claims = align_claims([a, b], [na, nb], embedder=embedder)
    assert [c.status for c in claims] == ["unique", "unique"]


def test_no_articles_and_empty_articles(make: Make, embedder: Embedder) -> None:
    assert align_claims([], [], embedder=embedder) == []
    a, na = make("a.txt", ["Heavy rain flooded the old town of Mervik on Sunday night."])
    empty = Article(id="empty.txt", path="empty.txt", text="")
    claims = align_claims([a, empty], [na, Annotation(article="empty.txt")], embedder=embedder)
    assert [(c.status, c.articles) for c in claims] == [("unique", ("a.txt",))]


def test_mismatched_annotations_are_refused(make: Make, embedder: Embedder) -> None:
    a, na = make("a.txt", ["One sentence here."])
    b, nb = make("b.txt", ["Another sentence here."])
    with pytest.raises(ValueError, match="in the order of the articles"):
        align_claims([a, b], [nb, na], embedder=embedder)
    with pytest.raises(ValueError, match="one Annotation per Article"):
        align_claims([a, b], [na], embedder=embedder)
    with pytest.raises(ValueError, match="unique"):
        align_claims([a, a], [na, na], embedder=embedder)


def test_an_attribution_note_names_each_set_of_people_once() -> None:
    from rashomon.align.details import attribution_note

    people = {"a.txt": frozenset({"Mirko Dallan"}), "b.txt": frozenset({"Mirko Dallan"}), "c.txt": frozenset({"Ines Varga"})}
    assert attribution_note(people, ["a.txt", "b.txt", "c.txt"]) == (
        "attributed differently: Mirko Dallan (a.txt; b.txt) vs Ines Varga (c.txt)"
    )
    assert attribution_note({"a.txt": people["a.txt"], "b.txt": people["b.txt"]}, ["a.txt", "b.txt"]) is None


def test_only_counts_of_people_are_tolls_of_an_event(make: Make) -> None:
    from rashomon.align.details import sentence_facts

    a, na = make("a.txt", ["Fourteen people died after the climber slipped and fell 60 metres."])
    [facts] = sentence_facts(a, na).values()
    events = {x.text: (x.unit, x.event) for x in facts.amounts}
    assert events["Fourteen"] == ("person", "death")
    assert events["60"] == ("metre", "")  # a height, not a toll, though "died" is near


def test_an_article_that_gives_both_figures_still_disagrees_with_one_that_gives_one(make: Make, embedder: Embedder) -> None:
    # b.txt reports the official toll and the doctors' higher one; a.txt only the official.
    a, na = make("a.txt", ["The fire at the chemical plant killed 14 people, officials said."])
    b, nb = make(
        "b.txt",
        ["The fire at the chemical plant killed 14 people, officials said, but doctors counted at least 20 people dead."],
    )
    claims = align_claims([a, b], [na, nb], embedder=embedder)
    [claim] = [c for c in claims if len(c.articles) == 2]
    assert claim.status == "conflict"
    assert claim.note is not None and "at least 20 (b.txt)" in claim.note


def test_one_event_befalling_one_person_on_two_dates_is_a_conflict(make: Make, embedder: Embedder) -> None:
    a, na = make("a.txt", ["Police detained Anna Berg, the strike leader, on Wednesday morning, prosecutors said."],
                 published="2031-03-05", people=["Anna Berg"])
    b, nb = make("b.txt", ["Anna Berg, who chairs the union, was detained on the evening of March 4 at a friend's flat."],
                 published="2031-03-06", people=["Anna Berg"])
    claims = align_claims([a, b], [na, nb], embedder=embedder)
    [claim] = [c for c in claims if len(c.articles) == 2]
    assert claim.status == "conflict"
    assert claim.note is not None and "dates differ" in claim.note


def test_a_denial_of_what_another_outlet_asserts_is_a_conflict(make: Make, embedder: Embedder) -> None:
    a, na = make("a.txt", ["Police said they had warned the protesters by loudspeaker before moving in."])
    b, nb = make("b.txt", ["There was no warning and no loudspeaker before police moved in, protesters said."])
    claims = align_claims([a, b], [na, nb], embedder=embedder)
    claim = claim_of(claims, a, na, "warned")
    assert claim is claim_of(claims, b, nb, "no warning")
    assert claim.status == "conflict"
    assert claim.note is not None and claim.note.startswith("denied: “warned” (a.txt) vs “no warning” (b.txt)")
    assert [(v.article, v.text, v.kind) for v in claim.values] == [("a.txt", "warned", "denial"), ("b.txt", "no warning", "denial")]


def test_the_same_denial_in_two_outlets_is_shared(make: Make, embedder: Embedder) -> None:
    a, na = make("a.txt", ["Police did not warn the protesters before moving in."])
    b, nb = make("b.txt", ["The protesters were given no warning before police moved in."])
    [claim] = align_claims([a, b], [na, nb], embedder=embedder)
    assert claim.status == "shared"
