"""The details of a claim that outlets can disagree on: numbers and dates, and who says so.

A shared claim is a conflict when two articles give it numbers of the same thing that
cannot both be true, or event dates that differ. Numbers are compared as intervals, so
that vague amounts and qualifiers are judged the way a reader would: "at least 20" fits
"dozens" but not "14"; "nearly 10" fits 9 but not 11. What a number counts is read from the
word after it ("14 people", "two police officers"), or the noun before it ("the death toll
at 14"); only numbers of the same thing are compared, so "two police officers among the
dead" never conflicts with "14 people killed".

Dates that only time a statement ("said on Tuesday", "told reporters Wednesday") are not
the date of the fact and are left out: two outlets reporting one statement on different
days do not disagree about the event. A bare year ("in 2007") dates a fact at the
precision of a year, so it agrees with any day of that year.

Who says it: a claim that two articles attribute to different people (each article's
sentences are mostly quotes, direct or reported, of a person, and no person is common) is a
conflict of attribution ("attributed differently: Sergei Lavrov (a.txt) vs Dmitry Peskov
(b.txt)"). Attributions to "Russia" or "the ministry" are not compared: "Moscow denies" and
"Russia denied" name one actor in two ways, which the compare stage's entity
canonicalisation, not this module, can tell.

Quotes matter: a number inside a quotation is the speaker's claim, not the outlet's. The
note says so ("at least 20 (b.txt, quoting Ines Varga)"), so a reader sees whether outlets
disagree with each other or report sources that disagree.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.align.clauses import clause_spans
from rashomon.entities.names import joined, name_tables, name_tokens
from rashomon.model import Annotation, Article, Quantity, Sentence
from rashomon.nlp.cues import words

# A date this close after a reporting verb times the statement, not the fact.
_REPORTING_BEFORE = re.compile(
    r"\b(?:said|says|told(?:\s+\w+){0,3}|announced|added|stated|reported|claimed|confirmed|"
    r"insisted|tweeted|wrote|statement|remarks|interview|briefing|conference(?:\s+call)?)"
    r"[\s,]+(?:late\s+|early\s+|on\s+|last\s+|this\s+)*$",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(r"^\s*(?:percent\b|per\s+cent\b|%|(?:of\s+)?(?:the\s+|them\s+|those\s+)?([A-Za-z][A-Za-z-]+))")
_NOUN_BEFORE = re.compile(
    r"([A-Za-z][A-Za-z-]+)\s+(?:(?:at|of|to|was|is|stood|stands|rose|reached|hit|remained|remains|climbed)\s+){1,2}$",
    re.IGNORECASE,
)
# Words after a number that say nothing about what it counts.
_NOT_UNITS = frozenset(
    ("and", "or", "to", "in", "on", "at", "by", "for", "from", "with", "a", "an", "the", "were",
     "was", "had", "have", "has", "are", "is", "more", "other", "others", "people's")
)  # fmt: skip
_PERCENT = "percent"
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# "one" is a pronoun as often as a number ("no one", "one of them").
_AMBIGUOUS = frozenset(("one",))
_LOWER_BOUND = frozenset(("more than", "over", "at least", "just over"))
_UPPER_BOUND = frozenset(("less than", "fewer than", "under", "at most", "up to", "just under"))
_NEAR_BELOW = frozenset(("nearly", "almost", "close to", "as many as"))
_AROUND = frozenset(("about", "around", "roughly", "approximately", "some", "an estimated"))


@dataclass(frozen=True, slots=True)
class Amount:
    """A number in a sentence: its words, what it counts, the interval it allows, who says it."""

    text: str
    unit: str
    low: float
    high: float
    speaker: str | None
    start: int = 0
    end: int = 0
    event: str = ""

    @property
    def key(self) -> str:
        """What is counted: the unit, and the event that befell it when one is named
        ("person/death" for "14 people were killed"; "person" for "14 people")."""
        return f"{self.unit}/{self.event}" if self.event else self.unit


@dataclass(frozen=True, slots=True)
class When:
    """An event date in a sentence: its words, ISO value, who says it."""

    text: str
    value: str
    speaker: str | None
    start: int = 0
    end: int = 0


@dataclass(frozen=True, slots=True)
class Facts:
    """The comparable details of one sentence."""

    amounts: tuple[Amount, ...] = ()
    dates: tuple[When, ...] = ()
    all_dates: frozenset[str] = frozenset()


def sentence_facts(article: Article, annotation: Annotation) -> dict[str, Facts]:
    """The numbers and dates of each sentence of one article, keyed by Sentence.id."""
    text = article.text
    quotes = [
        (q.content_start, q.content_end, q.speaker_entity or q.speaker)
        for q in annotation.quotes
        if q.kind != "indirect"  # reported speech is the outlet's paraphrase of the speaker
    ]
    out: dict[str, Facts] = {}
    by_sentence: dict[str, list[Quantity]] = {}
    sentences = list(annotation.sentences)
    for q in annotation.quantities:
        s = _holding(sentences, q.start)
        if s is not None:
            by_sentence.setdefault(s.id, []).append(q)
    for s in sentences:
        amounts: list[Amount] = []
        dates: list[When] = []
        every: set[str] = set()
        for q in by_sentence.get(s.id, []):
            speaker = next((sp for a, b, sp in quotes if a <= q.start and q.end <= b), None)
            if q.kind == "date":
                every.add(q.value)
                if not _REPORTING_BEFORE.search(text[max(s.start, q.start - 60) : q.start]):
                    dates.append(When(q.text, q.value, speaker, q.start, q.end))
                continue
            if q.kind == "number" and _YEAR.match(q.value) and not q.qualifier:
                # a bare year ("in 2007") dates the fact, at the precision of a year
                dates.append(When(q.text, q.value, speaker, q.start, q.end))
                continue
            amount = _amount(text, s, q, speaker)
            if amount is not None:
                amounts.append(amount)
        out[s.id] = Facts(tuple(amounts), tuple(dates), frozenset(every))
    return out


def _holding(sentences: Sequence[Sentence], pos: int) -> Sentence | None:
    for s in sentences:
        if s.start <= pos < s.end:
            return s
    return None


def _amount(text: str, sentence: Sentence, q: Quantity, speaker: str | None) -> Amount | None:
    if q.text.strip().lower() in _AMBIGUOUS:
        return None
    unit = _unit(text, sentence, q)
    if not unit:
        return None
    interval = _interval(q)
    if interval is None:
        return None
    event = _event(text, sentence, q) if unit in _HUMAN_UNITS else ""
    return Amount(q.text, unit, interval[0], interval[1], speaker, q.start, q.end, event)


# What a count is a count of: the event that befell what is counted, read from the words
# of the number's own clause. "14 people were killed" and "at least 20 people died" count
# one thing (a death toll) and can conflict; "14 people were killed" and "62 people were
# detained" count two things and never do, though both count people.
_EVENT_WORDS: dict[str, tuple[str, ...]] = {
    "death": tuple(
        words(
            "killed kill kills killing dead die died dies dying death deaths toll bodies "
            "fatalities fatality perished slain murdered massacred lives"
        )
    ),
    "injury": tuple(words("injured injuring wounded wounding hurt injuries injury hospitalised hospitalized")),
    "arrest": tuple(
        words("arrested arrest arrests arresting detained detain detains detention detentions custody jailed")
    ),
    "missing": ("missing", "disappeared"),
    "displacement": tuple(words("evacuated displaced homeless")),
}
_EVENT_OF = {w: event for event, ws in _EVENT_WORDS.items() for w in ws}
# Only counts of people are tolls of an event: "falling 60 metres" and "falling 150
# metres" in two climbers' deaths are two falls, not two figures for one.
_HUMAN_UNITS = frozenset(
    words(
        "person officer soldier civilian child woman man student worker miner passenger "
        "tourist climber police policeman troop fighter militant migrant refugee resident "
        "villager journalist prisoner hostage patient victim casualty children men women"
    )
)
# How far (in words, within the number's clause) an event word may stand from the number.
EVENT_WINDOW = 8


def events_named(text: str) -> frozenset[str]:
    """The events (death, injury, arrest, ...) whose words ``text`` holds."""
    return frozenset(e for w in re.findall(r"[A-Za-z]+", text) if (e := _EVENT_OF.get(w.lower())) is not None)


def _event(text: str, sentence: Sentence, q: Quantity) -> str:
    """The event of the word nearest the number, in its clause and within EVENT_WINDOW
    words; "" when none is named (or two events tie)."""
    body = text[sentence.start : sentence.end]
    at = q.start - sentence.start
    clause = next(((a, b) for a, b in clause_spans(body) if a <= at < b), (0, len(body)))
    tokens = [(m.start(), m.group(0).lower()) for m in re.finditer(r"[A-Za-z]+", body[clause[0] : clause[1]])]
    here = sum(1 for start, _ in tokens if start + clause[0] < at)
    found: dict[int, set[str]] = {}
    for k, (_start, word) in enumerate(tokens):
        event = _EVENT_OF.get(word)
        if event is not None and abs(k - here) <= EVENT_WINDOW:
            found.setdefault(abs(k - here), set()).add(event)
    if not found:
        return ""
    nearest = found[min(found)]
    return next(iter(nearest)) if len(nearest) == 1 else ""


def _unit(text: str, sentence: Sentence, q: Quantity) -> str:
    after = text[q.end : min(sentence.end, q.end + 40)]
    m = _UNIT_AFTER.match(after)
    if m and m.group(1) is None:
        return _PERCENT
    if m and m.group(1) and m.group(1).lower() not in _NOT_UNITS:
        return _singular(m.group(1).lower())
    before = text[max(sentence.start, q.start - 40) : q.start]
    m = _NOUN_BEFORE.search(before)
    if m and m.group(1).lower() not in _NOT_UNITS:
        return _singular(m.group(1).lower())
    return ""


# Nouns that count people in general: "200 people" and "62 participants" count the same
# thing. Groups with a role of their own ("police officers", "soldiers") stay apart: the
# officers among the dead are a part of the toll, not another figure for it.
_PEOPLE = frozenset(
    words(
        "people persons person participants participant individuals individual protesters "
        "protester demonstrators demonstrator rioters rioter"
    )
)


# A toll counts people ("the death toll at 14" = "14 people died").
_COUNTS_PEOPLE = frozenset(("toll",))


def _singular(word: str) -> str:
    if word in _PEOPLE or word in _COUNTS_PEOPLE:
        return "person"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _interval(q: Quantity) -> tuple[float, float] | None:
    """The values a quantity allows: a range for vague words, bounds for qualifiers."""
    try:
        if "-" in q.value.lstrip("-"):
            lo, hi = q.value.split("-", 1)
            return float(lo), float(hi)
        v = float(q.value)
    except ValueError:
        return None
    qual = (q.qualifier or "").lower()
    if qual in _LOWER_BOUND:
        return v, math.inf
    if qual in _UPPER_BOUND:
        return 0.0, v
    if qual in _NEAR_BELOW:
        return 0.7 * v, v
    if qual in _AROUND:
        return 0.8 * v, 1.2 * v
    return v, v


def _fits(a: Amount, b: Amount) -> bool:
    return a.low <= b.high and b.low <= a.high


def said_by(article: str, speaker: str | None) -> str:
    """How a note names who gives a detail: "b.txt", or "b.txt, quoting Ines Varga"."""
    return f"{article}, quoting {speaker}" if speaker else article


def conflict_note(per_article: dict[str, list[Facts]], order: Sequence[str]) -> str | None:
    """What the articles of one claim disagree on, or None when they agree.

    ``per_article`` maps an article id to the Facts of its sentences in the claim;
    ``order`` lists the article ids in the order the note should name them.
    """
    parts: list[str] = []
    numbers = _number_conflict(per_article, order)
    if numbers:
        parts.append(f"numbers differ: {numbers}")
    dates = _date_conflict(per_article, order)
    if dates:
        parts.append(f"dates differ: {dates}")
    return "; ".join(parts) or None


def conflict_values(per_article: dict[str, list[Facts]], order: Sequence[str]) -> list[tuple[str, str, int, int, str]]:
    """The numbers and dates that ``conflict_note`` names, as (article, kind, start, end,
    text): the spans a conflict rests on, articles in ``order``, then text order."""
    out: list[tuple[str, str, int, int, str]] = []
    for _unit, by_art in _clashing_units(per_article, order):
        for art in order:
            out += [(art, "number", x.start, x.end, x.text) for x in by_art.get(art, [])]
    dated = _dated(per_article, order)
    if _dates_clash(dated):
        for art in order:
            out += [(art, "date", w.start, w.end, w.text) for w in dated.get(art, [])]
    rank = {a: i for i, a in enumerate(order)}
    return sorted(set(out), key=lambda t: (rank[t[0]], t[2], t[3], t[1]))


def _clashing_units(
    per_article: dict[str, list[Facts]], order: Sequence[str]
) -> list[tuple[str, dict[str, list[Amount]]]]:
    """The units (what is counted) whose numbers cannot agree, with each article's amounts."""
    units: dict[str, dict[str, list[Amount]]] = {}
    for art in order:
        for facts in per_article.get(art, []):
            for amount in facts.amounts:
                units.setdefault(amount.key, {}).setdefault(art, []).append(amount)
    out: list[tuple[str, dict[str, list[Amount]]]] = []
    for unit in sorted(units):
        by_art = units[unit]
        arts = [a for a in order if a in by_art]
        # Any two figures of two articles that cannot both be true: an article that gives
        # the official 14 and the doctors' "at least 20" still disagrees with one that
        # gives the 14 alone, which leaves the higher figure out.
        clash = any(
            not _fits(x, y)
            for i, a in enumerate(arts)
            for b in arts[i + 1 :]
            for x in by_art[a]
            for y in by_art[b]
        )
        if clash:
            out.append((unit, by_art))
    return out


