"""Polarity: one article asserts what another denies.

    "We warned them again that morning, by loudspeaker," he said.     (RTV Valdora)
    "There was no warning, no loudspeaker, nothing," he said.          (The Velmark Times)

Two sentences of different articles that tell of one thing clash when a content word both
use (compared by a crude stem: "warned" = "warning") is negated in one and not in the
other. A word is negated when it is the first content word after "no", "nobody", "nothing",
"not", "n't", "never", "without" or "nor", before any punctuation or "but": "no warning",
"did not warn them", "never been charged". Function words and idioms that negate nothing
("not only", "no longer", "no less than", "no doubt") do not count.

This is a reading of the words, not of meaning: it finds a flat denial of the same word,
which news reports of contested events are full of, and nothing subtler ("paused" against
"going ahead as planned" needs to know what the words mean). The alignment stage decides
which sentences tell of one thing; this module only says whether they clash, and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"n['’]t\b|\w+(?=n['’]t\b)|[\w'’-]+|[^\w\s]", re.IGNORECASE)
_NEGATORS = frozenset(("no", "not", "n't", "n’t", "never", "without", "nor", "cannot", "nobody", "nothing", "none"))
_STOP = frozenset(",.;:!?()[]—–\"“”«»'‘’")
# Words that carry no fact of their own: never the word a clash is about.
_FUNCTION = frozenset(
    ["a", "an", "the", "of", "to", "in", "on", "at", "for", "by", "with", "from", "into", "over", "under",
     "about", "after", "before", "during", "and", "or", "so", "yet", "as", "than", "then", "that", "this",
     "these", "those", "there", "here", "it", "its", "they", "them", "their", "he", "him", "his", "she",
     "her", "we", "us", "our", "you", "your", "i", "me", "my", "is", "are", "was", "were", "be", "been",
     "being", "has", "have", "had", "do", "does", "did", "will", "would", "shall", "should", "can", "could",
     "may", "might", "must", "also", "which", "who", "whom", "whose", "what", "when", "where", "while",
     "any", "anyone", "anything", "all", "one", "ones", "such", "either", "even", "immediately", "ever",
     "yet", "again", "just", "really", "necessarily", "always", "still", "very", "too", "much", "many",
     "said", "says", "say", "told", "tell", "get", "got", "make", "made", "give", "given", "gave",
     "take", "taken", "took", "go", "gone", "went", "come", "came", "how", "why", "whether", "nothing",
     "nobody", "none", "nowhere", "someone", "something"]
)  # fmt: skip
# Words that take a negation but state no fact of the event ("not immediately clear how
# many died", "did not respond to a request for comment"): the negation ends there.
_ABSORB = frozenset(
    ["clear", "known", "know", "comment", "respond", "responded", "request", "requests", "sure", "able",
     "possible", "likely", "available"]
)  # fmt: skip
# "not only", "no longer", "no less than", "no doubt", "no matter", "not least", "never mind",
# "not to mention": the negator does not deny the next word.
_IDIOMS = frozenset(("only", "longer", "less", "more", "doubt", "matter", "least", "mind", "mention", "sooner", "fewer"))
_BREAK = frozenset(("but", "although", "though", "however", "because", "while", "whereas", "instead"))
_REACH = 1
_MIN_STEM = 4


def stem(word: str) -> str:
    """A crude stem for comparing two forms of one word: "warned", "warning", "warns" ->
    "warn"; "injuries", "injury" -> "injuri". Never shorter than four letters."""
    w = word.casefold().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, repl in (("ings", ""), ("ing", ""), ("ies", "i"), ("ied", "i"), ("edly", ""), ("ed", ""), ("es", ""), ("s", ""), ("y", "i")):
        if w.endswith(suffix) and len(w) - len(suffix) + len(repl) >= _MIN_STEM:
            w = w[: len(w) - len(suffix)] + repl
            break
    if len(w) > _MIN_STEM and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]  # "stopped" -> "stopp" -> "stop"
    return w


@dataclass(frozen=True, slots=True)
class Polarity:
    """The content words of one text by stem: where each is negated, where asserted.

    negated: stem -> (start, end) from the negator to the word ("no warning").
    asserted: stem -> (start, end) of its first use outside any negation ("warned").
    Offsets are relative to the text given to ``polarity``.
    """

    negated: dict[str, tuple[int, int]]
    asserted: dict[str, tuple[int, int]]


def polarity(text: str) -> Polarity:
    """Which content words of ``text`` are negated and which are asserted."""
    negated: dict[str, tuple[int, int]] = {}
    asserted: dict[str, tuple[int, int]] = {}
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    k = 0
    while k < len(tokens):
        word, start, end = tokens[k]
        low = word.casefold().replace("’", "'")
        if low in _NEGATORS or low == "n't":
            k = _negation(tokens, k, negated)
            continue
        if low not in _FUNCTION and low not in _ABSORB and low not in _STOP and word[:1].isalpha() and len(word) > 2:
            asserted.setdefault(stem(word), (start, end))
        k += 1
    return Polarity(negated, {s: span for s, span in asserted.items() if s not in negated})


def _negation(tokens: list[tuple[str, int, int]], k: int, negated: dict[str, tuple[int, int]]) -> int:
    """Record the content words that the negator at ``k`` denies; the index after them."""
    start = tokens[k][1]
    taken = 0
    j = k + 1
    while j < len(tokens) and taken < _REACH:
        word, _s, end = tokens[j]
        low = word.casefold()
        if low in _STOP or low in _BREAK or low in _NEGATORS:
            break
        if (j == k + 1 and low in _IDIOMS) or low in _ABSORB:
            return j + 1
        if low not in _FUNCTION and word[:1].isalpha() and len(word) > 2:
            negated.setdefault(stem(word), (start, end))
            taken += 1
        j += 1
    return j


def clash(a: Polarity, b: Polarity) -> list[tuple[str, tuple[int, int], tuple[int, int]]]:
    """The stems one text negates and the other asserts: (stem, span in a, span in b),
    in the order of their place in ``a``."""
    found = [(s, a.negated[s], b.asserted[s]) for s in a.negated if s in b.asserted]
    found += [(s, a.asserted[s], b.negated[s]) for s in b.negated if s in a.asserted]
    return sorted(found, key=lambda t: (t[1], t[0]))
