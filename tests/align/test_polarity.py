"""Polarity: which words a sentence denies and which it asserts, and where two clash."""

from __future__ import annotations

import pytest

from rashomon.align.polarity import clash, polarity, stem


@pytest.mark.parametrize(
    ("words", "root"),
    [(("warned", "warning", "warns", "warn"), "warn"), (("stopped", "stops"), "stop"), (("injuries", "injury"), "injuri")],
)
def test_forms_of_one_word_share_a_stem(words: tuple[str, ...], root: str) -> None:
    assert {stem(w) for w in words} == {root}


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("There was no warning, no loudspeaker, nothing.", {"warn": "no warning", "loudspeaker": "no loudspeaker"}),
        ("Police did not warn the crowd.", {"warn": "not warn"}),
        ("The ministry didn’t confirm the deaths.", {"confirm": "n’t confirm"}),
        ("He has never been charged with a crime.", {"charg": "never been charged"}),
        ("The crowd was dispersed without warning.", {"warn": "without warning"}),
    ],
)
def test_the_first_content_word_after_a_negator_is_denied(text: str, denied: dict[str, str]) -> None:
    found = polarity(text).negated
    assert {s: text[a:b] for s, (a, b) in found.items()} == denied


@pytest.mark.parametrize(
    "text",
    [
        "Not only police but soldiers came to the port.",
        "The talks are no longer possible, he said.",
        "No less than the minister himself attended.",
        "It was not immediately clear how many died.",  # "not clear" denies no fact of the event
        "The company did not respond to a request for comment.",
    ],
)
def test_idioms_and_function_words_deny_nothing(text: str) -> None:
    assert polarity(text).negated == {}


def test_a_word_asserted_in_one_text_and_denied_in_the_other_clashes() -> None:
    a = "We warned them again that morning, by loudspeaker."
    b = "There was no warning, no loudspeaker, nothing."
    found = clash(polarity(a), polarity(b))
    assert [(s, a[x:y], b[u:v]) for s, (x, y), (u, v) in found] == [
        ("warn", "warned", "no warning"),
        ("loudspeaker", "loudspeaker", "no loudspeaker"),
    ]


def test_two_denials_or_two_assertions_do_not_clash() -> None:
    assert not clash(polarity("Police did not warn the crowd."), polarity("There was no warning."))
    assert not clash(polarity("Police did not warn the crowd."), polarity("Nobody was warned, no one was told."))
    assert not clash(polarity("Police warned the crowd."), polarity("The crowd was warned twice."))
