"""The attribution cue lexicon: which words introduce what someone said or thinks.

The lemma lists follow the reporting-verb inventories of PARC 3.0 (Pareti 2016) and
of the PolNeAR guidelines (Newell et al., LREC 2018), which count speech ("said"),
cognition ("believes") and evidential sources ("polls show") as attributions;
each lemma was kept only where it scored as a cue on PolNeAR's train split.

spaCy's lemmatizer is not run (it costs more than the rest of the quote rules), so
the inflected forms are generated here, with a table of the irregular ones.
"""

from __future__ import annotations

# Speech acts: they introduce quotes as well as reported speech.
SPEECH = (
    "say tell add write ask note report announce suggest argue explain acknowledge "
    "declare tweet continue respond reply recall claim warn deny insist predict promise "
    "admit confirm state mention complain charge vow pledge threaten contend maintain "
    "assert allege emphasize stress boast brag concede remark observe comment joke "
    "quip testify reiterate repeat yell shout scream cry whisper tout answer retort "
    "counter caution concur agree disagree proclaim pronounce point lament muse "
    "speculate estimate indicate reveal disclose inform assure remind urge advise "
    "recommend demand propose question wonder post refuse decline express discuss mock thank highlight attack denounce imply echo slam blast tout applaud apologize lash praise hail"
).split()
# Cognition and evidence: attributions only with a clause as content.
COGNITION = (
    "think believe know feel hope expect fear worry doubt understand realize learn "
    "hear see find show conclude decide figure guess assume suspect consider "
    "want wish plan intend prefer imagine recognize oppose favor back seem appear"
).split()
# Verbs whose content may be a plain noun phrase ("criticized the deal").
NP_CONTENT = frozenset(
    "deny announce propose describe criticize praise endorse defend support cite "
    "call accuse blame dismiss reject question demand want seek".split()
)
# Verbs only counted with a direct quote or a that-clause, never with an NP.
NP_EXTRA = ("describe criticize praise endorse defend support cite call accuse blame dismiss "
            "reject seek").split()

_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("said",),
    "tell": ("told",),
    "write": ("wrote", "written"),
    "think": ("thought",),
    "find": ("found",),
    "see": ("saw", "seen"),
    "seek": ("sought",),
    "hear": ("heard",),
    "know": ("knew", "known"),
    "feel": ("felt",),
    "understand": ("understood",),
    "show": ("shown",),
    "learn": ("learnt",),
}
# Verbs that double their final consonant before -ed/-ing.
_DOUBLE = frozenset("admit quip regret commit plan prefer refer".split())


def inflections(lemma: str) -> set[str]:
    """The forms of a regular English verb plus the listed irregular ones."""
    forms = {lemma, *_IRREGULAR.get(lemma, ())}
    if lemma.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(lemma + "es")
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if lemma in _DOUBLE:
        stem = lemma + lemma[-1]
    elif lemma.endswith("e"):
        stem = lemma[:-1]
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        stem = lemma[:-1] + "i"
    else:
        stem = lemma
    forms.add(stem + ("d" if stem.endswith("e") else "ed"))
    ing_stem = lemma + lemma[-1] if lemma in _DOUBLE else (lemma[:-1] if lemma.endswith("e") and lemma not in ("see", "agree", "disagree") else lemma)
    forms.add(ing_stem + "ing")
    if lemma in _IRREGULAR and lemma not in ("show", "learn"):
        # Irregular pasts replace the regular ones ("sayed" is no word).
        forms.discard(stem + "ed")
        forms.discard(stem + "d")
    return forms


def _table(lemmas: list[str] | tuple[str, ...]) -> dict[str, str]:
    return {form: lemma for lemma in lemmas for form in inflections(lemma)}


SPEECH_FORMS = _table(SPEECH)
COGNITION_FORMS = _table(COGNITION)
EXTRA_FORMS = _table(NP_EXTRA)
CUE_FORMS: dict[str, str] = {**EXTRA_FORMS, **COGNITION_FORMS, **SPEECH_FORMS}
