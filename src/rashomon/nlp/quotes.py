"""Quotes and attributions: who said (or thinks, or shows) what, with which cue.

A rule-based extractor over spaCy's dependency parse, in the tradition of
textacy's ``direct_quotations`` (quote marks + a speech verb + its subject) and of
the PARC 3.0 / PolNeAR attribution scheme (Pareti 2016; Newell et al. 2018), whose
span conventions it follows because they are what it is measured against:

- content includes the complementiser ("that the talks ...") and the quote marks,
  with any punctuation inside them ("“There is a long road ahead,”"), but not the
  sentence's final punctuation when that stands outside the quote;
- a quote split around its cue ("“A,” he said, “B.”") is one attribution with two
  content pieces; "according to X" takes the rest of its sentence as content;
- a cue is the verb alone ("said"), plus a colon that follows it directly, the
  preposition that takes its content ("called for", "railed against"), or its
  auxiliaries when passive ("were sharply criticized", whose subject is content and
  whose by-phrase is the source); a stance noun and its preposition ("Kerr's
  criticism of X") and a poll opening a sentence ("In a CBS poll, ...") are cues too;
- the source is the subject's whole phrase, appositions, titles and relative
  clauses included ("Kremlin spokesman Dmitry Peskov", "Grimm, a Donald Trump
  supporter", "Murphy, who ran a super PAC,"), an age or a participle aside not;
- a cue inside a relative clause ("moves that he said improved the economy") has
  the relative pronoun and the clause after the cue as its content; a cue in an
  as-clause ("As POLITICO reported, X") reports its host clause; a content clause
  ends before a non-restrictive relative clause closing it ("..., which votes on
  March 1").

Attributions are univocal, as in PolNeAR: a cue inside a quote or inside another
attribution's content is not an attribution of its own.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rashomon.nlp.cues import (
    ATTRIBUTION_MODEL_FILE,
    COGNITION_FORMS,
    CUE_FORMS,
    SPEAKER_MODEL_FILE,
    SPEECH_FORMS,
    attribution_features,
    cue_model,
    packaged_model,
    sieved,
    verb_features,
    words,
)
from rashomon.nlp.marks import find_quotations

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_SUBJECTS = frozenset(("nsubj", "nsubjpass", "csubj"))
_PRONOUNS = frozenset(words("he she they it we i you who which"))
_RELATIVIZERS = frozenset(words("which that who whom"))
# Interview transcripts and roundups: "FALLIN: Well, I think ..."; "Clinton: “...”".
_SPEAKER_COLON = re.compile(
    r"(?:^\s*[\"“]?|\s[-–—]\s)((?:[A-Z][\w.’'-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\w.’'-]*|de|van|von|and)){0,5})\s*:\s+(?=\S)"
)
_NOT_SPEAKERS = frozenset(
    words(
        "update note editor correction related watch read more see also photo video source "
        "sources q a question answer background bottom line why what who how"
    )
)
_SPEECH_LEMMAS = frozenset(SPEECH_FORMS.values())
# Speech verbs whose infinitive complement is what was said ("urged them to leave").
_XCOMP_SPEECH = frozenset(
    words(
        "ask urge tell warn promise vow pledge threaten refuse decline continue claim agree offer"
    )
)
# Dependents of a cue verb that belong to the cue's clause, not to the content.
_CLAUSE_MODIFIERS = frozenset(("dobj", "prep", "npadvmod", "advmod", "dative", "prt"))
# Dependents of a cue verb that continue its object's content.
_OBJECT_TAIL = frozenset(("oprd", "ccomp", "xcomp", "attr", "prep", "dative", "acomp"))
# Prepositions after a cue's object that give the reporter's circumstances
# ("endorsed Clinton in coming weeks", "defended it during a call"), not content.
_CIRCUMSTANCE_PREPS = frozenset(words("during after before since"))
# Dependents set off by a comma at a content's end that PolNeAR leaves out.
_ASIDE_DEPS = frozenset(("relcl",))
# Verbs whose object is the person addressed ("told reporters"), not what was said.
_ADDRESSEE_VERBS = frozenset(words("tell inform remind assure thank urge advise"))
# Verbs whose cue takes a preposition and whose content is its object ("called for").
_PREP_CUES = {
    "call": "for", "talk": "about", "speak": "about", "refer": "to", "point": "to",
    "focus": "on", "apologize": "for", "vote": "for", "argue": "for", "push": "for",
    "complain": "about", "worry": "about", "warn": "about", "ask": "about", "care": "about",
    "comment": "on", "insist": "on", "agree": "with", "disagree": "with", "rail": "against",
}  # fmt: skip
# Prepositions whose object is what a cue says, for the cues the table above lacks
# ("warned against X", "spoke out on X", "apologized for X").
_CONTENT_PREPS = frozenset(words("for about against on over with"))
# Prepositions that take a cue's content only right after it ("responded to X",
# "spoke of X"): further on they are the reporter's ("said to reporters").
_ADJACENT_PREPS = frozenset(words("of to"))

# Stance nouns and the prepositions that take their content ("support for").
_NOUN_CUES = {
    "criticism": ("of",), "support": ("for",), "opposition": ("to",),
    "endorsement": ("of",), "praise": ("for", "of"), "condemnation": ("of",),
    "calls": ("for",), "call": ("for",), "criticisms": ("of",), "demand": ("for",),
    "demands": ("for",), "defense": ("of",), "rejection": ("of",),
    "attacks": ("on",), "attack": ("on",),
    "concerns": ("about",), "concern": ("about", "that"), "doubts": ("about",),
    "doubt": ("that",), "mention": ("of",),
    "claim": ("that",), "claims": ("that",), "assertion": ("that",), "insistence": ("that",),
    "suggestion": ("that",), "confidence": ("that",), "promise": ("to",),
}  # fmt: skip
# Stance adjectives after a copula and what takes their content: a preposition, a
# that-clause ("that") or an infinitive ("to"): "Kerr is skeptical of the plan", "Kerr
# is confident that ...". Those that PolNeAR's train split marks as a cue in at least
# half of their uses with a subject.
_STANCE_ADJECTIVES = {
    "eager": ("to",), "reluctant": ("to",), "inclined": ("to",),
    "critical": ("of",), "supportive": ("of",), "enamored": ("of",), "wary": ("of",),
    "proud": ("of",), "skeptical": ("of", "about"), "aware": ("of", "that"),
    "worried": ("about", "that"), "hopeful": ("that", "about"), "optimistic": ("that", "about"),
    "upbeat": ("about",), "angry": ("about",), "upset": ("that", "about"),
    "convinced": ("that",), "glad": ("that",), "adamant": ("that",), "concerned": ("that",),
    "confident": ("in", "about"), "divided": ("on",), "unified": ("on",),
}  # fmt: skip
_COPULAS = frozenset(words("is are was were be been being am remain remains remained"))
# What "in" a source says: "in a CBS poll, Kerr leads" (PolNeAR's cue is "in").
_POLL_NOUNS = frozenset(words("poll polls survey surveys"))
# Raising verbs: "Kasich appears to have the state": no source, the subject is content.
_RAISING = frozenset(("seem", "appear"))
_PASSIVE_RAISING = frozenset(("expect", "believe", "say", "report", "know", "think", "consider"))
_TRAILING = " \t\n,.;:—–-"
_LEADING = " \t\n,;:—–-"


@dataclass(slots=True)
class Attribution:
    """One attribution as found in one paragraph, before speakers are resolved.

    content: the content pieces, global character spans, in text order.
    cue, source: global spans, or None.
    name: the speaker's name as the source phrase gives it ("Dmitry Peskov"), or
        the pronoun ("he") for pronoun sources, or None.
    name_kind: "person", "org", "pronoun", "other" or None.
    paragraph: index of the paragraph holding the cue (or the content when no cue).
    confidence: how sure the rule that fired is of the speaker (before resolution).
    continuation: True for a quote paragraph with no cue, given to the last speaker.
    follows: for a continuation, the attribution it carries on.
    features: what the speaker model scored (``cues.attribution_features``), kept
        so that eval/train_speakers.py can learn from the rules' proposals.
    """

    kind: str
    content: list[tuple[int, int]]
    cue: tuple[int, int] | None
    source: tuple[int, int] | None
    paragraph: int
    name: str | None = None
    name_kind: str | None = None
    confidence: float = 0.9
    continuation: bool = False
    follows: Attribution | None = None
    quote_ranges: list[tuple[int, int]] = field(default_factory=list)
    features: list[str] = field(default_factory=list)


# --- Cues and their parts ---------------------------------------------------------


def _is_verb(tok: Token) -> bool:
    """Whether a token is a verb (by its Penn tag, else by its dependency)."""
    tag = tok.tag_
    # Without a tagger (a user's pipeline may lack one) trust the parse alone.
    return (
        tag.startswith("VB")
        if tag
        else tok.dep_ in ("ROOT", "ccomp", "conj", "advcl", "xcomp", "relcl")
    )


def _subject(verb: Token, inside: bytearray) -> Token | None:
    """The verb's subject, inherited through "and added" / ", saying" / "went on to say".

    Never from inside a quotation: "“..., I would have been sitting ...,” Mr.
    Daniloff said" is often parsed with "said" as a conjunct of the quoted verb.
    """
    tok = verb
    for _ in range(3):
        subjects = [c for c in tok.children if c.dep_ in _SUBJECTS]
        if len(subjects) > 1 and subjects[0].lower_ in _RELATIVIZERS:
            # "emails which she said were hers": "which" belongs to the content.
            subjects = subjects[1:]
        if subjects:
            # "“A, but they [award] B,” Robby Mook said" can give the cue two subjects,
            # one inside the quotation: the one outside is the speaker.
            outside = [c for c in subjects if not inside[c.idx]]
            if len(outside) > 1 and _dateline(outside[0]):
                # "Washington (AFP) – Hillary Clinton said": the parse makes the
                # dateline a subject too
                outside = outside[1:]
            if len(outside) > 1 and (
                _inverted_closing(tok) or _closing_subject(tok, outside[-1])
            ):
                # "The promise appeals to whites, said Alan Abramowitz" / "... and
                # reach others, she said": the parse makes the reported clause's
                # subject a second subject of the cue.
                return outside[-1]
            return outside[0] if outside else None
        head = tok.head
        reporting = _conj_of_content(tok)
        if reporting is not None:
            # "He said A and said that B": the parse hangs the second cue on A's
            # verb; its subject is the first cue's.
            head = tok.doc[reporting]
        elif tok.dep_ == "pcomp" and head.dep_ == "prep" and head.head.i != head.i:
            # "distanced himself by saying ...": the subject of the verb the
            # preposition hangs on.
            head = head.head
        elif tok.dep_ not in ("conj", "advcl", "xcomp") and not (
            # "Durbin, noting the size of the list, said, ...": parsed with "noting"
            # the root and "said" hung beside it; the participle's subject speaks.
            tok.dep_ == "parataxis" and head.tag_ == "VBG" and head.i < tok.i
        ):
            return None
        if head.i != tok.i and _is_verb(head) and not inside[head.idx]:
            tok = head
        else:
            return None
    return None


def _dateline(subj: Token) -> bool:
    """Whether a subject is a dateline: a verbless phrase opening the sentence that
    ends with a spaced dash or is followed by one ("MACAU (Reuters) -",
    "PHILADELPHIA, July 25 (UPI) —")."""
    doc = subj.doc
    end = subj.right_edge.i
    if doc[end].text not in _DASHES:
        end += 1
    return (
        end < len(doc)
        and doc[end].text in _DASHES
        and bool(doc[end].whitespace_)
        and subj.left_edge.i == subj.sent.start
        and not any(t.tag_.startswith("VB") for t in doc[subj.left_edge.i : end])
    )


def _conj_of_content(verb: Token) -> int | None:
    """The index of the cue whose clause a subjectless speech verb is conjoined to
    ("He said A and said that B", parsed with the second "said" a conjunct of A's
    verb), else None."""
    head = verb.head
    if (
        verb.dep_ != "conj"
        or verb.lower_ not in SPEECH_FORMS
        or head.dep_ != "ccomp"
        or head.head.lower_ not in CUE_FORMS
        or any(c.dep_ in _SUBJECTS for c in verb.children)
    ):
        return None
    return int(head.head.i)


def _person_after(verb: Token) -> Token | None:
    """ "..., said Robin Maynard, half joking": a name right after the verb is its
    subject even when the parse hangs it elsewhere."""
    doc = verb.doc
    k = verb.i + 1
    if k < len(doc) and doc[k].text in ("Mr.", "Mrs.", "Ms.", "Dr.", "Sen.", "Rep.", "Gov."):
        k += 1
    if k < len(doc) and doc[k].ent_type_ == "PERSON" and doc[k].ent_iob_ == "B":
        for ent in verb.sent.ents:
            if ent.start == k:
                return ent.root
    return None


def _name_compound(verb: Token, inside: bytearray) -> Token | None:
    """ "“...,” Bozell notes.": the small model reads "Bozell notes" as a noun
    compound yet tags "notes" a verb; the proper noun right before it is its subject."""
    if not verb.tag_.startswith("VB") or verb.i == 0:
        return None
    prev = verb.doc[verb.i - 1]
    if (
        prev.dep_ == "compound"
        and prev.head.i == verb.i
        and prev.tag_ == "NNP"
        and not inside[prev.idx]
    ):
        return prev
    return None


def _noun_host(verb: Token) -> Token | None:
    """ "a statement saying that ...": the noun a participle cue modifies is its source.
    So is the noun rooting a sentence with no verb but the cue: "One lawmaker called
    Trump “the orange prince”" is parsed as a noun with a reduced relative clause."""
    head = verb.head
    if verb.dep_ != "acl" or head.i > verb.i or not head.tag_.startswith("NN"):
        return None
    if verb.tag_ == "VBG" or (verb.tag_ in ("VBN", "VBD") and head.dep_ == "ROOT"):
        return head
    return None


