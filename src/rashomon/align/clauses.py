"""Clauses of a sentence: the units that claim alignment compares.

A news sentence often joins two facts ("X accused the West of ..., warning that the talks
could collapse"); compared whole, a fact that only one outlet reports inherits the score of
the fact both report. DEPENDENCIES.md measured this on the seed articles: comparing clauses
instead of whole sentences moved 5 of 6 true pairs to first rank. The split here is a surface
heuristic in the spirit of rule-based clause segmentation (Leffa 1998; Ejerhed 1988): break
at strong punctuation, at a comma before a subordinator or a coordinating "but", at the end
of a direct quotation before its attribution, and before the "that" of a reporting verb, so
that "Lavrov said on Tuesday that Moscow believed ..." yields the reported content alone.

Pure string work, one left-to-right regex pass per rule, no parse needed: the alignment
stage only receives Articles and Annotations.
"""

from __future__ import annotations

import itertools
import re

# A clause needs this many words to stand alone; shorter pieces stay with their neighbour
# ("he said", "in Bucha") since they carry no fact of their own.
MIN_WORDS = 4

# Boundaries: the split falls at the start of the match's group 1 (or the end of the match
# when the pattern has no group), so the boundary word stays with the clause it opens.
_BOUNDARIES = (
    # strong punctuation inside a sentence: ";" and a dash between spaces, or a colon
    # that is not part of a time ("10:30")
    re.compile(r"(?:;|\s[—–-]\s|(?<!\d):(?!\d))\s*"),
    # a comma before a subordinator, a participle that reports, or "but"
    re.compile(
        r",\s+((?:but|while|whereas|although|though|because|after|before|when|since|as|"
        r"saying|adding|warning|claiming|arguing|insisting|reiterating|"
        r"citing|accusing|calling|urging|according)\b)",
        re.IGNORECASE,
    ),
    # a relative clause that runs to the end of the sentence ("..., which has staked its
    # programme on the deal."); one fenced by commas inside it is an aside instead
    re.compile(r",\s+((?:which|who|where)\b)(?=[^,;:]*$)", re.IGNORECASE),
    # "but" joining two clauses without a comma; "and" before a new subject
    re.compile(r"\s(but)\s"),
    re.compile(r"\s(and)\s(?=(?:the|a|an|its|their|his|her|this|these|those|it|they|he|she|we)\s)"),
    # the complement clause after a parenthetical: "there is evidence, including ..., that"
    re.compile(r",\s+(that)\s"),
    # a second complement of one reporting verb: "said two officers died and that 62 were held"
    re.compile(r"\s(and|but)\s+that\s"),
    # the end of a quotation before its attribution: ',” he said' / ',"said X'
    re.compile(r"[,.!?][\"”»’']\s+()"),
    # the "that" of a reporting verb, up to six words after it: "said on Tuesday that ..."
    re.compile(
        r"\b(?:said|says|say|told\s+\w+|added|claimed|claims|insisted|insists|believed|"
        r"believes|warned|announced|stated|argued|accused\s+\w+|denied|reported)"
        r"(?:\s+[\w’'.,-]+){0,6}?\s+(that)\s",
        re.IGNORECASE,
    ),
)
_WORD = re.compile(r"\w+")
# Asides that a paraphrase drops: brackets, and comma-fenced phrases that open with
# "including", a relative pronoun or an article (appositives: "Fedoruk, the mayor of Bucha,").
_ASIDES = re.compile(
    r"\s*\([^()]{1,120}\)|,\s+(?:including|such as|which|who|whose|whom|where|the|a|an)\s[^,;:]{1,120},(?=\s)",
    re.IGNORECASE,
)


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) into ``text`` of its clauses, in order, covering all words.

    A sentence that does not split, or splits only into pieces shorter than MIN_WORDS,
    gives one span: the whole sentence (stripped).
    """
    cuts: set[int] = set()
    for pattern in _BOUNDARIES:
        for m in pattern.finditer(text):
            cut = m.start(1) if m.groups() and m.group(1) is not None else m.end()
            if 0 < cut < len(text):
                cuts.add(cut)
    bounds = [0, *sorted(cuts), len(text)]
    pieces = [(a, b) for a, b in itertools.pairwise(bounds) if text[a:b].strip()]
    # Merge pieces too short to state a fact into the previous piece (or the next one,
    # for a short first piece).
    merged: list[tuple[int, int]] = []
    for a, b in pieces:
        if merged and _too_short(text[a:b]):
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    if len(merged) > 1 and _too_short(text[merged[0][0] : merged[0][1]]):
        merged[0:2] = [(merged[0][0], merged[1][1])]
    return [_strip(text, a, b) for a, b in merged]


def _words(s: str) -> int:
    return len(_WORD.findall(s))


def _too_short(s: str) -> bool:
    """Too few words to state a fact, or only a name ("Prime Minister Adrian Mossel")."""
    words = _WORD.findall(s)
    return len(words) < MIN_WORDS or sum(w[0].islower() for w in words) < 2


def _strip(text: str, a: int, b: int) -> tuple[int, int]:
    """Trim whitespace and the punctuation a cut leaves at a clause's edges."""
    edge = " \t\n,;:—–-"
    while a < b and text[a] in edge:
        a += 1
    while b > a and text[b - 1] in edge:
        b -= 1
    return a, b