def _number_conflict(per_article: dict[str, list[Facts]], order: Sequence[str]) -> str | None:
    described = [
        _describe([a for a in order if a in by_art], by_art) for _, by_art in _clashing_units(per_article, order)
    ]
    return "; ".join(described) or None


def _describe(arts: list[str], by_art: dict[str, list[Amount]]) -> str:
    """Each wording once, with its articles: "14 (a.txt) vs at least 20 (b.txt, quoting X)"."""
    groups: dict[str, list[str]] = {}
    for art in arts:
        seen: set[str] = set()
        for x in by_art[art]:
            if x.text in seen:
                continue
            seen.add(x.text)
            groups.setdefault(x.text, []).append(said_by(art, x.speaker))
    return " vs ".join(f"{words} ({'; '.join(labels)})" for words, labels in groups.items())


def _dated(per_article: dict[str, list[Facts]], order: Sequence[str]) -> dict[str, list[When]]:
    dated: dict[str, list[When]] = {}
    for art in order:
        for facts in per_article.get(art, []):
            if facts.dates:
                dated.setdefault(art, []).extend(facts.dates)
    return dated


def _dates_clash(dated: dict[str, list[When]]) -> bool:
    arts = list(dated)
    return any(
        not any(_same_day(x.value, y.value) for x in dated[a] for y in dated[b])
        for i, a in enumerate(arts)
        for b in arts[i + 1 :]
    )


