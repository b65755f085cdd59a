"""Speakers: pronouns resolved, names normalised within one article.

No coreference model is run (the small spaCy pipelines have none, and one would
cost more than the whole parse). Two rules cover what news writing does with its
speakers, after Hobbs-style recency (Hobbs 1978) restricted to speakers, as in
BBC's citron (Newell et al. 2018), which resolves a pronoun source to the nearest
preceding compatible named source:

1. A personal pronoun source ("he said") is the nearest compatible antecedent
   before it (he/she -> a person, whose gender is remembered once a pronoun picked
   it; they/it/we -> an organisation or group): the last named speaker, or a named
   person who is the main-clause subject of a later sentence of the reporter's
   ("Anna Berg, a nurse, stayed behind. “...,” she said."), whichever comes last;
   else the last PERSON (or ORG) mention before it in the article.
2. Names are merged within the article by surname: "Peskov" = "Dmitry Peskov" =
   "Kremlin spokesman Dmitry Peskov" (the title never reaches the name, which is
   the PERSON entity inside the source phrase); the longest form is canonical.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.model import Mention
from rashomon.nlp.cues import words

# Honorifics and titles dropped before names are compared.
_TITLES = frozenset(
    words(
        "mr mr. mrs mrs. ms ms. miss dr dr. sen sen. rep rep. gov gov. gen gen. lt col "
        "president prime minister senator governor representative secretary spokesman "
        "spokeswoman spokesperson sir lord dame judge justice mayor chairman chairwoman "
        "chief ambassador general pope king queen prince princess rev rev. the"
    )
)
_POSSESSIVE = re.compile(r"(’s|'s|’|')$")
_MALE = frozenset(("he", "him", "his"))
_FEMALE = frozenset(("she", "her", "hers"))
_PERSONAL = frozenset(("he", "she", "i"))
_GROUP = frozenset(("they", "it", "we"))
_RELATIVE = frozenset(("who", "which", "that"))


@dataclass(slots=True)
class Resolved:
    """A speaker as resolved for one attribution.

    name: the resolved name ("Dmitry Peskov"), or None.
    entity: the within-article canonical name, or None.
    penalty: how much resolution lowers the confidence (0 when the text names it).
    """

    name: str | None
    entity: str | None
    penalty: float


def name_key(name: str) -> str:
    """The comparison key of a person's name: its last word, titles and possessive off."""
    words = [w for w in name.replace("\u00a0", " ").split() if w.lower().strip(",") not in _TITLES]
    if not words:
        return name.lower()
    return _POSSESSIVE.sub("", words[-1]).lower().strip(".,")


def _given_names(name: str) -> list[str]:
    """The words of a name before its surname, titles left out."""
    return [w for w in clean_name(name).split()[:-1] if w.lower().strip(",") not in _TITLES]


def same_person(a: str, b: str) -> bool:
    """Whether two names of one surname can be one person: one has no given name, or
    their first given names agree (an initial agrees with its name)."""
    ga, gb = _given_names(a), _given_names(b)
    if not ga or not gb:
        return True
    x, y = ga[0].lower().strip("."), gb[0].lower().strip(".")
    return x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))


def clean_name(name: str) -> str:
    """A name without leading titles and trailing possessive ("Mr. Trump's" -> "Trump")."""
    words = name.split()
    while len(words) > 1 and words[0].lower().strip(",") in _TITLES:
        words = words[1:]
    return _POSSESSIVE.sub("", " ".join(words)).strip(" ,")


