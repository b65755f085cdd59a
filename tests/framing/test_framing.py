"""Framing rules on hand-written texts: scare quotes, hedges, loaded words, attribution
verbs, prominence and voices. Annotations are written by hand so that each rule is tested
alone; tests/framing/test_framing_corpus.py runs the whole stage on real annotations."""

from __future__ import annotations

import pytest
from framing_helpers import annotate_by_hand, assert_spans, make_article, quote
from hypothesis import given
from hypothesis import strategies as st

from rashomon.entities import canonicalise_entities
from rashomon.framing.marks import (
    find_attribution_verbs,
    find_hedges,
    find_loaded,
    find_scare_quotes,
    unquoted_text,
)
from rashomon.framing.prominence import find_prominence
from rashomon.framing.view import ArticleView, quoted_spans, views
from rashomon.framing.voices import find_voices
from rashomon.model import Article, Claim, ClaimSentence, FramingFinding, Quote

Spec = tuple[str, str, str, str | None, str | None]  # content, kind, speaker, cue, source


def _view(text: str, quotes: list[Spec] = (), title: str | None = None) -> ArticleView:  # type: ignore[assignment]
    article = make_article("a", text, title)
    qs = [quote(article, c, k, s, cue, src) for c, k, s, cue, src in quotes]
    return ArticleView.of(article, annotate_by_hand(article, (), qs))


def _scare(view: ArticleView, story: list[ArticleView] | None = None) -> list[FramingFinding]:
    story = story or [view]
    found = find_scare_quotes(view, story, {v.id: unquoted_text(v) for v in story})
    assert_spans([view.article], found)
    return found


# --- scare quotes ---------------------------------------------------------------------

SCARE = [
    # (text, quotes, title, the quoted words expected as scare quotes)
    ("The mayor praised the “peaceful” march.", [], None, ["peaceful"]),
    (
        "Kiev has urged sanctions over the \"massacre\" in Bucha.",
        [("sanctions over the \"massacre\" in Bucha", "mixed", "Kiev", "urged", None)],
        None,
        ["massacre"],
    ),
    (
        "The government insists its forces showed \"restraint\".",
        [("its forces showed \"restraint\"", "mixed", "government", "insists", None)],
        None,
        ["restraint"],
    ),
    (
        "State television described the strikers as «rioters».",
        [("the strikers as «rioters»", "mixed", "State television", "described", None)],
        None,
        ["rioters"],
    ),
    ("Twelve dead in the port.", [], "Widow's agony as 'at least 20' gunned down", ["at least 20"]),
    # Negative cases: quotations of a speaker, not scare quotes.
    ("“Never,” he said.", [("“Never,”", "direct", "he", "said", None)], None, []),
    (
        "Lavrov accused the West of fuelling \"hysteria\" over the killings.",
        # The extractor may cut the content short; the cue in the sentence still counts.
        [("the West", "indirect", "Lavrov", "accused", None)],
        None,
        [],
    ),
    (
        "She said the two sides had made \"progress\" in Turkey.",
        [("the two sides had made \"progress\" in Turkey", "mixed", "She", "said", None)],
        None,
        [],
    ),
    (
        "He called the ministry's version a “shameless fabrication”.",
        [("the ministry's version a “shameless fabrication”", "mixed", "He", "called", None)],
        None,
        [],
    ),
    (
        "He told commanders the port had to be cleared \"at any cost\".",
        [],  # no attribution found: the reporting verb before the quote still counts
        None,
        [],
    ),
    ("He said: “We will not give up on the talks under any circumstances.”", [], None, []),  # too long
    ("Officials met on Monday.", [], "West derails talks with 'hysteria:' Lavrov", []),  # credited
    ("The dockers' camp and the widow's tent were cleared.", [], None, []),  # apostrophes
]


@pytest.mark.parametrize(("text", "quotes", "title", "expected"), SCARE)
def test_scare_quotes(text: str, quotes: list[Spec], title: str | None, expected: list[str]) -> None:
    found = _scare(_view(text, quotes, title))
    assert [f.text.strip("\"“”'‘’«»:") for f in found] == expected
    assert all(f.kind == "scare_quote" for f in found)


