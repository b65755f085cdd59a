"""The framing lexicons, loaded once from ``rashomon/data/lexicon`` (each file states its
source and method in its header): hedges, loaded words, attribution verbs, label classes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rashomon.entities import lexicon_rows, word_set

# Verbs that double their final consonant before -ed/-ing (the table lists the rest).
_DOUBLE = word_set("admit regret commit plan prefer refer snap beg brag slam plead")


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry: a compiled pattern over its forms, its class and a note."""

    pattern: re.Pattern[str]
    forms: tuple[str, ...]
    kind: str
    note: str


@dataclass(frozen=True, slots=True)
class Verb:
    """An attribution verb: its lemma, neutrality class and what the class implies."""

    lemma: str
    kind: str
    note: str


def _pattern(forms: tuple[str, ...]) -> re.Pattern[str]:
    """Whole-word, case-insensitive; a space matches any whitespace; longest form first."""
    alternatives = sorted(
        (re.escape(f).replace(r"\ ", r"\s+") for f in forms), key=len, reverse=True
    )
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


def _terms(filename: str) -> tuple[Term, ...]:
    out = []
    for row in lexicon_rows(filename):
        forms = tuple(f.strip() for f in row[0].split("|") if f.strip())
        kind = row[1].strip() if len(row) > 1 else ""
        note = row[2].strip() if len(row) > 2 else ""
        out.append(Term(_pattern(forms), forms, kind, note))
    return tuple(out)


@lru_cache(maxsize=1)
def hedges() -> tuple[Term, ...]:
    """Hedge phrases (``hedges.tsv``): class doubt, evidential or unverified."""
    return _terms("hedges.tsv")


@lru_cache(maxsize=1)
def loaded_words() -> tuple[Term, ...]:
    """Loaded words (``loaded.tsv``); the note is the neutral alternative."""
    return _terms("loaded.tsv")


def inflections(lemma: str) -> set[str]:
    """Regular English verb forms: say -> says, sayed, saying (irregulars come from the table)."""
    forms = {lemma}
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    elif lemma.endswith("e"):
        forms |= {lemma + "s", lemma + "d", lemma[:-1] + "ing"}
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        forms |= {lemma + "es", lemma + "ed", lemma + "ing"}
    else:
        forms |= {lemma + "s", lemma + "ed", lemma + "ing"}
        if lemma in _DOUBLE:
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


@lru_cache(maxsize=1)
def attribution_verbs() -> dict[str, Verb]:
    """Every inflected form of the table's verbs (``attribution_verbs.tsv``) -> its Verb."""
    out: dict[str, Verb] = {}
    for row in lexicon_rows("attribution_verbs.tsv"):
        lemma, kind = row[0].strip(), row[1].strip()
        extra = row[2].strip() if len(row) > 2 else "-"
        note = row[3].strip() if len(row) > 3 else ""
        verb = Verb(lemma, kind, "" if note == "-" else note)
        forms = inflections(lemma) | ({f for f in extra.split("|") if f} if extra != "-" else set())
        for form in forms:
            out.setdefault(form, verb)
    return out


@lru_cache(maxsize=1)
def label_reporting() -> dict[str, str]:
    """Label class -> when its differing heads are a finding: "always", "loaded" or "never"."""
    return {
        row[0].strip(): (row[2].strip() if len(row) > 2 else "always")
        for row in lexicon_rows("labels.tsv")
    }


@lru_cache(maxsize=1)
def label_classes() -> dict[str, str]:
    """Head (singular, lower case, possibly several words) -> label class (``labels.tsv``)."""
    out: dict[str, str] = {}
    for row in lexicon_rows("labels.tsv"):
        for head in row[1].split("|"):
            if head.strip():
                out.setdefault(head.strip().lower(), row[0].strip())
    return out


def singular(word: str) -> str:
    """A plural noun's singular, by rule: enough to compare heads ("forces" -> "force",
    "casualties" -> "casualty", "police" stays)."""
    w = word.lower()
    irregular = {
        "people": "person",
        "men": "man",
        "women": "woman",
        "children": "child",
        "gunmen": "gunman",
        "policemen": "policeman",
        "bodies": "body",
        "police": "police",
        "media": "media",
        "news": "news",
        "series": "series",
        "species": "species",
        "dead": "dead",
    }
    if w in irregular:
        return irregular[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w
