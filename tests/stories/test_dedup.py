"""Wire copies and reprints: grouped with a new headline or a trimmed paragraph; others not."""

from __future__ import annotations

import random

from story_fixtures import ALL, RATE_RISE, make_article

from rashomon.dedup import DedupSettings, fingerprint, is_near_duplicate, wire_groups

WIRE = ("rates/coastal-times.txt", "rates/sorvik-herald.txt")


def test_wire_copy_with_new_headline_and_trimmed_paragraph_is_grouped() -> None:
    assert wire_groups(RATE_RISE) == [WIRE]


def test_own_reporting_on_the_same_event_is_not_a_copy() -> None:
    assert wire_groups([RATE_RISE[0], RATE_RISE[2]]) == []


def test_unrelated_articles_are_not_grouped() -> None:
    others = [a for a in ALL if a not in RATE_RISE]
    assert wire_groups(others) == []


def test_a_reprint_cut_to_its_first_paragraphs_is_contained() -> None:
    full = RATE_RISE[0]
    cut = make_article("cut", "Rates up", full.paragraph_texts()[:5])
    assert wire_groups([full, cut]) == [("cut", full.id)]


def test_short_texts_sharing_a_stock_line_are_not_copies() -> None:
    line = "Follow us on the Valley News app for the latest updates."
    a = make_article("a", None, ["The bridge reopened on Monday after repairs.", line])
    b = make_article("b", None, ["A new bakery opened in the old post office.", line])
    assert wire_groups([a, b]) == []


def test_empty_bodies_match_nothing() -> None:
    assert not is_near_duplicate(fingerprint(""), fingerprint(""))
    assert wire_groups([make_article("x", "t", []), make_article("y", "t", [])]) == []


def test_lsh_path_finds_the_same_groups_on_many_articles() -> None:
    # Many distinct filler articles, the wire pair hidden among them.
    rng = random.Random(3)
    words = ["harbour", "council", "budget", "road", "school", "river", "market", "train", "bridge", "festival"]
    filler = [
        make_article(f"f{i}", None, [" ".join(rng.choice(words) + str(rng.randrange(999)) for _ in range(80))])
        for i in range(150)
    ]
    articles = filler + RATE_RISE
    rng.shuffle(articles)
    assert wire_groups(articles) == [WIRE]
    exhaustive = DedupSettings(exhaustive_up_to=10_000)
    assert wire_groups(articles, exhaustive) == [WIRE]


def test_groups_do_not_depend_on_input_order() -> None:
    assert wire_groups(list(reversed(ALL))) == wire_groups(ALL) == [WIRE]


def test_independent_sources_one_per_wire_group_and_per_outlet() -> None:
    from rashomon.dedup import independent_sources

    members = [("a", "Reuters"), ("b", "Global News"), ("c", "Press TV"), ("d", "Press TV"), ("e", None)]
    assert independent_sources(members, []) == 4  # Press TV's two items are one source
    assert independent_sources(members, [("a", "b")]) == 3  # b carries a's wire copy
    assert independent_sources(members, [("b", "c")]) == 3  # and the group reaches d via its outlet
    assert independent_sources(list(reversed(members)), [("c", "b")]) == 3
    assert independent_sources([("x", None), ("y", None)], []) == 2
    assert independent_sources([], []) == 0