def _person_before(verb: Token) -> Token | None:
    """A PERSON right before a subjectless speech verb: the parse lost the subject.

    "..., Col. Steven H. Warren, a military spokesman in Baghdad, said, ..." is
    often parsed with the name as an apposition of an earlier noun.
    """
    if verb.lower_ not in SPEECH_FORMS:
        return None
    sent_start = verb.sent.start
    found = None
    for k in range(verb.i - 1, max(sent_start, verb.i - 15) - 1, -1):
        tok = verb.doc[k]
        if tok.tag_ == "NNP" and _after_closing_quote(tok):
            # "“…,” Gene Sperling, a top Clinton adviser, said": the name in the
            # speaker's slot after the quote, not a name inside the apposition.
            return tok
        if found is None and tok.ent_type_ == "PERSON":
            found = tok  # walking backwards, the first PERSON token ends the name
        if tok.dep_ == "ROOT" or (tok.tag_.startswith("VB") and tok.dep_ not in ("amod", "acl")):
            break
    return found


# Words that make a share of people a subject ("half said so", "less than a third agreed").
_SHARES = frozenset(words("half third thirds quarter quarters fifth fifths majority most percent"))


def _quantity_before(verb: Token) -> Token | None:
    """A share of people right before a subjectless cue: the parse made it a modifier.

    "About 4 in 10 say ...", "after half said so", "Less than a third agreed ...":
    the small parser hangs the number on the verb as nummod / advmod / npadvmod.
    """
    for child in verb.lefts:
        if (
            child.dep_ in ("nummod", "npadvmod", "advmod")
            and (child.tag_ == "CD" or child.lower_ in _SHARES)
            and child.right_edge.i == verb.i - 1
            and child.left_edge.tag_ != "IN"  # "after half said so": "after" is no share
        ):
            return child
    return None


def _phrase_left(tok: Token) -> int:
    """Where a noun phrase starts, less a clause the parse hung before it ("“That's a
    concern,” Sarandon told MSNBC" can give the quoted clause as the name's dependent)."""
    left = tok.left_edge.i
    for child in tok.lefts:
        if child.dep_ in ("ccomp", "parataxis", "advcl", "csubj"):
            left = max(left, child.right_edge.i + 1)
    if left < tok.i and tok.tag_ == "NNP" and _after_closing_quote(tok, clause=True):
        # the quote's last words hung on the name: the name starts after the quote
        j = tok.i
        while j > left and tok.doc[j - 1].tag_ == "NNP":
            j -= 1
        left = j
    while left < tok.i and (tok.doc[left].is_punct or tok.doc[left].is_quote):
        left += 1
    return left


def _after_closing_quote(name: Token, clause: bool = False) -> bool:
    """Whether a proper noun's name opens right after a closing quote ("“…,” Ramos, 58,
    told AFP"): the speaker's slot, whatever the entity tagger made of the name.
    clause: only after a quoted clause, its last mark after a comma or a sentence
    end (not a scare-quoted word: "an “unfiltered” Clinton", "Reuters’ Luciana Lopez")."""
    doc = name.doc
    j = name.i
    while j > 0 and doc[j - 1].tag_ == "NNP":
        j -= 1
    if j > 0 and doc[j - 1].text == ",":
        j -= 1
    if not (j > 0 and doc[j - 1].text in ("”", '"', "''", "’")):
        return False
    return not clause or (j > 1 and doc[j - 2].text in (",", ".", "?", "!", "—"))


def _subtree_span(tok: Token) -> tuple[int, int]:
    """The character span of a token's subtree (projective parses: contiguous)."""
    left, right = tok.left_edge, tok.right_edge
    return left.idx, right.idx + len(right)


def _trim(
    text: str, start: int, end: int, quotes: list[tuple[int, int, bool]], offset: int
) -> tuple[int, int]:
    """Strip spaces and punctuation at a span's edges, except what belongs to a quote."""
    closers = {e + offset for _, e, _ in quotes}
    openers = {s + offset for s, _, _ in quotes}
    while end > start and text[end - offset - 1] in _TRAILING and end not in closers:
        end -= 1
    while start < end and text[start - offset] in _LEADING and start not in openers:
        start += 1
    return start, end


def _source_name(subj: Token) -> tuple[str | None, str | None]:
    """The name inside a source phrase, and what kind of name it is.

    "Kremlin spokesman Dmitry Peskov" -> ("Dmitry Peskov", "person"): the entity
    holding the phrase's head wins ("Kremlin" is a modifier, not the speaker), then
    a PERSON in an apposition ("the mayor of Bucha, Anatoliy Fedoruk"), else the
    head noun with its compounds ("the top Russian official" -> "top Russian
    official", kind "other"). A relative pronoun ("who") names what it modifies; a
    document made by someone ("lists compiled by the union") is named by its maker.
    """
    low = subj.lower_
    if low in ("who", "which", "that") and subj.head.dep_ == "relcl":
        subj = subj.head.head
        low = subj.lower_
    if low in _PRONOUNS:
        return low, "pronoun"
    ent = _entity_at(subj)
    if ent is None:
        ent = appositive_person(subj)
    if ent is not None:
        kind = "person" if ent.label_ == "PERSON" else "org"
        text = ent.text
        if text.lower().startswith("the "):
            text = text[4:]
        if text.endswith(("’s", "'s")):
            text = text[:-2]
        return text, kind
    if subj.tag_ in ("NN", "NNS"):
        # "lists compiled by the union", "a report released by the ministry": the
        # document is the vehicle, whoever made it is the source.
        for child in subj.children:
            if child.dep_ != "acl":
                continue
            for agent in child.children:
                objs = (
                    [c for c in agent.children if c.dep_ == "pobj"] if agent.dep_ == "agent" else []
                )
                if objs:
                    return _source_name(objs[0])
    parts = [t for t in subj.lefts if t.dep_ in ("compound", "amod")] + [subj]
    name = " ".join(t.text for t in parts)
    kind = "person" if subj.tag_ == "NNP" and subj.ent_type_ in ("", "PERSON") else "other"
    return name, kind


