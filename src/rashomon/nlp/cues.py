"""The attribution cue lexicon: which words introduce what someone said or thinks.

The lemma lists follow the reporting-verb inventories of PARC 3.0 (Pareti 2016) and
of the PolNeAR guidelines (Newell et al., LREC 2018), which count speech ("said"),
cognition ("believes") and evidential sources ("polls show") as attributions;
each lemma was kept only where it scored as a cue on PolNeAR's train split.

spaCy's lemmatizer is not run (it costs more than the rest of the quote rules), so
the inflected forms are generated here, with a table of the irregular ones.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token


def words(text: str) -> list[str]:
    """The whitespace-separated words of a word list written as one string."""
    return text.split()


# Speech acts: they introduce quotes as well as reported speech.
SPEECH = words(
    "say tell add write ask note report announce suggest argue explain acknowledge "
    "declare tweet continue respond reply recall claim warn deny insist predict promise "
    "admit confirm state mention complain charge vow pledge threaten contend "
    "assert allege emphasize stress boast brag concede remark observe comment joke "
    "quip testify reiterate repeat yell shout scream cry whisper tout answer retort "
    "counter caution concur agree disagree proclaim pronounce point lament muse "
    "speculate estimate indicate reveal disclose inform assure remind urge advise "
    "recommend demand propose question wonder post refuse decline express discuss mock "
    "thank highlight attack denounce imply echo slam blast applaud apologize lash hail"
)
# Cognition and evidence ("polls show"): attributions with a clause or an object.
COGNITION = words(
    "think believe know feel hope expect fear worry doubt understand realize learn "
    "hear see find show conclude decide figure guess assume suspect consider "
    "want wish plan intend prefer recognize oppose favor back seem appear"
)
# Stance and evidence verbs PolNeAR annotates as cues ("embraced the plan",
# "decried the ruling", "the letter outlines"): lemmas of its train split's cues
# seen at least three times, kept where they were cues in at least 40% of their
# uses on 300 train articles (the rest of train checks the choice).
STANCE = words(
    "accept adopt advocate aim anticipate appoint articulate assail attempt attribute avoid "
    "ban bemoan boo brush cast challenge chant cheer compare congratulate contrast convince "
    "decry deem deliver determine devote disavow discover distance document downplay email "
    "embrace encourage file focus forecast foresee hammer hate identify ignore insult issue "
    "like list mull name nominate notice offer order outline portray position present "
    "project promote protest publish quote rail rattle read reaffirm recite recount refer "
    "reference release remember resist rule share shrug sign signal sound speak talk target "
    "trumpet underscore utter view voice vote welcome witness"
)
# Evaluation: a stance towards a person or a deed ("criticized the deal").
EVALUATION = words(
    "describe criticize praise endorse defend support cite call accuse blame dismiss reject seek"
)

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
    "make": ("made",), "take": ("took", "taken"), "give": ("gave", "given"),
    "speak": ("spoke", "spoken"), "hold": ("held",), "lay": ("laid",), "draw": ("drew", "drawn"),
    "come": ("came",), "become": ("became",), "go": ("went", "gone"), "get": ("got", "gotten"),
    "run": ("ran",), "bring": ("brought",), "lead": ("led",), "pay": ("paid",),
    "throw": ("threw", "thrown"), "send": ("sent",), "shoot": ("shot",), "strike": ("struck",),
    "leave": ("left",), "keep": ("kept",), "begin": ("began", "begun"), "break": ("broke", "broken"),
    "build": ("built",), "cut": ("cut",), "set": ("set",), "put": ("put",), "read": ("read",),
    "hit": ("hit",), "forget": ("forgot", "forgotten"), "win": ("won",), "stand": ("stood",),
    "meet": ("met",), "choose": ("chose", "chosen"), "sing": ("sang", "sung"), "spend": ("spent",),
    "buy": ("bought",), "withdraw": ("withdrew", "withdrawn"), "rise": ("rose", "risen"),
    "grow": ("grew", "grown"), "foresee": ("foresaw", "foreseen"), "mean": ("meant",),
    "sell": ("sold",), "fight": ("fought",), "teach": ("taught",), "stick": ("stuck",),
}  # fmt: skip
# Irregular verbs whose regular past does exist as well ("showed", "learned").
_ALSO_REGULAR = frozenset(("show", "learn"))
# Verbs that double their final consonant before -ed/-ing.
_DOUBLE = frozenset(
    words(
        "admit quip regret commit plan prefer refer drop stop ban slam rip spot tip bar "
        "label chat scrap occur omit submit permit compel propel shrug"
    )
)


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
    if lemma in _DOUBLE:
        ing_stem = lemma + lemma[-1]
    elif lemma.endswith("e") and not lemma.endswith("ee"):
        ing_stem = lemma[:-1]
    else:
        ing_stem = lemma
    forms.add(ing_stem + "ing")
    if lemma in _IRREGULAR and lemma not in _ALSO_REGULAR:
        # Irregular pasts replace the regular ones ("sayed" is no word).
        forms.discard(stem + "ed")
        forms.discard(stem + "d")
    return forms


def _table(lemmas: list[str]) -> dict[str, str]:
    """Every inflected form of the lemmas, mapped to its lemma."""
    return {form: lemma for lemma in lemmas for form in inflections(lemma)}


SPEECH_FORMS = _table(SPEECH)
COGNITION_FORMS = _table(COGNITION)
EVALUATION_FORMS = _table(EVALUATION)
STANCE_FORMS = _table(STANCE)
# Every cue form and its lemma; the speech reading wins where a form has two.
CUE_FORMS: dict[str, str] = {**STANCE_FORMS, **EVALUATION_FORMS, **COGNITION_FORMS, **SPEECH_FORMS}


# --- The learned cue detector ------------------------------------------------------
#
# PolNeAR annotates attributions broadly ("opened up about", "came under criticism"):
# half of the cues its annotators mark are words no reporting-verb list holds. A
# logistic regression over the verbs of PolNeAR's train split (eval/train_cues.py)
# decides which verbs head a cue; it reads the features below and sums their
# weights, which ``rashomon/data/cue_model.json`` stores (feature names and numbers
# only: no text of the corpus).

CUE_MODEL_FILE = "cue_model.json"
_SUBJECT_DEPS = frozenset(("nsubj", "nsubjpass", "csubj"))
# Dependents whose word is a feature of its own ("pointed to", "came under").
_WORD_DEPS = frozenset(("prep", "prt", "agent", "dobj", "acomp", "mark", "advmod", "neg"))


def lexicon_class(lower: str) -> str:
    """Which cue list holds a form: S(peech), C(ognition), E(valuation), T (stance) or -."""
    if lower in SPEECH_FORMS:
        return "S"
    if lower in COGNITION_FORMS:
        return "C"
    if lower in EVALUATION_FORMS:
        return "E"
    if lower in STANCE_FORMS:
        return "T"
    return "-"


def verb_features(tok: Token, inside: bytearray) -> list[str]:
    """The features of a verb for the cue detector, in a fixed order.

    tok: the verb (a spaCy token); inside: per character of the parsed text, 1
    inside a quotation (as ``quotes.extract_paragraph`` computes it).
    """
    low = tok.lower_
    lex = lexicon_class(low)
    dep = tok.dep_
    tag = tok.tag_
    head = tok.head
    doc = tok.doc
    feats = [
        "w=" + low,
        "lex=" + lex,
        "tag=" + tag,
        "dep=" + dep,
        "lexdep=" + lex + dep,
        "lextag=" + lex + tag,
        "wdep=" + low + "|" + dep,
    ]
    if head.i != tok.i:
        feats.append("head=" + dep + "|" + head.tag_)
        feats.append("headw=" + dep + "|" + head.lower_)
    if inside[tok.idx]:
        feats.append("inq")
        feats.append("inq" + lex)
    i = tok.i
    feats.append("p=" + (doc[i - 1].lower_ if i > 0 else "<s>"))
    feats.append("n=" + (doc[i + 1].lower_ if i + 1 < len(doc) else "</s>"))
    has_subject = False
    for child in tok.children:
        cdep = child.dep_
        feats.append("c=" + cdep)
        feats.append("lexc=" + lex + cdep)
        feats.append("wc=" + low + "|" + cdep)
        if cdep in _SUBJECT_DEPS:
            has_subject = True
            feats.append("stag=" + child.tag_)
            feats.append("sent=" + child.ent_type_)
        elif cdep in _WORD_DEPS:
            feats.append("cw=" + cdep + "|" + child.lower_)
            feats.append("wcw=" + low + "|" + cdep + "|" + child.lower_)
    if not has_subject:
        feats.append("nosubj" + lex)
    return feats


class CueModel:
    """A linear cue detector: a bias, feature weights and two decision thresholds.

    threshold: the score from which a verb is a cue; listed: the same for a verb
    that the cue lists above hold; sourceless: the score from which a verb with no
    subject is a cue all the same (its source left empty).
    """

    __slots__ = ("bias", "listed", "sourceless", "threshold", "weights")

    def __init__(
        self,
        weights: dict[str, float],
        bias: float,
        threshold: float,
        sourceless: float = 99.0,
        listed: float | None = None,
    ) -> None:
        self.weights = weights
        self.bias = bias
        self.threshold = threshold
        self.sourceless = sourceless
        self.listed = threshold if listed is None else listed

    def score(self, feats: list[str]) -> float:
        """The decision value (log-odds) of a verb with these features."""
        get = self.weights.get
        return self.bias + sum(get(f, 0.0) for f in feats)

    def accepts(self, feats: list[str]) -> bool:
        return self.score(feats) >= self.threshold


_MODELS: dict[str, CueModel | None] = {}


def _load(name: str) -> CueModel | None:
    """A packaged linear model, or None when its file is missing."""
    try:
        raw = resources.files("rashomon").joinpath("data", name).read_text("utf-8")
    except (FileNotFoundError, OSError):
        return None
    data = json.loads(raw)
    return CueModel(
        {str(k): float(v) for k, v in data["weights"].items()},
        float(data["bias"]),
        float(data["threshold"]),
        float(data.get("sourceless", 99.0)),
        float(data.get("listed", data["threshold"])),
    )


def cue_model() -> CueModel | None:
    """The packaged cue model, loaded once; None when the file is missing."""
    return packaged_model(CUE_MODEL_FILE)


# Two more logistic regressions (eval/train_speakers.py) judge each attribution the
# rules propose, after the cue detector and the rules have run, over the features
# below: the attribution model gives the chance that it is an attribution at all
# (reported speech scoring below its threshold is dropped), the speaker model the
# chance that its source is the annotated one (PolNeAR's source exact match), which
# becomes the attribution's confidence.
ATTRIBUTION_MODEL_FILE = "attribution_model.json"
SPEAKER_MODEL_FILE = "speaker_model.json"


def packaged_model(name: str) -> CueModel | None:
    """A packaged linear model of rashomon/data, loaded once; None when it is missing."""
    if name not in _MODELS:
        _MODELS[name] = _load(name)
    return _MODELS[name]


def sieved(model: CueModel | None, features: list[str]) -> bool:
    """Whether the attribution model drops a proposal: reported speech only (no
    quotation in its content, "kind=indirect"), scoring below the threshold."""
    return model is not None and "kind=indirect" in features and not model.accepts(features)


def _bucket(n: int, edges: tuple[int, ...]) -> str:
    """The first edge n does not exceed, or "+" past the last ("3" for 3 with (1, 2, 4))."""
    for edge in edges:
        if n <= edge:
            return str(edge)
    return "+"


def attribution_features(
    cue: Token,
    rule: str,
    subj: Token | None,
    source_tokens: int,
    name_kind: str | None,
    kind: str,
    content_tokens: int,
    pieces: int,
    cue_score: float | None,
) -> list[str]:
    """The features of one proposed attribution for the speaker model.

    cue: the cue's head token; rule: which rule proposed it ("clause", "quote",
    "noun", ...); subj: the source's head token or None; source_tokens,
    content_tokens: their lengths in tokens; name_kind: what the source names
    (``quotes.Attribution.name_kind``); kind: direct / indirect / mixed; pieces: how
    many content pieces; cue_score: the cue detector's score of a verb cue, or None.
    """
    low = cue.lower_
    lex = lexicon_class(low)
    src = name_kind or "none"
    feats = [
        "rule=" + rule,
        "w=" + low,
        "lex=" + lex,
        "rl=" + rule + "|" + lex,
        "tag=" + cue.tag_,
        "dep=" + cue.dep_,
        "rdep=" + rule + "|" + cue.dep_,
        "src=" + src,
        "srule=" + src + "|" + rule,
        "slex=" + src + "|" + lex,
        "kind=" + kind,
        "skind=" + src + "|" + kind,
        "slen=" + _bucket(source_tokens, (0, 1, 2, 3, 5, 8, 12)),
        "clen=" + _bucket(content_tokens, (1, 2, 4, 8, 16, 32, 64)),
        "pieces=" + _bucket(pieces, (1, 2, 3)),
    ]
    if cue_score is not None:
        feats.append("cs=" + str(max(-4, min(6, int(cue_score // 1)))))
    if subj is not None:
        feats += [
            "stag=" + subj.tag_,
            "sdep=" + subj.dep_,
            "sent=" + subj.ent_type_,
            "sside=" + ("L" if subj.i < cue.i else "R"),
            "sgap=" + _bucket(abs(cue.i - subj.i), (1, 2, 3, 5, 8, 12)),
        ]
        if subj.tag_ in ("PRP", "WP", "WDT", "DT", "CD", "EX") or subj.lower_ in (
            "that",
            "this",
        ):
            feats.append("sw=" + subj.lower_)
    head = cue.head
    if head.i != cue.i:
        feats.append("head=" + cue.dep_ + "|" + head.tag_)
    i = cue.i
    feats.append("p=" + (cue.doc[i - 1].lower_ if i > 0 else "<s>"))
    feats.append("n=" + (cue.doc[i + 1].lower_ if i + 1 < len(cue.doc) else "</s>"))
    feats.append("first" if i == cue.sent.start else "inner")
    return feats