def test_a_label_another_outlet_uses_unquoted_is_a_scare_quote() -> None:
    quoted = _view(
        "The government called the operation a «security operation».",
        [("the operation a «security operation»", "mixed", "government", "called", None)],
    )
    plain = ArticleView.of(make_article("b", "The security operation ended at dawn."), annotate_by_hand(make_article("b", "The security operation ended at dawn.")))
    (found,) = _scare(quoted, [quoted, plain])
    assert "b uses it unquoted" in (found.note or "")


@given(st.text(alphabet=st.sampled_from("ab ‘’'\"“”«»„.,"), max_size=80))
def test_quoted_spans_never_crash_and_are_balanced(text: str) -> None:
    for s, e in quoted_spans(text, 0, len(text)):
        assert 0 <= s < e <= len(text)
        assert text[s] in "“„«»‹\"‘‚'" and text[e - 1] in "”“»«›\"’'‘"


# --- hedges ---------------------------------------------------------------------------

HEDGES = [
    ("Doctors counted the alleged victims.", [], ["alleged"]),
    ("The minister reportedly told commanders to clear the port.", [], ["reportedly"]),
    ("Members of the so-called strike committee were arrested.", [], ["so-called"]),
    ("Reuters could not independently verify the footage.", [], ["could not independently verify"]),
    ("The broadcaster said, without presenting evidence, that it was paid.", [], ["without presenting evidence"]),
    ("Footage appeared to show officers beating a man.", [], ["appeared to"]),
    (
        "Vashkin claimed that the protesters were unarmed.",
        [("that the protesters were unarmed", "indirect", "Vashkin", "claimed", None)],
        ["claimed"],
    ),
    # Negative cases.
    ("“The alleged attack never happened,” he said.", [("“The alleged attack never happened,”", "direct", "he", "said", None)], []),
    ("The allegations were denied.", [], []),  # the noun reports an accusation
    ("Vashkin said that the protesters were unarmed.", [("that the protesters were unarmed", "indirect", "Vashkin", "said", None)], []),
]


@pytest.mark.parametrize(("text", "quotes", "expected"), HEDGES)
def test_hedges(text: str, quotes: list[Spec], expected: list[str]) -> None:
    view = _view(text, quotes)
    found = find_hedges(view)
    assert_spans([view.article], found)
    assert [f.text for f in found] == expected


# --- loaded words ---------------------------------------------------------------------


def test_loaded_words_own_voice_quotation_and_scare_quote() -> None:
    view = _view(
        "Thugs in riot gear beat a man. “They are terrorists,” the minister said. Kiev decried the \"massacre\" in the town.",
        [("“They are terrorists,”", "direct", "the minister", "said", None)],
    )
    scare = _scare(view)
    found = {f.text.lower(): f for f in find_loaded(view, scare)}
    assert found["thugs"].confidence == 0.8  # the outlet's own word
    assert found["terrorists"].confidence == 0.5  # the minister's word, printed by the outlet
    assert "minister" in (found["terrorists"].note or "")
    assert "massacre" not in found  # the scare quote is the finding, not the word
    assert "neutral:" in (found["thugs"].note or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Troops stormed the camp in a dawn bloodbath.", {"stormed", "bloodbath"}),
        ("The government plans to flog the port and slapped a curfew on the city.", {"flog", "slapped"}),
        ("The police cleared the camp and the curfew began.", set()),
        ("The bloodbathing party was postponed.", set()),  # whole words only
    ],
)
def test_loaded_word_table(text: str, expected: set[str]) -> None:
    view = _view(text)
    assert {f.text.lower() for f in find_loaded(view, [])} == expected


# --- attribution verbs ----------------------------------------------------------------