def appositive_person(subj: Token) -> Span | None:
    """The PERSON named in apposition to a noun phrase, if any.

    "the mayor, Anna Berg," names the mayor; so does "the head of the port
    authority, Anna Berg,", which the parse often hangs on the last noun of the
    of-phrase ("authority") rather than on its head ("head"): an apposition set off
    by a comma that closes the whole phrase, reached from the head through
    prepositions and their objects only, names the head.
    """
    doc = subj.doc
    end = subj.right_edge.i
    while end > subj.i and (doc[end].is_punct or doc[end].is_space):
        end -= 1
    stack = [(subj, 0)]
    while stack:
        tok, depth = stack.pop()
        for child in tok.children:
            if child.dep_ == "appos" and child.i > tok.i:
                nested = depth > 0
                if nested and (child.right_edge.i < end or doc[child.left_edge.i - 1].text != ","):
                    continue
                ent = _entity_at(child)
                if ent is not None and ent.label_ == "PERSON":
                    return ent
            elif child.dep_ in ("prep", "pobj") and child.i > tok.i and depth < 4:
                stack.append((child, depth + 1))
    return None


def _entity_at(tok: Token) -> Span | None:
    """The PERSON/ORG/GPE/NORP entity holding a token, if any."""
    if tok.ent_type_ not in ("PERSON", "ORG", "GPE", "NORP"):
        return None
    for ent in tok.sent.ents:
        if ent.start <= tok.i < ent.end:
            return ent
    return None


@dataclass(slots=True)
class _Candidate:
    verb: Token
    cue: tuple[int, int]
    source: tuple[int, int] | None
    content: list[tuple[int, int]]
    subj: Token | None
    rule: str
    claimed: list[int] = field(default_factory=list)  # indices of quotations used
    cue_score: float | None = None  # the cue detector's score of a verb cue


def _content_for_verb(
    verb: Token,
    text: str,
    offset: int,
    quotes: list[tuple[int, int, bool]],
    taken: set[int],
    subj: Token | None,
    inside: bytearray,
) -> tuple[list[tuple[int, int]], list[int], str]:
    """The content pieces of one cue verb, the quotations they use, and the rule
    (inside: which characters of the chunk stand inside a quotation)."""
    pieces: list[tuple[int, int]] = []
    used: list[int] = []
    lemma = CUE_FORMS.get(verb.lower_, "")
    comp = None
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            comp = child
            break
        if child.dep_ == "dobj" and comp is None and lemma not in _ADDRESSEE_VERBS:
            comp = child
        if child.dep_ == "oprd" and comp is None and child.i > verb.i:
            comp = child  # "called Trump “the orange prince”" parsed with two predicates
        if (
            child.dep_ == "nsubj"
            and comp is None
            and child.i > verb.i
            and subj is not None
            and subj.i < verb.i
            and lemma in _SPEECH_LEMMAS
        ):
            comp = child  # "26 percent said the same", parsed with two subjects
        if child.dep_ == "dobj" and child.lower_ in ("this", "that") and lemma in _SPEECH_LEMMAS:
            comp = child  # "told me that ...", parsed with "that" as the object
    relative = _relative_content(verb, subj, comp)
    if relative is not None:
        pieces = [(a + offset, b + offset) for a, b in relative]
        used = [
            qi
            for qi, (qs, qe, _closed) in enumerate(quotes)
            if qi not in taken and any(qs < b and qe > a for a, b in relative)
        ]
        return pieces, used, "clause"
    if subj is not None and comp is not None and comp.left_edge.i <= subj.i <= comp.right_edge.i:
        comp = None  # the "clause" holds the speaker: a misparse of "said NAME, ..."
    if (
        comp is not None
        and comp.dep_ == "dobj"
        and comp.tag_ in ("PRP", "DT")
        and _opens_colon_quote(verb, text, quotes)
    ):
        comp = None  # "put it this way: “...”": the quotation is what was said
    if (
        comp is not None
        and comp.dep_ == "xcomp"
        and lemma in _SPEECH_LEMMAS
        and lemma not in _XCOMP_SPEECH
        and not (comp.tag_ == "VBG" and comp.left_edge.i == verb.i + 1)
    ):
        # "said to be": no reported content ("say taxing X helps" has), unless a
        # clause follows that the parse split off ("argued his fight to increase
        # funding is relevant", "says, win or lose, he's staying"): then the content
        # runs from the object or infinitive to the end of that clause.
        comp, lead = _clause_after_split(verb, comp)
    else:
        lead = None
    rule = "none"
    if comp is not None:
        start, end = _subtree_span(comp)
        if lead is not None:
            start = min(start, lead)
        if comp.dep_ == "ccomp":
            # "told HuffPost that she was disheartened there haven't been more": the
            # parse can split one clause into two complements that touch; they are one.
            for child in verb.children:
                if child.dep_ == "ccomp" and child.i > comp.i and child.left_edge.i == comp.right_edge.i + 1:
                    end = max(end, _subtree_span(child)[1])
        if comp.dep_ in ("dobj", "oprd"):
            # "called the allegations a “monstrous forgery”", "saw golf courses as
            # wasted space": the object and what the verb says of it are the content,
            # up to a coordinated verb or a clause of the reporter's own.
            for child in verb.children:
                if (
                    child.i > comp.i
                    and child.dep_ in _OBJECT_TAIL
                    and (child.dep_ != "prep" or child.lower_ not in _CIRCUMSTANCE_PREPS)
                ):
                    end = max(end, _subtree_span(child)[1])
        elif comp.dep_ == "xcomp":
            # "urged the administration to join": the object is the subject of the
            # content (object control).
            for child in verb.children:
                if child.dep_ == "dobj" and verb.i < child.i < comp.i:
                    start = min(start, _subtree_span(child)[0])
        if comp.dep_ in ("ccomp", "xcomp"):
            end = _reason_after(verb, comp, end)
        end = _before_trailing_aside(verb.doc, start, end, quotes)
        if comp.dep_ in ("dobj", "oprd"):
            # "called Florida's standards “strong.”": a quotation right after the
            # object is what the object is called, whatever the parse hung it on.
            for qs, qe, _closed in quotes:
                if qs >= end and not text[end:qs].strip() and qs < verb.sent.end_char:
                    end = qe
                    break
        start, end = start + offset, end + offset
        start, end = _with_quotations(start, end, quotes, offset, taken, used)
        pieces.append((start, end))
        rule = "clause"
    # Quotations beside the cue clause: “A,” he said / he said: “A” / “A,” he said, “B.”
    # The cue clause: the verb, its subject and its short modifiers ("told reporters
    # on a conference call"); a quotation must touch it to be its content.
    subj_left = _phrase_left(subj) if subj is not None else verb.i
    subj_right = subj.right_edge.i if subj is not None and subj.i > verb.i else verb.i
    # (A subject the parse put inside a quotation is no part of the cue's clause.)
    subjects = [
        t for t in verb.children
        if t.dep_ in _SUBJECTS and not inside[t.idx]
    ]
    clause_left = min([verb.i, subj_left] + [_phrase_left(t) for t in subjects])
    clause_right = max(
        [verb.i, subj_right]
        + [t.right_edge.i for t in subjects]
        + [
            t.right_edge.i
            for t in verb.children
            if t.dep_ in _CLAUSE_MODIFIERS
            and t.right_edge.i - verb.i < 12
            # (a quoted word is the quote, not a modifier: 'asked, "Really?"'; a
            # quoted addressee stays one: 'told "Fox and Friends"')
            and (t.dep_ in ("dobj", "dative") or not inside[t.idx])
        ]
    )
    doc = verb.doc
    cl_start = doc[clause_left].idx
    cl_end = doc[clause_right].idx + len(doc[clause_right])
    for qi, (qs, qe, _closed) in enumerate(quotes):
        if qi in taken or qi in used:
            continue
        if qe <= cl_start and (comp is None or comp.i < verb.i or rule != "clause"):
            gap = text[qe:cl_start]
            if gap.strip(" ,—–-") == "" and _same_sentence_or_adjacent(doc, qe, verb):
                pieces.insert(0, (qs + offset, qe + offset))
                used.append(qi)
                rule = "quote"
        elif qs >= cl_end:
            gap = text[cl_end:qs]
            if gap.strip() in ("", ",", ":", ", ", "—") and (comp is None or comp.i < verb.i):
                pieces.append((qs + offset, qe + offset))
                used.append(qi)
                rule = "quote"
                break
    if not pieces:
        # "called for X", "railed against X", "spoke out about X": the preposition
        # right after the cue (or its particle) joins the cue, its object is the
        # content; a content preposition further on ("apologized to voters for X")
        # is content with its object.
        want = _PREP_CUES.get(lemma)
        after = verb.i + 1
        if after < len(doc) and doc[after].dep_ == "prt" and doc[after].head.i == verb.i:
            after += 1
        for child in verb.children:
            if child.dep_ != "prep" or child.i <= verb.i:
                continue
            adjacent = child.i == after
            if child.lower_ != want and (
                want is not None
                or (
                    child.lower_ not in _CONTENT_PREPS
                    and not (adjacent and child.lower_ in _ADJACENT_PREPS)
                )
                or verb.dep_ == "acl"
            ):
                continue  # "clips shared on social media": a participle's place
            objs = [c for c in child.children if c.dep_ in ("pobj", "pcomp")]
            if not objs:
                continue
            a, b = _subtree_span(objs[0]) if adjacent else _subtree_span(child)
            pieces.append((a + offset, b + offset))
            rule = "prep" if adjacent else "prep-phrase"
            break
    if not pieces:
        extra = _short_content(verb, lemma)
        if extra is not None:
            (a, b), rule = extra
            pieces.append((a + offset, b + offset))
    if not pieces and lemma in _SPEECH_LEMMAS:
        clause = _stray_clause(verb) or _clause_before(verb, subj)
        if clause is not None:
            a, b = _with_quotations(clause[0] + offset, clause[1] + offset, quotes, offset, taken, used)
            pieces.append((a, b))
            rule = "clause"
    if not pieces and (verb.dep_ == "parataxis" or _as_clause(verb)) and verb.head.i != verb.i:
        # "Still, he said, officials have to decide": the host clause is the content,
        # less the cue's own clause.
        head = verb.head
        h_start, h_end = _subtree_span(head)
        v_start, v_end = _subtree_span(verb)
        pieces = [(h_start + offset, v_start + offset), (v_end + offset, h_end + offset)]
        pieces = [(a, b) for a, b in pieces if text[a - offset : b - offset].strip(_TRAILING)]
        rule = "clause" if pieces else "none"
        for qi, (qs, qe, _closed) in enumerate(quotes):
            if qi not in taken and any(qs + offset < b and qe + offset > a for a, b in pieces):
                used.append(qi)
    if not pieces:
        return [], [], "none"
    pieces.sort()
    merged: list[tuple[int, int]] = []
    for s, e in pieces:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged, used, rule