def _date_conflict(per_article: dict[str, list[Facts]], order: Sequence[str]) -> str | None:
    dated = _dated(per_article, order)
    arts = list(dated)
    if not _dates_clash(dated):
        return None
    groups: dict[str, list[str]] = {}
    for art in arts:
        for w in dated[art]:
            key = f"{w.text} = {w.value}"
            labels = groups.setdefault(key, [])
            label = said_by(art, w.speaker)
            if label not in labels:
                labels.append(label)
    return " vs ".join(f"{k} ({'; '.join(v)})" for k, v in groups.items())


def _same_day(a: str, b: str) -> bool:
    """Whether two ISO dates can be the same day, each at its own precision: "2031-03-04"
    fits "--03-04" (year unknown) and "2031" (year only), not "2031-03-03" or "2030"."""
    if a == b:
        return True
    if len(a) == 4 or len(b) == 4:
        year, other = (a, b) if len(a) == 4 else (b, a)
        return other.startswith("--") or other[:4] == year
    return (a.startswith("--") or b.startswith("--")) and a[-5:] == b[-5:]


def dates_differ(a: Facts, b: Facts) -> bool:
    """Whether two sentences name event dates and none of them can be the same day."""
    return bool(a.dates and b.dates) and not any(_same_day(x.value, y.value) for x in a.dates for y in b.dates)


