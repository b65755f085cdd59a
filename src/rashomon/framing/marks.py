"""Word-level framing marks: scare quotes, hedges, loaded words and attribution verbs.

Each rule reads one article (through its ``ArticleView``) and the story around it, and
returns ``FramingFinding``s whose spans index the article's text. The outlet is judged
by its own voice: words inside quotation marks are the speaker's, so a hedge there is
not reported, and a loaded word there is reported with lower confidence.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from rashomon.entities import word_set
from rashomon.framing.lexicon import (
    attribution_verbs,
    hedges,
    label_classes,
    loaded_words,
    singular,
)
from rashomon.framing.view import ArticleView, speaker_entity
from rashomon.model import Entity, FramingFinding, Quote

# A scare quote is short: "a short quoted phrase of 1-4 words".
MAX_SCARE_WORDS = 4
_WORDS = re.compile(r"[^\W_][\w’'-]*")
# A definite determiner before the quote: the outlet refers to a thing by the quoted word
# ("over the "massacre" in Bucha", "the "peaceful" protesters").
_DEFINITE_BEFORE = re.compile(
    r"\b(?:the|this|that|these|those|its|their|so-called)\s+$", re.IGNORECASE
)
# Verbs that report someone's name for a thing ("called the operation a «security operation»").
_NAMING = word_set(
    "call called calls calling describe described describes describing brand branded "
    "brands label labelled labeled labels dub dubbed dubs term termed terms dismiss "
    "dismissed dismisses"
)
_NAMING_BEFORE = re.compile(
    r"\b(?:call(?:s|ed|ing)?|describ(?:e|es|ed|ing)|brand(?:s|ed|ing)?|label(?:s|led|ed|ling)?|dub(?:s|bed|bing)?|"
    r"term(?:s|ed)?|dismiss(?:es|ed)?)\b[^.;!?]{0,60}?\b(?:as|a|an)?\s*$",
    re.IGNORECASE,
)
# A non-neutral verb form found by scanning, used as a verb: not after a determiner or a
# possessive ("the claims", "his admission") and followed by a clause or an object.
_NOUN_BEFORE = re.compile(
    r"\b(?:the|a|an|his|her|its|their|our|my|your|these|those|such|any|new|false|"
    r"unfounded|baseless|earlier|previous|similar|repeated|these|of|and the)\s+$",
    re.IGNORECASE,
)
_CLAUSE_AFTER = re.compile(
    r"^(?:,|\s+(?:that|the|a|an|it|he|she|they|we|his|her|its|their)\b|\s+[A-Z])"
)
# Verbs scanned for outside the annotated cues: the reporting verbs with few other senses
# ("maintained the blockade", "attacked police", "admitted to hospital" are not reports).
_SCANNED = frozenset(("claim", "allege", "insist", "concede", "contend", "boast", "brag"))


def _words(text: str) -> list[str]:
    return _WORDS.findall(text)


def unquoted_text(view: ArticleView) -> str:
    """The article's scanned text with everything in quotation marks blanked out (lower case),
    to test whether an outlet uses a word in its own voice."""
    chars = list(view.text.lower())
    for s, e in view.quoted:
        chars[s:e] = " " * (e - s)
    return " \n ".join("".join(chars[s:e]) for s, e in view.regions)


# --- scare quotes ---------------------------------------------------------------------


def find_scare_quotes(
    view: ArticleView, story: Sequence[ArticleView], own_voice: dict[str, str]
) -> list[FramingFinding]:
    """Short quoted phrases (1-4 words) that the outlet puts at arm's length rather than
    quotes as someone's statement. The rules, in order (decided on the seeds and the
    examples; see tests/framing/test_framing.py for the table):

    - the whole content of a direct quote, or words a headline credits at its end
      ("… 'hysteria:' Lavrov"), are quotations, not scare quotes;
    - a phrase that stands in no attribution is a scare quote (no one is quoted);
    - inside an attribution it is a scare quote when the outlet reports the statement with a
      distancing verb (claim, allege, insist: "insists its forces showed "restraint""), when
      it refers to a thing by the quoted word after a definite determiner ("over the
      "massacre" in Bucha"), or when it reports someone's name for a participant or event
      (call, describe as, brand) and the name is a contested label: in the label classes or
      the loaded words, or used unquoted by another outlet of the story ("described the
      strikers as «rioters»" where the state broadcaster writes "rioters");
    - otherwise it is a partial quotation of the speaker's own words ("accused the West of
      fuelling "hysteria"", "made "progress""): Rashomon's reading of the seeds is that Press
      TV quotes Lavrov's word there, which is reported as his quote, not as a scare quote.
    """
    text = view.text
    found: list[FramingFinding] = []
    verbs = attribution_verbs()
    for start, end in view.quoted:
        inner = text[start + 1 : end - 1]
        words = _words(inner)
        if not 1 <= len(words) <= MAX_SCARE_WORDS or inner.rstrip().endswith(("?", "!")):
            continue
        if not any(s <= start < e for s, e in view.regions):
            continue
        if any(s <= start and end <= e and (e - s) - (end - start) <= 3 for s, e in view.direct):
            continue  # a short quote in its own right: “Never,” he said.
        if view.heading_speaker(start):
            continue
        attribution = view.attribution_at(start, end) or view.sentence_attribution(start, end)
        before = text[max(0, start - 80) : start]
        phrase = " ".join(words)
        if attribution is not None and attribution.speaker is not None:
            who, cue = attribution.speaker, (attribution.cue or "").split()
        else:
            # The extractor found no source: a reporting verb before the quote in its
            # sentence still makes it someone's words ("told commanders … "at any cost"").
            verb_before = _reporting_verb_before(view, start)
            if verb_before is None:
                found.append(
                    view.finding(
                        "scare_quote",
                        start,
                        end,
                        f"“{phrase}” in quotation marks, attributed to no one",
                        confidence=0.8,
                    )
                )
                continue
            who, cue = "the source", [verb_before]
        cue_word = cue[0].lower().strip(":,") if cue else ""
        verb = verbs.get(cue_word)
        if verb is not None and verb.kind in ("distancing", "assertive"):
            note = (
                f"“{phrase}” quoted from {who} under “{' '.join(cue)}”, which distances the outlet"
            )
            found.append(view.finding("scare_quote", start, end, note, confidence=0.6))
        elif _DEFINITE_BEFORE.search(before):
            note = f"refers to it as “{phrase}” in quotation marks (a word of {who}), keeping its distance"
            found.append(view.finding("scare_quote", start, end, note, confidence=0.7))
        elif cue_word in _NAMING or _NAMING_BEFORE.search(before):
            others = [v.id for v in story if v.id != view.id and _uses(own_voice[v.id], phrase)]
            if others or _contested(words):
                why = (
                    f"; {', '.join(others)} use{'s' if len(others) == 1 else ''} it unquoted"
                    if others
                    else "; a contested label"
                )
                note = f"{who}'s label “{phrase}” held at arm's length{why}"
                found.append(view.finding("scare_quote", start, end, note, confidence=0.6))
    return found


def _reporting_verb_before(view: ArticleView, start: int) -> str | None:
    """The last reporting verb (any class of the table) before ``start`` in its sentence."""
    sent = next((s for s in view.annotation.sentences if s.start <= start < s.end), None)
    if sent is None:
        return None
    verbs = attribution_verbs()
    found = [
        m.group()
        for m in _WORDS.finditer(view.text[sent.start : start])
        if m.group().lower() in verbs
    ]
    return found[-1] if found else None


def _uses(own_voice: str, phrase: str) -> bool:
    return (
        re.search(
            r"(?<![\w-])" + re.escape(phrase.lower()).replace(r"\ ", r"\s+") + r"(?![\w-])",
            own_voice,
        )
        is not None
    )


def _contested(words: list[str]) -> bool:
    """A label class head or a loaded word among the quoted words."""
    classes = label_classes()
    lowered = [w.lower() for w in words]
    for n in (2, 1):
        for i in range(len(lowered) - n + 1):
            if " ".join(singular(w) for w in lowered[i : i + n]) in classes:
                return True
    joined = " ".join(lowered)
    return any(t.pattern.search(joined) for t in loaded_words())


# --- hedges and loaded words ----------------------------------------------------------


def find_hedges(view: ArticleView) -> list[FramingFinding]:
    """Hedge phrases in the outlet's own voice (``hedges.tsv``), and attributions whose
    verb presents the statement as a mere claim ("Teodor Vashkin claimed that …")."""
    found: list[FramingFinding] = []
    seen: set[tuple[int, int]] = set()
    for rs, re_ in view.regions:
        segment = view.text[rs:re_]
        for term in hedges():
            for m in term.pattern.finditer(segment):
                s, e = rs + m.start(), rs + m.end()
                if view.in_direct_quote(s, e) or (s, e) in seen:
                    continue
                seen.add((s, e))
                found.append(
                    view.finding("hedge", s, e, f"{term.kind}: {term.note}", confidence=0.8)
                )
    verbs = attribution_verbs()
    for q in view.annotation.quotes:
        if q.cue is None or q.cue_start is None or q.cue_end is None:
            continue
        verb = verbs.get(q.cue.split()[0].lower().strip(":,")) if q.cue.split() else None
        if verb is None or verb.kind != "distancing" or (q.cue_start, q.cue_end) in seen:
            continue
        seen.add((q.cue_start, q.cue_end))
        who = q.speaker or "the source"
        found.append(
            view.finding(
                "hedge",
                q.cue_start,
                q.cue_end,
                f"reports {who}'s statement as a claim (“{q.cue}”)",
                confidence=0.7,
            )
        )
    return found


def find_loaded(view: ArticleView, scare: Sequence[FramingFinding]) -> list[FramingFinding]:
    """Loaded words (``loaded.tsv``). In the outlet's own voice: confidence 0.8; in reported
    speech: 0.6, naming the speaker; inside quotation marks: 0.5 (the speaker's word, the
    outlet's choice to print it); inside a scare quote: not reported (the scare quote is)."""
    found: list[FramingFinding] = []
    seen: set[tuple[int, int]] = set()
    scare_spans = [(f.start, f.end) for f in scare]
    for rs, re_ in view.regions:
        segment = view.text[rs:re_]
        for term in loaded_words():
            for m in term.pattern.finditer(segment):
                s, e = rs + m.start(), rs + m.end()
                if (s, e) in seen or any(a <= s and e <= b for a, b in scare_spans):
                    continue
                seen.add((s, e))
                neutral = f"; neutral: {term.note}" if term.note else ""
                attribution = view.attribution_at(s, e)
                who = (
                    attribution.speaker if attribution is not None and attribution.speaker else None
                )
                if view.in_direct_quote(s, e):
                    note = f"{term.kind}, in a quotation{f' of {who}' if who else ''}{neutral}"
                    found.append(view.finding("loaded", s, e, note, confidence=0.5))
                elif who:
                    note = f"{term.kind}, in reported speech of {who}{neutral}"
                    found.append(view.finding("loaded", s, e, note, confidence=0.6))
                else:
                    found.append(
                        view.finding("loaded", s, e, f"{term.kind}{neutral}", confidence=0.8)
                    )
    return found


# --- attribution verbs ----------------------------------------------------------------


def find_attribution_verbs(
    view: ArticleView, story: Sequence[ArticleView], entities: Sequence[Entity]
) -> list[FramingFinding]:
    """Non-neutral attribution verbs (``attribution_verbs.tsv``): the annotated cues, plus
    such verbs that the quote extractor did not take as cues ("and claims the demonstrators
    hurled …"). The note names the class and, for the same speaker, the verbs the other
    outlets chose ("claimed" here, "said" in the wire copy). A scanned distancing verb is
    also returned as a hedge, as ``find_hedges`` does for distancing cues."""
    verbs = attribution_verbs()
    others = _cues_by_speaker(story, entities)
    found: list[FramingFinding] = []
    seen: set[tuple[int, int]] = set()
    for q in view.annotation.quotes:
        if (
            q.cue is None
            or q.cue_start is None
            or q.cue_end is None
            or (q.cue_start, q.cue_end) in seen
        ):
            continue
        word = q.cue.split()[0].lower().strip(":,") if q.cue.split() else ""
        verb = verbs.get(word)
        if verb is None or verb.kind == "neutral":
            continue
        seen.add((q.cue_start, q.cue_end))
        entity = speaker_entity(view, q, entities)
        elsewhere = ""
        if entity is not None:
            alt = sorted(
                {
                    f"“{c}” ({a})"
                    for a, c in others.get(entity.id, ())
                    if a != view.id and c.lower() != word
                }
            )
            elsewhere = f"; for {entity.name} other outlets use {', '.join(alt)}" if alt else ""
        note = f"“{q.cue}” ({verb.kind}: {verb.note}) for {q.speaker or 'an unnamed source'}{elsewhere}"
        found.append(
            view.finding(
                "attribution_verb",
                q.cue_start,
                q.cue_end,
                note,
                entity=entity.id if entity else None,
                confidence=0.8,
            )
        )
    cue_spans = [
        (q.cue_start, q.cue_end)
        for q in view.annotation.quotes
        if q.cue_start is not None and q.cue_end is not None
    ]
    for rs, re_ in view.regions:
        segment = view.text[rs:re_]
        for m in _WORDS.finditer(segment):
            verb = verbs.get(m.group().lower())
            if verb is None or verb.lemma not in _SCANNED or m.group().lower() == verb.lemma:
                continue  # the bare lemma is as often a noun ("a claim") as a verb
            s, e = rs + m.start(), rs + m.end()
            in_cue = any(a is not None and b is not None and a <= s < b for a, b in cue_spans)
            if (s, e) in seen or in_cue or view.in_direct_quote(s, e):
                continue
            form = m.group().lower()
            if not form.endswith("ed") and (
                _NOUN_BEFORE.search(segment[: m.start()])
                or not _CLAUSE_AFTER.match(segment[m.end() :])
            ):
                continue
            if (
                form.endswith("ed")
                and _NOUN_BEFORE.search(segment[: m.start()])
                and not segment[: m.start()].rstrip().endswith("and")
            ):
                continue  # "the alleged", "a claimed": adjectives, hedges rather than verbs
            seen.add((s, e))
            found.append(
                view.finding(
                    "attribution_verb",
                    s,
                    e,
                    f"“{m.group()}” ({verb.kind}: {verb.note})",
                    confidence=0.6,
                )
            )
            if verb.kind == "distancing":
                found.append(
                    view.finding(
                        "hedge",
                        s,
                        e,
                        f"reports a statement as a claim (“{m.group()}”)",
                        confidence=0.6,
                    )
                )
    return found


def _cues_by_speaker(
    story: Sequence[ArticleView], entities: Sequence[Entity]
) -> dict[str, list[tuple[str, str]]]:
    """Entity id -> (article, cue word) of every cue the story uses for that speaker."""
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for view in story:
        for q in view.annotation.quotes:
            if not q.cue:
                continue
            entity = speaker_entity(view, q, entities)
            if entity is not None:
                out[entity.id].append((view.id, _cue_word(q)))
    return out


def _cue_word(q: Quote) -> str:
    return (q.cue or "").split()[0].strip(":,") if (q.cue or "").split() else ""