def _with_quotations(
    start: int,
    end: int,
    quotes: list[tuple[int, int, bool]],
    offset: int,
    taken: set[int],
    used: list[int],
) -> tuple[int, int]:
    """A content span widened to every quotation it touches (a partly quoted clause is
    mixed: 'cleared "at any cost"' keeps its closing mark); the quotations it takes are
    added to ``used``. start, end: global offsets."""
    for qi, (qs, qe, _closed) in enumerate(quotes):
        if qs + offset < end and qe + offset > start and qi not in taken:
            start, end = min(start, qs + offset), max(end, qe + offset)
            used.append(qi)
    return start, end


# Conjunctions opening a clause that gives a reported claim's reason or condition.
_REASON_MARKS = frozenset(words("because unless although though whereas until if"))


def _reason_after(verb: Token, comp: Token, end: int) -> int:
    """ "vowed to impose a tariff unless the company cancels the plant": the parse
    often hangs the condition or reason on the cue; it belongs to what was said when
    it follows the reported clause directly (end: the clause's character end)."""
    doc = verb.doc
    for child in verb.children:
        if child.dep_ != "advcl" or child.i < comp.i:
            continue
        left = child.left_edge
        gap = left.i - comp.right_edge.i
        if (gap == 1 or (gap == 2 and doc[left.i - 1].text == ",")) and left.lower_ in _REASON_MARKS:
            end = max(end, _subtree_span(child)[1])
    return end


def _before_trailing_aside(
    doc: Doc, start: int, end: int, quotes: list[tuple[int, int, bool]]
) -> int:
    """Where a content span ends when a comma-set aside closes it: PolNeAR leaves
    out a non-restrictive relative clause or apposition ending the content ("a Cruz
    win in Texas, which votes on March 1"; "Clinton's attacks on Trump, the
    presumptive nominee"). start, end: character offsets in ``doc``."""
    first = doc.char_span(start, end, alignment_mode="expand")
    if first is None or len(first) < 3:
        return end
    lo, hi = first.start, first.end - 1
    while hi > lo and doc[hi].is_punct:
        hi -= 1
    for k in range(lo + 1, hi):
        if doc[k].text != "," or any(qs <= doc[k].idx < qe for qs, qe, _ in quotes):
            continue
        for t in doc[k + 1 : hi + 1]:
            if (
                t.left_edge.i == k + 1
                and t.right_edge.i >= hi
                and lo <= t.head.i < k
                and t.dep_ in _ASIDE_DEPS
            ):
                return int(doc[k].idx)
    return end


def _as_clause(verb: Token) -> bool:
    """ "As POLITICO reported, most of the payments ...", "that, as Trump points out,
    is a lot": a cue in an as-clause reports its host clause, as a parenthetical
    cue does ("Still, he said, officials ...")."""
    return (
        verb.dep_ == "advcl"
        and _is_verb(verb.head)
        and any(c.dep_ == "mark" and c.lower_ == "as" and c.i < verb.i for c in verb.children)
        and not any(c.dep_ in ("ccomp", "xcomp", "dobj") and c.i > verb.i for c in verb.children)
    )


def _relative_content(
    verb: Token, subj: Token | None, comp: Token | None
) -> list[tuple[int, int]] | None:
    """ "emails which she said represented her work", "moves that he said improved
    the economy": a cue inside a relative clause whose relative pronoun is the
    subject of what was said. PolNeAR's content is the pronoun and the clause after
    the cue, two pieces (the source and cue between them are not content)."""
    if verb.dep_ != "relcl" or subj is None or subj.i > verb.i:
        return None
    if comp is None or comp.i < verb.i or comp.dep_ not in ("ccomp", "xcomp"):
        comp = next((c for c in verb.rights if c.dep_ in ("ccomp", "xcomp")), None)
    if comp is None:
        return None
    rel = next(
        (
            t
            for t in verb.doc[verb.head.i + 1 : subj.left_edge.i]
            if t.lower_ in _RELATIVIZERS and t.head.i in (verb.i, comp.i)
        ),
        None,
    )
    if rel is None:
        return None
    rest = [t for t in comp.subtree if t.i > verb.i]
    if not rest:
        return None
    last = comp.right_edge
    return [(rel.idx, rel.idx + len(rel)), (rest[0].idx, last.idx + len(last))]


def _stray_clause(verb: Token) -> tuple[int, int] | None:
    """A that-clause the parse hung on a modifier of the cue: "says in a statement
    that ...", "told reporters during a visit on Friday that ..." (the clause
    is read as one of "statement" or "visit"): the character span from "that"."""
    for child in verb.rights:
        if child.dep_ not in ("prep", "npadvmod", "dobj", "dative"):
            continue
        for tok in child.subtree:
            if tok.dep_ == "mark" and tok.lower_ == "that" and tok.head.i > tok.i:
                clause = tok.head
                if clause.dep_ in ("acl", "ccomp", "advcl", "relcl") and clause.head.tag_.startswith("NN"):
                    return tok.idx, clause.right_edge.idx + len(clause.right_edge)
    return None


def _clause_before(verb: Token, subj: Token | None) -> tuple[int, int] | None:
    """ "A girl was pepper-sprayed by a bystander, police said.": a speech cue closing
    its sentence after a comma reports the clause before the comma, however the parse
    hung that clause (here as an adverbial clause of the cue)."""
    doc, sent = verb.doc, verb.sent
    # "Clinton thinks X, Bill Clinton said this week.": the parse may also make the
    # closing cue a complement of the verb before it (see _univocal).
    inverted = (
        verb.dep_ in ("ccomp", "advcl") or _asyndetic_conj(verb)
    ) and sent.start <= verb.head.i < verb.i
    if subj is None:
        return None
    if subj.i > verb.i:
        # "..., said the company's chief executive, John J. Ferriola."
        if not (_inverted_closing(verb) and verb.dep_ in ("ROOT", "conj")):
            return None
        comma = verb.i - 1
        after = [t for t in verb.children if t.i > verb.i and t.i != subj.i]
    else:
        if not (verb.dep_ == "ROOT" or inverted):
            return None
        comma = _phrase_left(subj) - 1
        after = [t for t in verb.children if t.i > verb.i]
    if comma <= sent.start or doc[comma].text != ",":
        return None
    if any(t.dep_ not in _CLOSING_MODIFIERS for t in after):
        return None  # the sentence goes on after the cue: not a closing "X said"
    before = doc[sent.start : comma]
    if not any(t.tag_.startswith("VB") and t.dep_ not in ("amod", "compound") for t in before):
        return None
    while before and (before[0].is_punct or before[0].is_space):
        before = before[1:]
    return (before[0].idx, doc[comma - 1].idx + len(doc[comma - 1])) if before else None


def _closing_subject(verb: Token, subj: Token) -> bool:
    """Whether a subject stands right before its cue after a comma ("..., she said")."""
    doc = verb.doc
    left = subj.left_edge.i
    return (
        subj.right_edge.i == verb.i - 1
        and left > 0
        and doc[left - 1].text == ","
        and verb.lower_ in SPEECH_FORMS
    )


def _asyndetic_conj(verb: Token) -> bool:
    """ "This includes a special force, Defense Secretary Ash Carter told a panel.":
    the parse conjoins the closing cue to the reported clause with no "and"."""
    head = verb.head
    return verb.dep_ == "conj" and not any(
        c.dep_ == "cc" and head.i < c.i < verb.i for c in head.children
    )


def _inverted_closing(verb: Token) -> bool:
    """ "..., said Alan Abramowitz, a demographer.": a speech verb right after a comma,
    its subject after it, and only that subject's phrase left in the sentence."""
    doc = verb.doc
    if verb.lower_ not in SPEECH_FORMS or verb.i == 0 or doc[verb.i - 1].text != ",":
        return False
    after = [c for c in verb.children if c.dep_ in _SUBJECTS and c.i > verb.i]
    if not after:
        return False
    end = after[0].right_edge.i + 1
    sent_end = verb.sent.end
    return all(doc[k].is_punct or doc[k].is_space for k in range(end, sent_end))


# What may follow a cue that closes its sentence ("police said Tuesday in a statement.").
_CLOSING_MODIFIERS = frozenset(("punct", "npadvmod", "prep", "advmod", "dobj", "dative"))