def test_non_neutral_attribution_verbs_name_the_other_outlets_choice() -> None:
    wire = make_article("wire", "Teodor Vashkin said the workers had been unarmed.")
    state = make_article("state", "Strike leader Teodor Vashkin claimed that the protesters were unarmed.")
    mentions = [("Teodor Vashkin", "PERSON")]
    annotations = [
        annotate_by_hand(wire, mentions, [quote(wire, "the workers had been unarmed", "indirect", "Teodor Vashkin", "said")]),
        annotate_by_hand(state, mentions, [quote(state, "that the protesters were unarmed", "indirect", "Teodor Vashkin", "claimed")]),
    ]
    entities = canonicalise_entities([wire, state], annotations)
    story = views([wire, state], annotations)
    assert find_attribution_verbs(story[1], story, entities) == []  # "said" is neutral (story[1] is "wire")
    (found,) = find_attribution_verbs(story[0], story, entities)
    assert found.text == "claimed" and found.entity is not None
    assert "distancing" in (found.note or "") and "“said” (wire)" in (found.note or "")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The government insists its forces showed restraint and claims the demonstrators threw bombs.", ["insists", "claims"]),
        ("The firm admitted to hospital two workers.", []),  # "admit" is not scanned
        ("Their claims were rejected.", []),  # a noun
    ],
)
def test_attribution_verbs_the_extractor_missed(text: str, expected: list[str]) -> None:
    view = _view(text)
    found = find_attribution_verbs(view, [view], [])
    assert [f.text for f in found if f.kind == "attribution_verb"] == expected
    # A distancing verb is a hedge too ("claims the demonstrators …").
    assert [f.text for f in found if f.kind == "hedge"] == [w for w in expected if w.startswith("claim")]


# --- prominence -----------------------------------------------------------------------


def test_a_fact_in_one_lede_and_buried_in_another() -> None:
    lede = make_article("lede", "Fourteen people died in the clashes, the ministry said. Police cleared the camp.\nThe port reopened.")
    body = "\n".join(
        ["The port reopened on Wednesday after a week.", "Ships queued outside the harbour all day.", "Traders said prices rose.",
         "The curfew stays in force until Friday.", "Fourteen people died in the clashes, officials said.", "The union called a strike."]
    )
    buried = make_article("buried", body)
    annotations = [annotate_by_hand(lede), annotate_by_hand(buried)]
    s1 = annotations[0].sentences[0]
    s5 = annotations[1].sentences[4]
    claim = Claim("c1", "shared", (ClaimSentence("lede", s1.id, s1.start, s1.end), ClaimSentence("buried", s5.id, s5.start, s5.end)))
    unique = Claim("c2", "unique", (ClaimSentence("lede", s1.id, s1.start, s1.end),))
    found = find_prominence(views([lede, buried], annotations), [claim, unique])
    assert_spans([lede, buried], found)
    by_article = {f.article: f for f in found}
    assert set(by_article) == {"lede", "buried"}
    assert by_article["buried"].claim == "c1"
    assert "sentence 5 of 6" in (by_article["buried"].note or "")
    assert "in the lede" in (by_article["lede"].note or "")


# --- voices ---------------------------------------------------------------------------


def test_voices_count_quotes_words_and_outlets() -> None:
    a = make_article("a", "“We warned them,” Boran Kessel said. Kessel added that the law applies to all.")
    b = make_article("b", "Pavel Ostrik said there was no warning. Boran Kessel said the operation was planned.")
    mentions = [("Boran Kessel", "PERSON"), ("Kessel", "PERSON"), ("Pavel Ostrik", "PERSON")]
    qa: list[Quote] = [
        quote(a, "“We warned them,”", "direct", "Boran Kessel", "said"),
        quote(a, "that the law applies to all", "indirect", "Kessel", "added"),
    ]
    qb = [
        quote(b, "there was no warning", "indirect", "Pavel Ostrik", "said"),
        quote(b, "the operation was planned", "indirect", "Boran Kessel", "said", source="Boran Kessel"),
    ]
    articles: list[Article] = [a, b]
    annotations = [annotate_by_hand(a, mentions, qa), annotate_by_hand(b, mentions, qb)]
    entities = canonicalise_entities(articles, annotations)
    voices = find_voices(articles, annotations, entities)
    kessel, ostrik = voices
    assert kessel.speaker == "Boran Kessel" and kessel.articles == ("a", "b")
    assert (kessel.direct, kessel.indirect, kessel.mixed) == (1, 2, 0)
    assert kessel.words == 3 + 6 + 4
    assert ostrik.articles == ("b",)  # quoted by one outlet only
    assert find_voices(articles[::-1], annotations[::-1], entities) == voices