class SpeakerBook:
    """The speakers and named people of one article, in reading order.

    Feed it the article's PERSON/ORG mentions (``add_mentions``), then resolve each
    attribution in text order (``resolve``): resolution only looks backwards.
    """

    def __init__(
        self, mentions: Sequence[Mention] = (), subjects: Sequence[tuple[int, str]] = ()
    ) -> None:
        """mentions: the article's entity mentions; subjects: (start, name) of the
        named persons who are main-clause subjects outside quotations and outside
        any attribution's content, in text order (pronoun antecedents)."""
        # surname key -> the full names seen, one per person (the longest form of each)
        self._persons: dict[str, list[str]] = {}
        self._mentions: list[tuple[int, str, str]] = []  # (start, name, kind)
        self._speakers: list[tuple[int, str, str]] = []  # (position, name, kind)
        self._gender: dict[str, str] = {}
        for m in mentions:
            if m.label == "PERSON":
                self._learn_person(m.text)
                self._mentions.append((m.start, clean_name(m.text), "person"))
            elif m.label in ("ORG", "NORP", "GPE"):
                self._mentions.append((m.start, clean_name(m.text), "org"))
        self._subjects = sorted((start, clean_name(name)) for start, name in subjects)
        for _start, name in self._subjects:
            self._learn_person(name)

    def _learn_person(self, name: str) -> None:
        name = clean_name(name)
        if not name or not name[0].isupper():
            return
        forms = self._persons.setdefault(name_key(name), [])
        for i, known in enumerate(forms):
            if same_person(name, known):
                if len(name.split()) > len(known.split()):
                    forms[i] = name
                return
        forms.append(name)

    def plausible_person(self, name: str) -> bool:
        """A name with a given name, or a short form of one seen in full."""
        return len(name.split()) > 1 or any(
            len(form.split()) > 1 for form in self._persons.get(name_key(name), ())
        )

    def canonical(self, name: str, kind: str | None) -> str:
        """The article's canonical form of a name (the longest form of that person).

        A surname alone goes to the first person of that surname the article named;
        a name with another given name is another person ("Bill Clinton" is not
        "Hillary Clinton")."""
        name = clean_name(name)
        if kind == "person":
            for form in self._persons.get(name_key(name), ()):
                if same_person(name, form):
                    return form
        return name

    def learn(self, name: str | None, kind: str | None) -> None:
        """Record a named speaker so that later short forms map to its full name."""
        if name and kind == "person":
            self._learn_person(name)

    def resolve(
        self, position: int, name: str | None, kind: str | None, subjects_from: int = 0
    ) -> Resolved:
        """Resolve one attribution's source, found at character ``position``.

        subjects_from: where the named subjects that may be a pronoun's antecedent
        begin (the sentence before the attribution's): a subject further back is
        too far to trust without a gender.
        """
        if name is None:
            return Resolved(None, None, 0.3)
        if kind == "pronoun":
            return self._resolve_pronoun(position, name, subjects_from)
        if kind in ("org", "other") and len(name.split()) == 1 and self.plausible_person(name):
            kind = "person"  # "Cavusoglu" alone, NER-less, after "Mevlut Cavusoglu"
        if kind in ("person", "org"):
            entity = self.canonical(name, kind)
            # A one-word "person" the article never names in full may be a place that
            # the small model tags PERSON ("Kiev"): not a target for "he" or "she".
            stored = kind if kind == "org" or self.plausible_person(entity) else "other"
            self._speakers.append((position, entity, stored))
            return Resolved(entity, entity, 0.0)
        # A common noun phrase ("the campaign", "officials"): a source, not a name.
        self._speakers.append((position, name, "other"))
        return Resolved(name, None, 0.05)

    def _resolve_pronoun(self, position: int, pronoun: str, subjects_from: int = 0) -> Resolved:
        if pronoun in _RELATIVE:
            return Resolved(None, None, 0.3)
        wanted = "person" if pronoun in _PERSONAL else "group"
        gender = "m" if pronoun in _MALE else "f" if pronoun in _FEMALE else None
        subject = (
            self._subject_before(position, gender, subjects_from) if wanted == "person" else None
        )
        for pos, name, kind in reversed(self._speakers):
            if subject is not None and subject[0] > pos:
                break  # a person named as a subject since this speaker is nearer
            if (kind == "person") != (wanted == "person"):
                continue
            if gender and self._gender.get(name, gender) != gender:
                continue
            if gender:
                self._gender[name] = gender
            self._speakers.append((position, name, kind))
            return Resolved(name, name, 0.1)
        if subject is not None:
            name = subject[1]
            if gender:
                self._gender[name] = gender
            self._speakers.append((position, name, "person"))
            return Resolved(name, name, 0.15)
        # No speaker yet: the last person (or organisation) named before the pronoun.
        for start, name, kind in reversed(self._mentions):
            if start >= position:
                continue
            if (kind == "person") == (wanted == "person"):
                entity = self.canonical(name, kind)
                if kind == "person" and not self.plausible_person(entity):
                    continue
                if gender:
                    self._gender[entity] = gender
                self._speakers.append((position, entity, kind))
                return Resolved(entity, entity, 0.25)
        return Resolved(None, None, 0.4)

    def _subject_before(
        self, position: int, gender: str | None, since: int = 0
    ) -> tuple[int, str] | None:
        """The last named person subject in [since, position) that fits the gender."""
        k = bisect.bisect_left(self._subjects, (position, ""))
        for start, name in reversed(self._subjects[:k]):
            if start < since:
                break
            entity = self.canonical(name, "person")
            if not self.plausible_person(entity):
                continue
            if gender and self._gender.get(entity, gender) != gender:
                continue
            return start, entity
        return None

    def last_speaker(self) -> tuple[str, str] | None:
        """The most recent speaker (name, kind), for continuation paragraphs."""
        if not self._speakers:
            return None
        _pos, name, kind = self._speakers[-1]
        return name, kind