def _short_content(verb: Token, lemma: str) -> tuple[tuple[int, int], str] | None:
    """Three contents the clause and preposition rules miss, as (span, rule):
    "said so" / "never thought so" (the content is "so"); "reminded voters of the
    years ..." (an addressee verb's preposition after its object, with its object);
    "called for all candidates to lay out ..." (the parse reads "for" as the
    complementiser of a clause: the cue takes "for", the clause is the content)."""
    doc = verb.doc
    nxt = doc[verb.i + 1] if verb.i + 1 < len(doc) else None
    if (
        nxt is not None
        and nxt.lower_ == "so"
        and nxt.head.i == verb.i
        and (lemma in _SPEECH_LEMMAS or verb.lower_ in COGNITION_FORMS)
    ):
        return (nxt.idx, nxt.idx + 2), "clause"
    if lemma in _ADDRESSEE_VERBS:
        for obj in verb.children:
            if obj.dep_ != "dobj" or obj.i < verb.i:
                continue
            for prep in obj.rights:
                if prep.dep_ == "prep" and prep.lower_ in ("of", "about", "on"):
                    return _subtree_span(prep), "prep-phrase"
    want = _PREP_CUES.get(lemma)
    if nxt is not None and want is not None and nxt.lower_ == want and nxt.dep_ == "mark":
        clause = nxt.head
        if clause.head.i == verb.i and clause.dep_ in ("advcl", "ccomp"):
            first = doc[nxt.i + 1]
            return (first.idx, _subtree_span(clause)[1]), "prep"
    return None


def _clause_after_split(verb: Token, xcomp: Token) -> tuple[Token | None, int | None]:
    """A clausal complement of the cue after a rejected infinitive one, and where the
    content starts (the first object or infinitive between the cue and the clause)."""
    later = [c for c in verb.children if c.dep_ == "ccomp" and c.i > xcomp.i]
    if not later:
        return None, None
    clause = later[0]
    leads = [
        c.left_edge.idx
        for c in verb.children
        if c.dep_ in ("dobj", "xcomp") and verb.i < c.i < clause.i
    ]
    return clause, min(leads) if leads else None


def _opens_colon_quote(verb: Token, text: str, quotes: list[tuple[int, int, bool]]) -> bool:
    """ "Sanders went on: “It's like ...”", "The campaign worded it more carefully:
    “...”": a verb whose clause ends in a colon that opens a quotation introduces it,
    whatever the verb (but a form of "be" or "have": "The rules are simple: ...")."""
    # (Called for every verb the detector turns down: the rarest test comes first.)
    if not quotes or verb.lower_ in _NOT_COLON_CUES or verb.dep_ not in ("ROOT", "ccomp", "conj"):
        return False
    colon = next((c for c in verb.rights if c.dep_ == "punct" and c.text == ":"), None)
    k = verb.right_edge.i + 1
    if colon is None and k < len(verb.doc) and verb.doc[k].text == ":":
        colon = verb.doc[k]  # the parse hung the colon on the quotation
    if colon is None or not verb.text.islower():
        return False
    after = colon.idx + 1
    while after < len(text) and text[after].isspace():
        after += 1
    if not any(qs == after for qs, _, _ in quotes):
        return False
    # Someone speaks: a person, a group or an organisation, or a personal pronoun.
    return any(
        c.dep_ == "nsubj"
        and (
            c.lower_ in _SPEAKING_PRONOUNS
            or any(t.ent_type_ in ("PERSON", "ORG", "NORP") for t in c.subtree)
        )
        for c in verb.children
    )


_NOT_COLON_CUES = frozenset(
    words("is are was were be been being am 's ’s has have had having do does did 're ’re")
)
_SPEAKING_PRONOUNS = frozenset(words("he she they i we"))


def _same_sentence_or_adjacent(doc: Doc, char: int, verb: Token) -> bool:
    """The quotation ends in the cue's sentence or the one just before it."""
    sent = verb.sent
    return char >= sent.start_char - 2 or (
        sent.start > 0 and char >= doc[sent.start - 1].sent.start_char
    )


def _candidates(
    doc: Doc,
    offset: int,
    text: str,
    quotes: list[tuple[int, int, bool]],
    inside: bytearray,
) -> tuple[list[_Candidate], bool]:
    """Every attribution the cue rules find in a paragraph, before univocality, and
    whether one ends the paragraph waiting for its content ("Cruz continued:")."""
    candidates: list[_Candidate] = []
    taken: set[int] = set()
    colon_cue_waiting = False

    model = cue_model()
    for i in _cue_positions(doc, model is not None):
        tok = doc[i]
        low = tok.lower_
        if low == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            cand = _according_to(tok, offset)
            if cand is not None and not inside[tok.idx]:
                candidates.append(cand)
            continue
        if low == "in":
            cand = _in_poll(tok, offset)
            if cand is not None and not inside[tok.idx]:
                candidates.append(cand)
            continue
        sure = False
        score: float | None = None
        if tok.tag_.startswith("NN"):
            noun = _noun_cue(tok, offset, inside)
            if noun is not None:
                if noun.cue[0] < tok.idx + offset:
                    # "voiced doubts about X": one cue from the verb to the
                    # preposition, in place of the verb's own
                    cue = noun.cue
                    candidates[:] = [
                        c for c in candidates if not cue[0] <= c.verb.idx + offset < cue[1]
                    ]
                candidates.append(noun)
            continue
        if low in _COPULAS:
            stance = _stance_adjective(tok, offset, inside)
            if stance is not None:
                candidates.append(stance)
                continue
        if model is not None and tok.tag_:
            # The learned detector decides for every verb, listed or not.
            if not tok.tag_.startswith("VB") or inside[tok.idx]:
                continue
            score = model.score(verb_features(tok, inside))
            if score < (model.listed if low in CUE_FORMS else model.threshold) and not (
                _opens_colon_quote(tok, text, quotes)
            ):
                continue
            sure = score >= model.sourceless
        elif low not in CUE_FORMS or inside[tok.idx] or not _is_verb(tok):
            continue
        if tok.dep_ in ("amod", "compound", "nmod"):
            continue
        if any(c.dep_ == "auxpass" for c in tok.children):
            passive = _passive_raising(tok, offset, inside) or _passive(tok, offset)
            if passive is not None:
                passive.cue_score = score
                candidates.append(passive)
            continue
        cand = _verb_candidate(tok, text, offset, quotes, taken, inside, sure)
        if cand is None:
            continue
        cand.cue_score = score
        if not cand.content:
            colon_cue_waiting = True
        taken.update(cand.claimed)
        candidates.append(cand)

    return candidates, colon_cue_waiting


def extract_paragraph(
    doc: Doc, offset: int, paragraph: int, text: str
) -> tuple[list[Attribution], list[tuple[int, int, bool]], bool]:
    """Attributions in one parsed paragraph (or chunk of one).

    doc: the parsed chunk; offset: where it starts in Article.text; text: the
    chunk's text (doc.text). Returns the attributions, the quotations found (in
    chunk offsets) and whether the chunk ends with a cue waiting for its content
    ("Cruz continued:" at a paragraph's end).
    """
    quotes = find_quotations(text)
    inside = _inside_quotes(len(text), quotes)
    candidates, colon_cue_waiting = _candidates(doc, offset, text, quotes, inside)

    found = _univocal(candidates, offset)
    attributions: list[Attribution] = []
    sieve, judge = packaged_model(ATTRIBUTION_MODEL_FILE), packaged_model(SPEAKER_MODEL_FILE)
    for cand in found:
        content = [_trim(text, s, e, quotes, offset) for s, e in cand.content]
        content = [(s, e) for s, e in content if e > s]
        source = cand.source
        name, kind_of_name = _source_name(cand.subj) if cand.subj is not None else (None, None)
        qranges = [(quotes[i][0] + offset, quotes[i][1] + offset) for i in cand.claimed]
        kind = _kind(content, quotes, offset)
        features = attribution_features(
            cand.verb,
            cand.rule,
            cand.subj,
            _words(text, [source] if source else [], offset),
            kind_of_name,
            kind,
            _words(text, content, offset),
            len(content),
            cand.cue_score,
        )
        if sieved(sieve, features):
            continue  # reported speech the attribution model finds unlikely
        if judge is None:
            confidence = _confidence(cand, kind_of_name)
        else:
            confidence = round(1.0 / (1.0 + math.exp(-judge.score(features))), 2)
        attributions.append(
            Attribution(
                kind=kind,
                content=content,
                cue=cand.cue,
                source=source,
                paragraph=paragraph,
                name=name,
                name_kind=kind_of_name,
                confidence=confidence,
                quote_ranges=qranges,
                features=features,
            )
        )
    signed = _dash_signatures(text, offset, paragraph, quotes)
    if signed:
        taken_content = [span for a in signed for span in a.content]
        attributions = [
            a
            for a in attributions
            if not any(s <= c[0] < e for c in a.content for s, e in taken_content)
        ]
        attributions.extend(signed)
        attributions.sort(key=lambda a: a.content[0][0] if a.content else 0)
    _absorb_following_quotes(attributions, quotes, text, offset)
    # Speaker-colon lines ("FALLIN: Well, ...") take the whole paragraph: what
    # the speaker says inside it is theirs, not a further attribution (univocal).
    colon = _speaker_colon(doc, text, offset, paragraph)
    if colon is not None:
        cs = colon.content[0][0]
        attributions = [a for a in attributions if a.cue is not None and a.cue[1] <= cs]
        attributions.append(colon)
    return attributions, quotes, colon_cue_waiting