def without_asides(text: str) -> str | None:
    """``text`` with its asides removed, or None when it has none (or nothing would be left)."""
    reduced = _ASIDES.sub("", text)
    if reduced == text or _words(reduced) < MIN_WORDS:
        return None
    return reduced


_REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|added|claimed|claims|insisted|insists|believed|believes|"
    r"warned|announced|stated|argued|denied|reported|confirmed|according|asked)\b",
    re.IGNORECASE,
)
_REPORTING_END = re.compile(
    r"\b(?:said|says|told\s+\w+|added|stated|declared|wrote|tweeted)[\s:,]*$", re.IGNORECASE
)
FRAME_WORDS = 16
_FIRST_PERSON = re.compile(r"\b(?:I|we|We|us|our|Our|you|You|your|Your)\b")
_OPENING_QUOTES = "\"“«‘'"
_CLOSING_QUOTES = "\"”»’'"


def is_frame(text: str, spans: list[tuple[int, int]], k: int) -> bool:
    """Whether clause k only says who spoke: "Lavrov said on Tuesday" before a "that"
    clause, "Vashkin said:" before a quotation, or "Interior Minister Mirko Dallan told
    reporters in the capital" after one. A frame names the source, not the fact, and two
    frames naming one person match however different the facts they introduce. Words in
    the first or second person are a speaker's own ("We warned them again that morning"),
    never a frame."""
    piece = text[spans[k][0] : spans[k][1]]
    if _words(piece) > FRAME_WORDS or _FIRST_PERSON.search(piece) or piece[:1] in _OPENING_QUOTES:
        return False
    after = text[spans[k + 1][0] : spans[k + 1][1]] if k + 1 < len(spans) else ""
    if after[:5].lower() == "that ":
        return _REPORTING.search(piece) is not None
    if k > 0 and text[: spans[k][0]].rstrip()[-1:] in _CLOSING_QUOTES:
        # the attribution after a quotation: ',” Interior Minister Mirko Dallan told reporters'
        return _REPORTING.search(piece) is not None
    # "Union boss Teodor Vashkin said: ..." - the piece ends on its reporting verb; a fact
    # with a trailing attribution ("the fire killed 14 people, officials said") is no frame
    end = _REPORTING_END.search(piece)
    return bool(after) and end is not None and "," not in piece[: end.start()]


_APPOSITIVE = re.compile(r",\s+(?:a|an|the)\s[^,;:]{3,120},")


def frame_description(piece: str) -> str | None:
    """What a frame says of its speaker besides naming them, or None: the speaker with an
    appositive that describes it ("Castellan Terminals, a subsidiary of the Velmark-listed
    shipping group Holt & Varen"), which is a fact in its own right."""
    m = _APPOSITIVE.search(piece)
    if m is None or sum(w[0].islower() for w in _WORD.findall(m.group(0))) < 3:
        return None
    return piece[: m.end() - 1]