def numbers_differ(a: Facts, b: Facts) -> bool:
    """Whether two sentences count one thing (same unit and event) with numbers that cannot agree."""
    keys = {x.key for x in a.amounts} & {y.key for y in b.amounts}
    return any(
        not any(_fits(x, y) for x in a.amounts if x.key == k for y in b.amounts if y.key == k) for k in keys
    )


def same_count(a: Facts, b: Facts) -> bool:
    """Whether two sentences count the same thing befallen by the same named event ("14
    people were killed", "the bodies of at least 20 people"), whatever the numbers: the
    same fact stated, or a conflict over it."""
    return any(x.event and x.key == y.key for x in a.amounts for y in b.amounts)


def sentence_speakers(article: Article, annotation: Annotation) -> dict[str, frozenset[str]]:
    """The people each sentence reports (Sentence.id -> speaker names).

    Only quotes whose content covers at least half of the sentence count (a short quoted
    phrase, "what it called a special operation", does not make the sentence that
    person's statement), and only speakers that read as people: a PERSON mention of that
    name in the article, or a name of two or more capitalised words that no mention labels
    as a place, organisation or group. "Russia said" and "the ministry said" name no one
    whose identity two outlets could disagree on.
    """
    labels: dict[str, set[str]] = {}
    for m in annotation.mentions:
        labels.setdefault(m.text, set()).add(m.label)
    out: dict[str, set[str]] = {}
    for s in annotation.sentences:
        covered: dict[str, int] = {}
        for q in annotation.quotes:
            name = q.speaker_entity or q.speaker
            overlap = min(s.end, q.content_end) - max(s.start, q.content_start)
            if name and overlap > 0:
                covered[name] = covered.get(name, 0) + overlap
        for name, chars in covered.items():
            if chars * 2 >= s.end - s.start and _is_person(name, labels):
                out.setdefault(s.id, set()).add(name)
    return {k: frozenset(v) for k, v in out.items()}