def _source_span(subj: Token, verb: Token) -> tuple[int, int]:
    """The subject's phrase without edge punctuation, except PolNeAR's comma.

    PolNeAR keeps the comma that closes an apposition before the cue ("Briggs, a
    spokesman for Sanders, said"), so a final comma right before the cue (or its
    auxiliaries and adverbs) stays.
    """
    doc = subj.doc
    left, right = _phrase_left(subj), subj.right_edge.i
    if left <= verb.i <= right:
        right = verb.i - 1  # "a statement saying ...": the noun is the source, up to the cue
    left = _after_dateline(doc, left, subj.i)
    right = _before_aside(subj, right)
    while left < right and (doc[left].is_punct or doc[left].is_space or doc[left].is_quote):
        left += 1
    if (
        right + 1 < verb.i
        and doc[right + 1].text == ","
        and doc[right].text != ","
        and any(doc[k].text == "," for k in range(left + 1, right))
    ):
        right += 1  # "Reince Priebus, the GOP chairman, said": the parse left the comma out
    keep_comma = (
        doc[right].text == ","
        and right < verb.i
        and all(doc[k].dep_ in ("aux", "neg", "advmod") for k in range(right + 1, verb.i))
        and right > left
    )
    while (
        right > left
        and (doc[right].is_punct or doc[right].is_space)
        and not (keep_comma and doc[right].text == ",")
        and not _closes_open(doc, left, right)
    ):
        right -= 1
    if keep_comma and doc[right].text == "," and doc[right - 1].is_punct:
        right -= 1
    return doc[left].idx, doc[right].idx + len(doc[right])


_DASHES = frozenset(("—", "–", "--", "-"))
_PAIRS = {")": "(", "”": "“", "]": "["}


def _after_dateline(doc: Doc, left: int, head: int) -> int:
    """Skip a dateline glued to the subject: "RENO, Nev. (AP) — Republican hopeful Donald
    Trump said" -> "Republican hopeful Donald Trump". A dash before the head ends it."""
    for k in range(head - 1, left - 1, -1):
        if doc[k].text in _DASHES and doc[k].whitespace_:
            return k + 1
    return left


def _before_aside(subj: Token, right: int) -> int:
    """End the source before an aside that describes rather than names it: a
    participle clause ("Marco Rubio, speaking in Miami,"), a relative clause that is
    a cue of its own ("X, who said ..."), a place ("Trump, in Kentucky,"). Ages, home
    towns, appositions that name a role and other relative clauses stay ("Renee
    Gold, 83, of Sarasota,"; "Huma Abedin, vice chairwoman for the campaign,"; "Mike
    Murphy, who ran a super PAC,"), as PolNeAR's train split mostly annotates them
    (an age kept: 60 sources more right, 13 fewer)."""
    doc = subj.doc
    for child in subj.rights:
        comma = child.left_edge.i - 1
        if comma <= subj.i or doc[comma].text != "," or child.left_edge.i > right:
            continue
        aside = (
            (child.dep_ == "acl" and child.tag_ == "VBG")
            or (child.dep_ in ("relcl", "acl") and child.lower_ in SPEECH_FORMS)
            or (child.dep_ == "prep" and child.lower_ in ("in", "at", "from"))
        )
        if aside:
            return min(right, comma - 1)
    return right


def _closes_open(doc: Doc, left: int, right: int) -> bool:
    """Whether the token at ``right`` closes a bracket or quote opened inside the span
    ("Sen. Bernie Sanders (I-Vt.)" keeps its ")")."""
    opener = _PAIRS.get(doc[right].text)
    if opener is None:
        return False
    inside = [doc[k].text for k in range(left, right)]
    return inside.count(opener) > inside.count(doc[right].text)


def _absorb_following_quotes(
    attributions: list[Attribution], quotes: list[tuple[int, int, bool]], text: str, offset: int
) -> None:
    """Quote sentences after a quoted attribution, with no cue of their own, join it.

    "“A,” Peskov said. “B.”": PolNeAR (and a reader) gives B to Peskov too.
    Only whole quoted sentences count: a quote that opens the paragraph's next
    sentence, not a scare quote in a sentence of the reporter's.
    """
    quoted = [a for a in attributions if a.quote_ranges and a.cue is not None]
    if not quoted:
        return
    used = {r for a in attributions for r in a.quote_ranges}
    covered = [span for a in attributions for span in a.content]
    for qs, qe, _closed in quotes:
        span = (qs + offset, qe + offset)
        if span in used or any(s <= span[0] < e for s, e in covered):
            continue
        before = text[:qs].rstrip()
        if before and before[-1] not in ".?!”\"'’:":
            continue
        owner = None
        for att in attributions:
            if (
                att.cue is not None
                and att.cue[0] < span[0]
                and not _aside_of_a_source(att, attributions, text, offset)
            ):
                owner = _quoting_owner(att, owner)
        if owner is None or not owner.quote_ranges:
            continue
        owner.content.append(span)
        owner.quote_ranges.append(span)
        covered.append(span)


def _quoting_owner(att: Attribution, before: Attribution | None) -> Attribution:
    """Which of two successive attributions a later quote sentence continues: the
    later one, unless it quotes nothing and carries on the earlier one's quoting
    speaker ("“A,” Clinton said, recalling a bill that failed. “B.”": B is
    Clinton's quote, not what she recalled)."""
    if (
        before is not None
        and before.quote_ranges
        and not att.quote_ranges
        and att.name is not None
        and att.name == before.name
    ):
        return before
    return att


def _aside_of_a_source(
    att: Attribution, attributions: list[Attribution], text: str, offset: int
) -> bool:
    """Whether an attribution is an aside about another's source ("said Capt. Pardo,
    who said he would not vote"): its source is a relative pronoun, or its cue stands
    inside the other's source. A quote after it continues the outer speaker."""
    assert att.cue is not None
    if att.source is not None:
        s, e = att.source
        if text[s - offset : e - offset].lower() in _RELATIVIZERS:
            return True
    return any(
        other is not att
        and other.source is not None
        and other.source[0] <= att.cue[0] < other.source[1]
        for other in attributions
    )


