"""Speaker names: keys, titles, and the article's book of speakers."""

from __future__ import annotations

import pytest

from rashomon.model import Mention
from rashomon.nlp.speakers import SpeakerBook, clean_name, name_key, same_person


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Dmitry Peskov", "peskov"),
        ("Peskov", "peskov"),
        ("Mr. Trump's", "trump"),
        ("President Vladimir Putin", "putin"),
    ],
)
def test_name_key(name: str, key: str) -> None:
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("name", "clean"),
    [("Mr. Trump's", "Trump"), ("Sen. Ted Cruz", "Ted Cruz"), ("Peskov", "Peskov")],
)
def test_clean_name(name: str, clean: str) -> None:
    assert clean_name(name) == clean


def mention(start: int, text: str, label: str = "PERSON") -> Mention:
    return Mention(start, start + len(text), text, label, "s1")


def test_short_form_maps_to_the_full_name() -> None:
    book = SpeakerBook([mention(0, "Dmitry Peskov")])
    assert book.resolve(50, "Peskov", "person").entity == "Dmitry Peskov"


def test_pronoun_takes_the_last_person_speaker() -> None:
    book = SpeakerBook([mention(0, "Sergei Lavrov"), mention(40, "Kremlin", "ORG")])
    book.resolve(0, "Sergei Lavrov", "person")
    book.resolve(40, "Kremlin", "org")
    he = book.resolve(80, "he", "pronoun")
    assert he.name == "Sergei Lavrov" and he.penalty > 0
    it = book.resolve(90, "it", "pronoun")
    assert it.name == "Kremlin"


def test_one_word_place_tagged_person_is_not_a_he() -> None:
    # the small model tags "Kiev" PERSON; no full name, so no "he" goes to it
    book = SpeakerBook([mention(0, "Sergei Lavrov"), mention(30, "Kiev")])
    book.resolve(0, "Sergei Lavrov", "person")
    book.resolve(30, "Kiev", "person")
    assert book.resolve(60, "he", "pronoun").name == "Sergei Lavrov"


def test_pronoun_with_no_speaker_uses_the_last_person_named() -> None:
    book = SpeakerBook([mention(0, "Maria Lopez")])
    assert book.resolve(40, "she", "pronoun").name == "Maria Lopez"


def test_unresolvable_pronoun_gives_none() -> None:
    book = SpeakerBook([])
    resolved = book.resolve(10, "he", "pronoun")
    assert resolved.name is None and resolved.penalty > 0


def test_pronoun_prefers_a_named_subject_after_the_last_speaker() -> None:
    book = SpeakerBook([mention(0, "Tomas Berg"), mention(60, "Jonas Falk")], [(60, "Jonas Falk")])
    book.resolve(0, "Tomas Berg", "person")
    he = book.resolve(120, "he", "pronoun", subjects_from=50)
    assert he.name == "Jonas Falk" and he.penalty > 0
    # the subject before the last speaker loses to that speaker
    book.resolve(150, "Tomas Berg", "person")
    assert book.resolve(200, "he", "pronoun", subjects_from=50).name == "Tomas Berg"


def test_named_subject_outside_the_window_or_of_the_other_gender_is_skipped() -> None:
    subjects = [(60, "Jonas Falk")]
    book = SpeakerBook([mention(0, "Tomas Berg"), mention(60, "Jonas Falk")], subjects)
    book.resolve(0, "Tomas Berg", "person")
    assert book.resolve(120, "he", "pronoun", subjects_from=100).name == "Tomas Berg"
    book = SpeakerBook([mention(0, "Anna Holm"), mention(60, "Jonas Falk")], subjects)
    book.resolve(0, "Anna Holm", "person")
    book.resolve(30, "she", "pronoun")
    book.resolve(65, "he", "pronoun", subjects_from=50)  # Falk is a "he" now
    assert book.resolve(120, "she", "pronoun", subjects_from=50).name == "Anna Holm"


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Hillary Clinton", "Bill Clinton", False),
        ("Hillary Clinton", "Hillary Rodham Clinton", True),
        ("Clinton", "Bill Clinton", True),
        ("Sen. Ted Cruz", "Ted Cruz", True),
        ("H. Clinton", "Hillary Clinton", True),
    ],
)
def test_same_person(a: str, b: str, same: bool) -> None:
    assert same_person(a, b) is same


def test_two_people_of_one_surname_stay_two() -> None:
    book = SpeakerBook([mention(0, "Hillary Clinton"), mention(40, "Bill Clinton")])
    assert book.resolve(80, "President Bill Clinton", "person").entity == "Bill Clinton"
    book.learn("Hillary Rodham Clinton", "person")
    assert book.resolve(120, "Hillary Clinton", "person").entity == "Hillary Rodham Clinton"
    # A surname alone is the first of them the article named.
    assert book.resolve(160, "Clinton", "person").entity == "Hillary Rodham Clinton"