def sentence_people(annotation: Annotation) -> dict[str, frozenset[str]]:
    """The people each sentence names (Sentence.id -> PERSON mentions' surface forms)."""
    out: dict[str, set[str]] = {}
    for m in annotation.mentions:
        if m.label == "PERSON":
            out.setdefault(m.sentence, set()).add(m.text)
    return {k: frozenset(v) for k, v in out.items()}


def sentence_places(annotation: Annotation) -> dict[str, frozenset[str]]:
    """The places each sentence names (Sentence.id -> GPE, LOC and FAC mentions' surface forms)."""
    out: dict[str, set[str]] = {}
    for m in annotation.mentions:
        if m.label in ("GPE", "LOC", "FAC"):
            out.setdefault(m.sentence, set()).add(m.text)
    return {k: frozenset(v) for k, v in out.items()}


# Words that many place names share: alone, they say nothing of which place is meant.
_PLACE_WORDS = frozenset(
    words(
        "port city county state states north south east west northern southern eastern western "
        "central upper lower great greater saint lake river mount island islands republic united "
        "kingdom province region district valley bay gulf coast street high town square"
    )
)


def place_keys(names: frozenset[str]) -> frozenset[str]:
    """Spelling-blind keys of place names, so that two outlets' names for one place share
    a key: each name run together, and each word of four letters or more, as its first
    letter and its other consonants, accents stripped ("Kyiv" = "Kiev" = "kv"; "Port
    Alver" = "Portalver" = "prtlvr"); a name's alias set from the packaged exonym table;
    and for a capital or seat of government, its country's keys too ("Moscow" = "Russia":
    "sanctions on Moscow" and "sanctions on Russia" name one actor)."""
    tables = name_tables()
    out: set[str] = set()
    for name in names:
        key = joined(name_tokens(name))
        seat = tables.seats.get(key)
        for form in (name, seat[0]) if seat else (name,):
            alias = tables.alias.get(joined(name_tokens(form)))
            if alias is not None:
                out.add(f"={alias}")
            plain = unicodedata.normalize("NFKD", form).encode("ascii", "ignore").decode().lower()
            found = re.findall(r"[a-z]+", re.sub(r"^the\s+", "", plain))
            for word in ["".join(found), *(w for w in found if len(w) >= 4 and w not in _PLACE_WORDS)]:
                if word:
                    out.add(word[0] + re.sub(r"[aeiouy]", "", word[1:]))
    return frozenset(out)


def _is_person(name: str, labels: dict[str, set[str]]) -> bool:
    found = labels.get(name)
    if found:
        return "PERSON" in found
    words = name.split()
    return len(words) >= 2 and all(w[:1].isupper() for w in words)


def same_people(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two sets of names share a person (by any name word: "Vashkin" = "Teodor Vaškin")."""
    return bool(name_words(a) & name_words(b))


def name_words(names: frozenset[str]) -> frozenset[str]:
    """The words of names, accents stripped, lower case, three letters or more."""
    out: set[str] = set()
    for name in names:
        plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
        out.update(w for w in re.findall(r"[a-z]+", plain) if len(w) > 2)
    return frozenset(out)


def attribution_note(per_article: dict[str, frozenset[str]], order: Sequence[str]) -> str | None:
    """What people the articles attribute a claim to, when two articles name people and
    none in common ("attributed differently: Sergei Lavrov (a.txt) vs Dmitry Peskov
    (b.txt)"); None otherwise."""
    named = [a for a in order if per_article.get(a)]
    clash = any(
        not same_people(per_article[a], per_article[b]) for i, a in enumerate(named) for b in named[i + 1 :]
    )
    if not clash:
        return None
    same: dict[frozenset[str], list[str]] = {}
    for a in named:  # articles that name the same people, named once
        same.setdefault(per_article[a], []).append(a)
    return "attributed differently: " + " vs ".join(
        f"{', '.join(sorted(people))} ({'; '.join(arts)})" for people, arts in same.items()
    )