def _cue_positions(doc: Doc, verbs: bool = False) -> list[int]:
    """Indices of the tokens that may be cues, found on the hashed lower-case forms
    and, with ``verbs``, every token tagged as a verb (creating a Python object per
    token costs more than the rules that follow)."""
    from spacy.attrs import LOWER, TAG

    if not _CUE_HASHES:
        from spacy.strings import get_string_id

        _CUE_HASHES.update(
            get_string_id(form) for form in (*CUE_FORMS, *_NOUN_CUES, "according", "in")
        )
        _VERB_TAGS.update(get_string_id(t) for t in ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ"))
    if not verbs:
        lowers = doc.to_array(LOWER).tolist()
        return [i for i, h in enumerate(lowers) if h in _CUE_HASHES]
    rows = doc.to_array([LOWER, TAG]).tolist()
    return [i for i, (h, t) in enumerate(rows) if h in _CUE_HASHES or t in _VERB_TAGS]


_CUE_HASHES: set[int] = set()
_VERB_TAGS: set[int] = set()


def _verb_candidate(
    tok: Token,
    text: str,
    offset: int,
    quotes: list[tuple[int, int, bool]],
    taken: set[int],
    inside: bytearray,
    sourceless: bool = False,
) -> _Candidate | None:
    """The attribution a cue verb heads, or None when it heads none.

    sourceless: whether a cue with no subject may still head one (the learned
    detector is sure of it: "Asked whether he would run, ..."), with no source.
    """
    low = tok.lower_
    lemma = CUE_FORMS.get(low, low)
    if lemma in _RAISING:
        return _raising(tok, offset)
    subj = (
        _subject(tok, inside)
        or _person_after(tok)
        or _person_before(tok)
        or _quantity_before(tok)
        or _noun_host(tok)
        or _name_compound(tok, inside)
    )
    if subj is None and not sourceless:
        return None
    pieces, used, rule = _content_for_verb(tok, text, offset, quotes, taken, subj, inside)
    if subj is None and rule != "clause":
        return None  # "Asked whether ...": a cue with no source needs a clause
    cue_end = tok.idx + len(tok)
    if rule == "prep":
        # (a complementiser read for the preposition, "called for X to Y", is no child)
        prep = min(
            (c for c in tok.children if c.dep_ == "prep" and c.i > tok.i),
            key=lambda c: c.i,
            default=tok.doc[tok.i + 1],
        )
        cue_end = prep.idx + len(prep)
    elif cue_end < len(text) and text[cue_end] == ":":
        cue_end += 1
    if not pieces:
        # "Cruz continued:" closing the paragraph: the next paragraph is the content.
        if not (text[cue_end - 1] == ":" and not text[cue_end:].strip()):
            return None
    elif (
        low in COGNITION_FORMS
        and low not in SPEECH_FORMS
        and rule not in ("clause", "prep", "prep-phrase", "quote")
    ):
        return None
    source = _source_span(subj, tok) if subj is not None else None
    cue_start = _cue_start(tok, subj)
    # and a particle ("pointed out")
    if (
        tok.i + 1 < len(tok.doc)
        and tok.doc[tok.i + 1].dep_ == "prt"
        and tok.doc[tok.i + 1].head.i == tok.i
    ):
        cue_end = max(cue_end, tok.doc[tok.i + 1].idx + len(tok.doc[tok.i + 1]))
    return _Candidate(
        tok,
        (cue_start + offset, cue_end + offset),
        (source[0] + offset, source[1] + offset) if source is not None else None,
        pieces,
        subj,
        rule,
        used,
    )


_CUE_LEFT = frozenset(("aux", "auxpass", "neg", "advmod"))


def _cue_start(tok: Token, subj: Token | None = None) -> int:
    """Where a verb's cue starts: PolNeAR's cue takes in the auxiliaries, negation and
    adverbs right before the verb ("has said", "also said", "did not mention"), never
    its subject ("half said so", with "half" parsed as an adverb)."""
    doc = tok.doc
    start = tok.idx
    k = tok.i - 1
    floor = tok.sent.start
    if subj is not None and subj.i < tok.i:
        floor = max(floor, subj.right_edge.i + 1)
    while k >= floor and doc[k].head.i == tok.i and doc[k].dep_ in _CUE_LEFT:
        if doc[k].lower_ == "to" or doc[k].tag_ == "WRB":
            break  # "to say" is no auxiliary; "when asked" no adverb of the cue
        start = doc[k].idx
        k -= 1
    return start


def _by_phrase_source(tok: Token, cand: _Candidate, offset: int) -> None:
    """A passive cue's by-phrase ("was criticized by X") as the candidate's source."""
    for child in tok.children:
        if child.dep_ == "agent":
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                a, b = _subtree_span(objs[0])
                cand.source = (a + offset, b + offset)
                cand.subj = objs[0]


def _passive_raising(tok: Token, offset: int, inside: bytearray) -> _Candidate | None:
    """ "Trump is expected to win": a passive cue whose subject and infinitive are
    the content; the source is the by-phrase when there is one (PolNeAR)."""
    if CUE_FORMS.get(tok.lower_) not in _PASSIVE_RAISING or inside[tok.idx]:
        return None
    cand = _raising(tok, offset)
    if cand is None:
        return None
    aux = [c for c in tok.children if c.dep_ == "auxpass" and c.i < tok.i]
    if aux:
        cand.cue = (aux[0].idx + offset, cand.cue[1])
    _by_phrase_source(tok, cand, offset)
    return cand


def _passive(tok: Token, offset: int) -> _Candidate | None:
    """ "the candidates are seen as a circus", "the plan was criticized by X": a
    passive cue; what it is said of (its subject) and what is said of it (an "as"
    phrase or a clause) are the content, the by-phrase the source (PolNeAR)."""
    pieces: list[tuple[int, int]] = []
    subj = next((c for c in tok.children if c.dep_ == "nsubjpass"), None)
    if subj is not None and subj.lower_ not in ("it", "there"):
        pieces.append(_subtree_span(subj))
    for child in tok.children:
        if child.i > tok.i and (
            child.dep_ in ("ccomp", "xcomp", "oprd")
            or (child.dep_ == "prep" and child.lower_ == "as")
        ):
            pieces.append(_subtree_span(child))
            break
    if not pieces:
        return None
    cand = _Candidate(
        tok,
        (_cue_start(tok) + offset, tok.idx + len(tok) + offset),
        None,
        [(a + offset, b + offset) for a, b in sorted(pieces)],
        None,
        "passive",
    )
    _by_phrase_source(tok, cand, offset)
    return cand


def _noun_cue(tok: Token, offset: int, inside: bytearray) -> _Candidate | None:
    """ "Kerr's criticism of the plan", "Kerr voiced support for the plan", "Kerr's
    claim that the plan failed": a stance noun and its preposition are the cue, the
    preposition's object (or the noun's that-clause or infinitive) the content, the
    possessor (else the subject of the verb whose object the noun is) the source.
    Without a source it is no attribution (the noun names a topic)."""
    words_after = _NOUN_CUES.get(tok.lower_)
    doc = tok.doc
    if words_after is None or inside[tok.idx] or tok.i + 1 >= len(doc):
        return None
    content, cue_end = _complement(tok, words_after, adjacent=True)
    if content is None:
        return None
    subj: Token | None = next((c for c in tok.children if c.dep_ == "poss"), None)
    cue_start = tok.idx
    host = tok.head.head if tok.dep_ == "pobj" and tok.head.dep_ == "prep" else tok.head
    if (
        (subj is None and tok.dep_ == "dobj")
        or (subj is not None and subj.tag_ == "PRP$" and host.lower_ not in CUE_FORMS)
    ) and (host.i < tok.i and _is_verb(host)):
        # "voiced support for", "is doubling down on his support for": the verb's
        # subject is the source and the cue starts at the verb, as PolNeAR marks it
        # (a possessive pronoun there names the subject again). After a cue verb
        # ("announced his support for X") the verb is the cue, the noun its content.
        named = _subject(host, inside)
        if (
            named is not None
            and named.i < host.i
            and (subj is None or (subj.lower_ in ("their", "our")) == _plural(named))
        ):
            subj, cue_start = named, _cue_start(host)
    if subj is None or subj.lower_ in ("it", "there", "this", "that") or subj.i > tok.i:
        return None
    if subj.dep_ == "poss":
        last = subj.right_edge  # "Kerr's", as PolNeAR marks a possessor
        source = (subj.left_edge.idx, last.idx + len(last))
    else:
        source = _source_span(subj, tok.head)
    a, b = _subtree_span(content)
    return _Candidate(
        tok,
        (cue_start + offset, cue_end.idx + len(cue_end) + offset),
        (source[0] + offset, source[1] + offset),
        [(a + offset, b + offset)],
        subj,
        "noun",
    )


def _stance_adjective(tok: Token, offset: int, inside: bytearray) -> _Candidate | None:
    """ "Kerr is skeptical of the plan", "Kerr was confident that it would pass": a
    copula and its stance adjective (with the preposition whose object is the
    content) are the cue, the copula's subject the source."""
    if inside[tok.idx]:
        return None
    adj = next((c for c in tok.children if c.dep_ == "acomp"), None)
    words_after = _STANCE_ADJECTIVES.get(adj.lower_) if adj is not None else None
    if adj is None or words_after is None:
        return None
    subj = next((c for c in tok.children if c.dep_ in _SUBJECTS), None)
    if subj is None or subj.i > tok.i or subj.lower_ in ("it", "there", "this", "that"):
        return None
    content, cue_end = _complement(adj, words_after)
    if content is None:
        return None
    source = _source_span(subj, tok)
    a, b = _subtree_span(content)
    return _Candidate(
        tok,
        (_cue_start(tok) + offset, cue_end.idx + len(cue_end) + offset),
        (source[0] + offset, source[1] + offset),
        [(a + offset, b + offset)],
        subj,
        "stance",
    )


def _complement(
    head: Token, words_after: tuple[str, ...], adjacent: bool = False
) -> tuple[Token | None, Token]:
    """A stance word's content and the last token of its cue: the object of a
    preposition from ``words_after`` (the cue takes in the preposition: "support
    for X", "skeptical of X"), or a that-clause or infinitive opening with one of
    them ("claim that ...", "eager to ..."). adjacent: only right after the word."""
    for child in head.rights:
        if adjacent and child.left_edge.i != head.i + 1:
            break
        if child.dep_ == "prep" and child.lower_ in words_after:
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                return obj, child
        elif child.dep_ in ("acl", "ccomp", "xcomp") and child.left_edge.lower_ in words_after:
            return child, head
    return None, head


def _plural(tok: Token) -> bool:
    """Whether a subject names several ("the leaders", "Kerr and Berg", "they")."""
    return (
        tok.tag_ in ("NNS", "NNPS")
        or tok.lower_ in ("they", "we")
        or any(c.dep_ == "conj" for c in tok.children)
    )


def _raising(tok: Token, offset: int) -> _Candidate | None:
    """ "Kasich appears to have the state to himself": content, no source (PolNeAR)."""
    subj = next((c for c in tok.children if c.dep_ in _SUBJECTS or c.dep_ == "nsubjpass"), None)
    comp = next((c for c in tok.children if c.dep_ in ("xcomp", "ccomp")), None)
    if subj is None or comp is None or subj.lower_ in ("it", "there"):
        return None
    pieces = [_subtree_span(subj), _subtree_span(comp)]
    return _Candidate(
        tok,
        (tok.idx + offset, tok.idx + len(tok) + offset),
        None,
        [(a + offset, b + offset) for a, b in pieces],
        None,
        "raising",
    )


def _inside_quotes(n: int, quotes: list[tuple[int, int, bool]]) -> bytearray:
    flags = bytearray(n + 1)
    for s, e, _ in quotes:
        flags[s:e] = b"\x01" * (e - s)
    return flags


def _in_poll(tok: Token, offset: int) -> _Candidate | None:
    """ "In a CBS poll released Monday, Kerr led by 8 points": like "according to",
    the poll is the source and the rest of the sentence the content (PolNeAR)."""
    if tok.dep_ != "prep" or not _is_verb(tok.head) or tok.i != tok.sent.start:
        return None  # "Kerr trails in the polls": a place in the race, not a source
    objs = [c for c in tok.children if c.dep_ == "pobj"]
    if not objs or objs[0].lower_ not in _POLL_NOUNS:
        return None
    return _according_to(tok, offset, tok)


def _according_to(tok: Token, offset: int, to: Token | None = None) -> _Candidate | None:
    """ "according to X": X is the source, the rest of the sentence the content.

    to: the preposition whose object is the source ("to"; "in" for "in a poll").
    """
    to = tok.doc[tok.i + 1] if to is None else to
    objs = [c for c in to.children if c.dep_ == "pobj"]
    if not objs:
        return None
    src = objs[0]
    sent = tok.sent
    phrase_start = tok.i
    phrase_end = max(src.right_edge.i, to.i) + 1
    doc = tok.doc
    if phrase_end < sent.end and doc[phrase_end].lower_ in ("and", "or"):
        # "according to lists compiled by the union and by volunteers": a verbless
        # coordination closing the sentence continues the source (the parse often
        # hangs it elsewhere).
        rest = doc[phrase_end : sent.end]
        if not any(t.tag_.startswith("VB") and t.dep_ not in ("acl", "amod") for t in rest):
            phrase_end = sent.end
            while phrase_end - 1 > src.i and doc[phrase_end - 1].is_punct:
                phrase_end -= 1
    pieces: list[tuple[int, int]] = []
    if sent.start < phrase_start:
        pieces.append((sent.start_char + offset, tok.idx + offset))
    if phrase_end < sent.end:
        after = tok.doc[phrase_end]
        pieces.append((after.idx + offset, sent.end_char + offset))
    if not pieces:
        return None
    end_tok = tok.doc[phrase_end - 1]
    return _Candidate(
        tok,
        (tok.idx + offset, to.idx + len(to) + offset),
        (src.left_edge.idx + offset, end_tok.idx + len(end_tok) + offset),
        pieces,
        src,
        "according",
    )


def _univocal(candidates: list[_Candidate], offset: int = 0) -> list[_Candidate]:
    """Keep the outermost attributions: a cue inside another's content is dropped,
    except a participle or conjunct closing it after a comma ("said he would stay,
    insisting that ..."): that one ends the other's content (PolNeAR splits them)."""
    ordered = sorted(candidates, key=lambda c: -sum(e - s for s, e in c.content))
    kept: list[_Candidate] = []
    for cand in ordered:
        cs = cand.cue[0]
        # A closing cue the parse made a complement of the cue it reports ("Clinton
        # thinks X, Bill Clinton said."): the closing one is the outer attribution.
        kept = [o for o in kept if not _reports(cand, o)]
        clash = False
        for other in kept:
            if any(s <= cs < e for s, e in other.content):
                cut = _closing_clause(cand, other, offset)
                if cut is not None:
                    other.content = [(s, min(e, cut)) for s, e in other.content if s < cut]
                    continue
                clash = True
                break
            if any(s <= other.cue[0] < e for s, e in cand.content):
                clash = True
                break
        if not clash:
            kept.append(cand)
    kept.sort(key=lambda c: c.cue[0])
    return kept


def _reports(closing: _Candidate, other: _Candidate) -> bool:
    """Whether ``closing`` is a sentence-closing cue parsed as a complement of
    ``other``'s cue whose content holds that cue (see _clause_before)."""
    verb = closing.verb
    return (
        verb.dep_ == "ccomp"
        and verb.head.i == other.verb.i
        and closing.subj is not None
        and other.verb.i < closing.subj.i
        and any(s <= other.cue[0] < e for s, e in closing.content)
    )


def _closing_clause(inner: _Candidate, outer: _Candidate, offset: int) -> int | None:
    """Where ``outer``'s content ends when ``inner`` is a participle or conjunct cue
    set off by a comma after it (global offset of the comma), else None."""
    verb = inner.verb
    if verb.dep_ not in ("advcl", "conj") or verb.i <= outer.verb.i or inner.rule == "raising":
        return None
    left = verb.left_edge.i if inner.subj is None or inner.subj.i < outer.verb.i else verb.i
    if (
        inner.subj is not None
        and outer.verb.i < verb.left_edge.i <= inner.subj.i
        and verb.lower_ in SPEECH_FORMS
    ):
        # "74 percent said A, while 22 percent said B": a clause of its own, with its
        # own subject (and a conjunction), set off by a comma
        left = verb.left_edge.i
    left = min(left, verb.i)
    doc = verb.doc
    k = left - 1
    if (
        k > outer.verb.i
        and doc[k].dep_ == "cc"
        and doc[k].lower_ in ("and", "but")
        and verb.dep_ == "conj"
        and (verb.head.i == outer.verb.i or _conj_of_content(verb) == outer.verb.i)
    ):
        # "said A and predicted B": the conjunction (and a comma before it) ends A.
        k = k - 1 if doc[k - 1].text == "," else k
    elif k <= outer.verb.i or doc[k].text != ",":
        return None
    cut = doc[k].idx + offset
    if not any(s < cut for s, _ in outer.content):
        return None
    return cut


def _kind(content: list[tuple[int, int]], quotes: list[tuple[int, int, bool]], offset: int) -> str:
    """direct when the content is all quoted, mixed when partly, indirect when not at all."""
    if not content:
        return "indirect"
    total = sum(e - s for s, e in content)
    quoted = 0
    for s, e in content:
        for qs, qe, _ in quotes:
            lo, hi = max(s, qs + offset), min(e, qe + offset)
            if hi > lo:
                quoted += hi - lo
    if quoted >= total - 2:
        return "direct"
    return "mixed" if quoted > 0 else "indirect"


def _words(text: str, spans: list[tuple[int, int]], offset: int) -> int:
    """How many words the global spans hold (the chunk's text starts at offset)."""
    return sum(len(text[s - offset : e - offset].split()) for s, e in spans)


def _confidence(cand: _Candidate, name_kind: str | None) -> float:
    """A rough prior per rule, lowered for pronoun and nameless sources (used
    only when the speaker model's file is missing)."""
    base = {"quote": 0.9, "clause": 0.8, "according": 0.85}.get(cand.rule, 0.6)
    if name_kind == "pronoun":
        base -= 0.15
    elif name_kind == "other":
        base -= 0.1
    return round(base, 2)


# "“…” ― Sonya Herridge" / "… #RINO — Ben Jacobs (@Bencjacobs) September 1, 2016": a
# quotation or a post signed with a dash and a name that ends the line (a handle,
# a date or a short description may follow the name). The name has two to five
# words: a one-word signature ("— Reuters", "— Madonna") is too often a credit.
_DASH_SIGNATURE = re.compile(
    r"(?<=[\s”\"’»])(―|—|–|--)[ \t\xa0]*"
    r"([A-Z][\w.’'-]*(?:[ \xa0]+(?:[A-Z][\w.’'-]*|de|van|von|da|al|bin|del)){1,4})"
    r"[ \t\xa0]*(\(@\w+\)[^\n]{0,60}|(?:,[^\n.!?]{1,60})?(?:[.,;][ \t\xa0]*)?)$",
    re.MULTILINE,
)
_CLOSING_MARKS = "”\"’'»"


def _dash_signatures(
    text: str, offset: int, paragraph: int, quotes: list[tuple[int, int, bool]]
) -> list[Attribution]:
    """Quotations and posts signed with a dash and a name (see _DASH_SIGNATURE): the
    quotation just before the dash, or, for a post signed with a handle, the line
    before the dash."""
    found: list[Attribution] = []
    if "—" not in text and "―" not in text and "–" not in text and "--" not in text:
        return found
    closers = {e: s for s, e, closed in quotes if closed}
    for m in _DASH_SIGNATURE.finditer(text):
        first = m.group(2).split()[0].rstrip(".").lower()
        if first in _NOT_SPEAKERS or first in _FUNCTION_STARTS:
            continue
        end = m.start()  # the signed text ends before the spaces that precede the dash
        while end > 0 and text[end - 1] in " \t\xa0":
            end -= 1
        line = text.rfind("\n", 0, end) + 1
        # a quotation standing alone on its line, not the end of a sentence quoting it
        quoted = end in closers and text[end - 1] in _CLOSING_MARKS
        if quoted and not text[line : closers[end]].strip():
            start = closers[end]
        elif m.group(3).startswith("(@"):
            quoted = False
            start = max(line, text.rfind(">", 0, end) + 1)
            if end - start < 15:
                continue
        else:
            continue
        if any(s <= m.start() < e for s, e, _ in quotes):
            continue
        name_end = m.end(2)
        if text[name_end - 1] == "." and name_end - m.start(2) > 3 and text[name_end - 3] != " ":
            name_end -= 1  # "― Carla Sanchez." (but "― John F.")
        name = text[m.start(2) : name_end]
        found.append(
            Attribution(
                kind=_kind([(start + offset, end + offset)], quotes, offset),
                content=[(start + offset, end + offset)],
                cue=(m.start(1) + offset, m.end(1) + offset),
                source=(m.start(2) + offset, name_end + offset),
                paragraph=paragraph,
                name=name,
                name_kind="person",
                confidence=0.7,
                quote_ranges=[(start + offset, end + offset)] if quoted else [],
            )
        )
    return found


# Capitalised words that open a sentence rather than a name.
_FUNCTION_STARTS = frozenset(
    words("the a an this that these those it he she they we i in on at for and but or so if")
)


def _headline_speaker(text: str, m: re.Match[str]) -> bool:
    """ "Reid: 'Never underestimate Trump.'": a short capitalised name and a colon
    opening a one-line headline (no sentence end before its last character) or a
    quotation; the tagger often misses names in headline case."""
    name = m.group(1)
    if len(name.split()) > 2 or m.start(1) > 1:
        return False
    rest = text[m.end() :].rstrip()
    return rest[:1] in "“\"'‘" or not re.search(r"[.!?][”’\"']?\s+\S", rest)


def _speaker_colon(doc: Doc, text: str, offset: int, paragraph: int) -> Attribution | None:
    """ "FALLIN: Well, I think ..." - a name and a colon opening a paragraph."""
    m = _SPEAKER_COLON.search(text, 0, 400)
    if m is None or m.group(1).lower() in _NOT_SPEAKERS:
        return None
    name = m.group(1)
    is_person = any(
        e.label_ in ("PERSON", "ORG") and e.start_char <= m.start(1) < e.end_char for e in doc.ents
    ) or _headline_speaker(text, m)
    if not (is_person or name.isupper()) or len(name) < 2:
        return None
    rest_start = m.end()
    rest_end = len(text.rstrip())
    if rest_end - rest_start < 15 or any(q[0] < m.start(1) < q[1] for q in find_quotations(text)):
        return None
    quotes = find_quotations(text)
    start, end = _trim(text, rest_start + offset, rest_end + offset, quotes, offset)
    if text[end - offset - 1] == "." and (end - offset) not in {q[1] for q in quotes}:
        end -= 1
    colon = text.index(":", m.end(1))
    return Attribution(
        kind=_kind([(start, end)], quotes, offset),
        content=[(start, end)],
        cue=(colon + offset, colon + 1 + offset),
        source=(m.start(1) + offset, m.end(1) + offset),
        paragraph=paragraph,
        name=name.title() if name.isupper() else name,
        name_kind="person",
        confidence=0.7,
    )
