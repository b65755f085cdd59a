"""Entities across articles: one person, place or organisation, however each outlet names it.

``canonicalise_entities(articles, annotations)`` partitions every name mention of a story
into entities (Kiev = Kyiv, Zelensky = Zelenskyy, Peskov = Dmitry Peskov) and keeps each
outlet's surface forms. The method is a sieve of precise rules applied in order, after
the multi-pass sieve of Lee et al. (2013, "Deterministic coreference resolution based on
entity-centric, precision-ranked rules") and the cross-document merging steps of
Hamborg, Zhukova & Gipp (2019, NewsWCL50's target concept analysis):

1. candidates: the annotation's NER mentions, plus capitalised spans the model missed
   (the small model finds no "Kyiv" in the seed story). NER labels are one vote among
   several and never decide alone: the model tags "Kiev" PERSON and "Bucha" ORG;
2. names trimmed of titles, articles and possessives ("Kremlin spokesman Dmitry
   Peskov" -> "Dmitry Peskov", "Holt & Varen's" -> "Holt & Varen");
3. within one article: same key; a lone surname joins the full name it abbreviates;
   an acronym joins its expansion;
4. across articles: same key; a packaged table of exonyms and aliases (Kiev = Kyiv,
   US = United States); transliteration keys (Vaškin = Vashkin); person names by
   surname with compatible given names (John Smith is never Jane Smith); a lone
   surname only where one person of the story bears it; acronyms; word-order
   variants of organisation names ("Interior Ministry" = "Ministry of Interior");
   compounds written as one word ("Port Alver" = "Portalver");
5. metonymy: a capital or seat of government used as an actor ("Moscow denies",
   "the Kremlin said", "talks between Moscow and Kyiv") joins its country, with lower
   confidence; "in Moscow" stays a city;
6. a type by vote (tables, context, NER labels), the canonical name (most common full
   form), and ids ordered by size so that they do not depend on the order of the input.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rashomon.entities.names import (
    fold,
    given_compatible,
    joined,
    lexicon_rows,
    name_tables,
    name_tokens,
    same_name,
    same_token,
    title_words,
    translit,
    word_set,
)
from rashomon.model import Annotation, Article, Entity, EntityMention

__all__ = [
    "canonicalise_entities",
    "fold",
    "lexicon_rows",
    "name_tokens",
    "same_name",
    "title_words",
    "translit",
    "word_set",
]


# Confidence of each kind of merge; an entity's confidence is its weakest merge.
EXACT, ALIAS, TRANSLIT, SURNAME, ACRONYM, METONYM = 1.0, 0.95, 0.9, 0.85, 0.9, 0.7
# A lone surname goes to the most named person of that surname when that person is named
# this many times as often as the next one.
DOMINANT = 3
# Words that may join capitalised words inside one name ("Bank of England").
_CONNECTORS = word_set("of de du des la le al el bin ibn van von der den da di y &")
_STOP_NAMES = word_set(
    "i a an the this that these those he she it we they you his her its their our my your "
    "monday tuesday wednesday thursday friday saturday sunday january february march "
    "april may june july august september october november december jan feb mar apr jun "
    "jul aug sep sept oct nov dec mr mrs ms dr st today yesterday tomorrow but and or if "
    "when while as after before in on at for with by from to of not no yes"
)
# Generational suffixes: "Donald Trump Jr" is another person than "Donald Trump".
_GENERATIONAL = frozenset(("jr", "sr", "ii", "iii", "iv"))
# Portfolios that the model tags ORG inside a title ("Interior Minister Mirko Dallan").
_PORTFOLIOS = word_set(
    "interior foreign defence defense finance justice health education trade economy home "
    "energy transport agriculture labour labor culture environment treasury"
)
_PORTFOLIO_AFTER = re.compile(r"^\s+(?:minister|secretary|ministry|department)\b", re.IGNORECASE)
# Context words that make a mention a place ("in Bucha", "the town of Bucha").
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|near|outside|around|across|into|at|from|towards?|of the (?:town|city|village|region|province|district|capital|port) of|"
    r"(?:town|city|village|region|province|district|capital|port) of)\s+(?:the\s+)?|\b(?:capital|city|town|village|port),\s+)$",
    re.IGNORECASE,
)
_PLACE_AFTER = re.compile(
    r"^\s+(?:region|province|oblast|district|city|suburbs?|airport|residents)\b", re.IGNORECASE
)
_ORG_SUFFIX = word_set(
    "ministry office party union council committee association agency bank company "
    "corporation group inc ltd llc plc corp co press news times post agency court "
    "commission authority department police army forces service services federation "
    "league foundation institute university school hospital academy organisation "
    "organization network broadcasting terminals terminal holdings airlines airways shipping "
    "industries enterprises partners motors railways limited"
)
# What only a country or region has: "Valdora's government", "Valdora's largest port".
_PLACE_POSSESSED = re.compile(
    r"^['’]s\s+(?:\w+\s+){0,2}?(?:government|capital|economy|president|prime\s+minister|parliament|"
    r"border|borders|population|largest\s+(?:city|port)|biggest\s+(?:city|port)|"
    r"largest\s+trading\s+partner|interior\s+ministry|foreign\s+ministry)\b",
    re.IGNORECASE,
)
# A capital used as an actor: it says, denies, accuses, meets, ... (checked after the name).
_ACTOR_VERBS = (
    "has|have|had|is|was|will|would|could|should|must|may|might|did|does|"
    "says|said|say|denies|denied|deny|accuses|accused|claims|claimed|urges|urged|insists|insisted|"
    "wants|wanted|believes|believed|rejects|rejected|warns|warned|announced|announces|meets|met|"
    "demands|demanded|refuses|refused|agreed|agrees|responded|responds|threatened|threatens|"
    "called|calls|sent|sends|signed|signs|launched|launches|blamed|blames|dismissed|dismisses|"
    "vowed|vows|hopes|hoped|insists|maintains|maintained|argues|argued|considers|considered|"
    "requested|requests|asked|asks|seeks|sought|supports|supported|opposes|opposed|expects|expected"
)
_ACTOR_AFTER = re.compile(
    rf"^(?:\s+and\s+(?:the\s+)?[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)?\s+(?:{_ACTOR_VERBS})\b"
)
_ACTOR_POSSESSED = re.compile(
    r"^(?:’s|'s|’)\s+(?:forces|troops|army|military|government|demands|list|position|allies|officials|"
    r"diplomats|envoys?|delegation|negotiators|decision|claims?|version|account|response|policy|"
    r"war|invasion|offensive|aggression|leadership|refusal|denial|request|proposal|stance|plans?)\b"
)
_ACTOR_BEFORE = re.compile(
    r"(?:\b(?:between|sanctions (?:on|against)|pressure on|signal (?:be )?sent to|(?:accused|urged|asked|told|warned|"
    r"called on|pressed|condemned|criticised|criticized|blamed)(?: the)?)\s+(?:\w+\s+and\s+)?)$",
    re.IGNORECASE,
)
# Context that makes a place a state of a federation or a country ("@" marks the name).
_SUBNATIONAL = re.compile(
    r"\b(?:state of|U\.?S\.? state(?: of)?|governor of)\s+(?:the\s+)?@|"
    r"@(?:’s|'s)?\s+(?:governor|state legislature|state senate|county|congressional)\b",
    re.IGNORECASE,
)
_NATIONAL = re.compile(
    r"\b(?:republic of|country of|nation of|former Soviet (?:republic|state) of)\s+(?:the\s+)?@|"
    r"@(?:’s|'s)?\s+(?:president|prime minister|parliament|foreign minister|foreign ministry|embassy)\b",
    re.IGNORECASE,
)
_BETWEEN_AND = re.compile(r"\bbetween\s+[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?\s+and\s+$")


# --- candidates -----------------------------------------------------------------------


@dataclass(slots=True)
class _Cand:
    """One name mention of one article, trimmed, with its evidence."""

    article: str
    start: int
    end: int
    text: str
    tokens: tuple[str, ...]
    label: str  # NER label, or "" for a capitalised span the model missed
    index: int  # order within the article
    place: int = 0  # votes from context and tables
    person: int = 0
    org: int = 0
    actor: bool = False  # used as an actor (for metonymy)
    sense: str = ""  # "national" or "subnational" where the context says which
    metonym: bool = False  # joined its country's entity by metonymy

    @property
    def key(self) -> str:
        return joined(self.tokens)


_WORD = re.compile(r"[^\W\d_][\w’'.&-]*")


def _trim(
    text: str, start: int, end: int, label: str, titles: frozenset[str]
) -> tuple[int, int] | None:
    """The span of the name itself: articles, titles (for people) and possessives off."""
    span = text[start:end]
    words = list(re.finditer(r"\S+", span))
    first = 0
    while first < len(words) - 1 and words[first].group().lower() in ("the", "a", "an"):
        first += 1
    # Titles are trimmed off people ("President Trump"), and off other names only when
    # two or more capitalised words remain ("Dr Ines Varga" tagged ORG), so that
    # "General Motors" keeps its first word.
    while first < len(words) - 1 and words[first].group().lower().strip(",") in titles:
        rest = [w.group() for w in words[first + 1 :]]
        if label != "PERSON" and (
            len(rest) < 2
            or not all(w[:1].isupper() for w in rest)
            or any(w.lower() in _ORG_SUFFIX or re.search(r"(?:'s|’s)$", w) for w in rest)
        ):
            break
        first += 1
    if first >= len(words):
        return None
    s = start + words[first].start()
    e = start + words[-1].end()
    tail = text[s:e]
    m = re.search(r"(?:’s|'s|’|')$", tail)
    if m and m.start() > 0:
        e -= len(m.group())
    while (
        e > s
        and text[e - 1] in ",.;:)]}\"'»”’"
        and not (text[e - 1] == "." and re.search(r"\b[A-Z]\.$", text[s:e]))
    ):
        e -= 1
    return (s, e) if e > s else None


def _candidates(article: Article, annotation: Annotation, known: set[str]) -> list[_Cand]:
    """NER mentions plus capitalised spans the model missed, in text order."""
    text = article.text
    titles = name_tables().titles
    cands: list[_Cand] = []
    covered: list[tuple[int, int]] = []
    for m in annotation.mentions:
        start, end = _widen_caps(text, m.start, m.end)
        span = _trim(text, start, end, m.label, titles)
        if span is None:
            continue
        tokens = name_tokens(text[span[0] : span[1]])
        if not tokens or joined(tokens) in _STOP_NAMES:
            continue
        if (
            len(tokens) == 1
            and tokens[0] in _PORTFOLIOS
            and _PORTFOLIO_AFTER.match(text[span[1] : span[1] + 30])
        ):
            continue  # "Interior" of "Interior Minister": part of a title, not a name
        cands.append(
            _Cand(article.id, span[0], span[1], text[span[0] : span[1]], tokens, m.label, 0)
        )
        covered.append((m.start, m.end))
    for start, end in _capitalised_spans(article, annotation, known):
        if any(s < end and start < e for s, e in covered):
            continue
        span = _trim(text, start, end, "", titles)
        if span is None:
            continue
        tokens = name_tokens(text[span[0] : span[1]])
        if tokens and joined(tokens) not in _STOP_NAMES and not all(t in titles for t in tokens):
            cands.append(
                _Cand(article.id, span[0], span[1], text[span[0] : span[1]], tokens, "", 0)
            )
    # A mention inside another ("Smith" of "John Smith") is part of it.
    cands.sort(key=lambda c: (c.start, -c.end))
    kept: list[_Cand] = []
    for c in cands:
        if kept and c.end <= kept[-1].end:
            continue
        kept.append(c)
    cands = kept
    speakers = [
        (q.speaker_start, q.speaker_end)
        for q in annotation.quotes
        if q.speaker_start is not None and q.speaker_end is not None
    ]
    capitals = _capitals_of()
    keys = {c.key for c in cands}
    for i, c in enumerate(cands):
        c.index = i
        _add_evidence(c, text)
        if not c.sense and capitals.get(c.key, set()) & keys:
            c.sense = "national"  # "Georgia" in an article that names Tbilisi
        # The source of an attribution is an actor ("Kyiv and the West say ...").
        c.actor = c.actor or any(s <= c.start and c.end <= e for s, e in speakers)
    return cands


def _capitals_of() -> dict[str, set[str]]:
    """Country key -> the keys of its capitals and seats (``capitals.tsv``)."""
    out: dict[str, set[str]] = defaultdict(set)
    for place, (country, _kind) in name_tables().seats.items():
        out[joined(name_tokens(country))].add(place)
    return out


def _widen_caps(text: str, start: int, end: int) -> tuple[int, int]:
    """An all-capitals mention takes in the all-capitals words beside it ("PORT ALVER",
    where the model tagged only "ALVER"): datelines are set in capitals."""
    if not text[start:end].isupper():
        return start, end
    m = re.search(r"(?:\b[A-Z][A-Z’'.-]+ )+$", text[max(0, start - 40) : start])
    if m:
        start -= len(m.group())
    m = re.match(r"(?: [A-Z][A-Z’'.-]+\b)+", text[end : end + 40])
    if m:
        end += len(m.group())
    return start, end


def _capitalised_spans(
    article: Article, annotation: Annotation, known: set[str]
) -> Iterable[tuple[int, int]]:
    """Runs of capitalised words inside sentences. A run whose capital letter says
    nothing (first word of a sentence or of a quotation, a headline, all capitals) is
    kept only when the story knows the name from elsewhere (``known``)."""
    text = article.text
    headings = {i for i, p in enumerate(article.paragraphs) if p.kind != "body"}
    for sent in annotation.sentences:
        body = text[sent.start : sent.end]
        words = [(m.start() + sent.start, m.end() + sent.start) for m in _WORD.finditer(body)]
        if not words:
            continue
        capitalised = sum(1 for s, _e in words if text[s].isupper())
        headline = sent.paragraph in headings or (
            len(words) >= 4 and capitalised / len(words) > 0.6
        )
        i = 0
        while i < len(words):
            s, e = words[i]
            if not text[s].isupper():
                i += 1
                continue
            j = i
            run_end = e
            while j + 1 < len(words):
                ns, ne = words[j + 1]
                gap = text[run_end:ns]
                if gap == " " and text[ns].isupper():
                    j, run_end = j + 1, ne
                elif (
                    gap == " "
                    and text[ns:ne].lower() in _CONNECTORS
                    and j + 2 < len(words)
                    and text[ne : words[j + 2][0]] == " "
                    and text[words[j + 2][0]].isupper()
                ):
                    j, run_end = j + 2, words[j + 2][1]
                else:
                    break
            before = text[max(sent.start, s - 3) : s]
            initial = s == sent.start or bool(re.search(r"[“\"‘«(:—–-]\s*$", before)) or headline
            span_text = text[s:run_end]
            key = joined(name_tokens(span_text))
            shouty = span_text.isupper() and len(span_text.replace(".", "")) > 5
            if (not initial and not shouty) or key in known:
                yield s, run_end
            elif initial and j > i:
                # "Kyiv and ...": a sentence-initial run; try it without its first word.
                rest = text[words[i + 1][0] : run_end]
                if joined(name_tokens(rest)) in known:
                    yield words[i + 1][0], run_end
            i = j + 1


def _add_evidence(c: _Cand, text: str) -> None:
    """Type votes from the NER label, the tables and the words around the mention."""
    tables = name_tables()
    weight = {
        "PERSON": (0, 1, 0),
        "ORG": (0, 0, 1),
        "GPE": (1, 0, 0),
        "LOC": (1, 0, 0),
        "FAC": (1, 0, 0),
    }
    place, person, org = weight.get(c.label, (0, 0, 0))
    # The tables outvote the model: "Kiev" is a place whatever its NER label.
    seat = tables.seats.get(c.key)
    aid = tables.alias.get(c.key)
    if (seat and seat[1] == "capital") or (aid is not None and tables.alias_type[aid] == "GPE"):
        place += 5
    elif (seat and seat[1] == "seat") or aid is not None:
        org += 5
    before = text[max(0, c.start - 60) : c.start]
    after = text[c.end : c.end + 40]
    if _PLACE_BEFORE.search(before) or _PLACE_AFTER.match(after) or _PLACE_POSSESSED.match(after):
        place += 2
    prev = re.search(r"([\w.]+)\s+$", before)
    if prev and prev.group(1).lower() in tables.titles:
        person += 2
    if c.tokens and c.tokens[-1] in _ORG_SUFFIX:
        org += 2
    c.place, c.person, c.org = place, person, org
    c.actor = bool(
        _ACTOR_AFTER.match(text[c.end : c.end + 80]) or _ACTOR_POSSESSED.match(after)
    ) and not _PLACE_BEFORE.search(before)
    c.actor = c.actor or bool(_ACTOR_BEFORE.search(before) or _BETWEEN_AND.search(before))
    window = f"{text[max(0, c.start - 40) : c.start]}@{text[c.end : c.end + 40]}"
    if _SUBNATIONAL.search(window):
        c.sense = "subnational"
    elif _NATIONAL.search(window):
        c.sense = "national"


# --- chains within an article ---------------------------------------------------------


@dataclass(slots=True)
class _Chain:
    """The mentions of one name within one article (step 3), merged across articles later."""

    article: str
    cands: list[_Cand] = field(default_factory=list)
    confidence: float = 1.0

    @property
    def forms(self) -> set[tuple[str, ...]]:
        return {c.tokens for c in self.cands}

    @property
    def longest(self) -> tuple[str, ...]:
        return max(self.forms, key=lambda t: (len(t), t))

    def votes(self) -> tuple[int, int, int]:
        return (
            sum(c.place for c in self.cands),
            sum(c.person for c in self.cands),
            sum(c.org for c in self.cands),
        )

    def sense(self) -> str:
        """What the article's context makes the place: a state of a federation ("the state
        of Georgia", "Atlanta, Georgia") or a country ("the former Soviet republic of
        Georgia", or its capital named in the article); "" when it says nothing."""
        senses = {c.sense for c in self.cands if c.sense}
        return senses.pop() if len(senses) == 1 else ""

    def titled(self) -> bool:
        """Named with a title somewhere ("President Jordan"): strong evidence of a person."""
        return any(c.person >= 2 for c in self.cands)

    def personal(self) -> bool:
        place, person, org = self.votes()
        return person > max(place, org) and name_tables().alias.get(joined(self.longest)) is None


def _lone_name(ch: _Chain) -> bool:
    """A one-word name that may be a surname: not a known place or body, not used as a place."""
    if len(ch.longest) != 1:
        return False
    tables = name_tables()
    key = ch.longest[0]
    place, person, org = ch.votes()
    return key not in tables.alias and key not in tables.seats and place <= person + org


def _is_acronym(c: _Cand) -> bool:
    raw = c.text.replace(".", "")
    return 2 <= len(raw) <= 6 and raw.isalpha() and raw.isupper()


def _initials(tokens: Sequence[str]) -> str:
    return "".join(
        t[0] for t in tokens if t not in _CONNECTORS and t not in ("and", "for", "on", "in")
    )


def _article_chains(cands: list[_Cand]) -> list[_Chain]:
    """Step 3: same key, then lone surnames and acronyms, within one article."""
    by_key: dict[str, _Chain] = {}
    chains: list[_Chain] = []
    for c in cands:
        chain = by_key.get(c.key)
        if chain is None:
            chain = _Chain(c.article)
            by_key[c.key] = chain
            chains.append(chain)
        chain.cands.append(c)
    full = [ch for ch in chains if len(ch.longest) >= 2 and ch.personal()]
    merged: set[int] = set()
    for ch in chains:
        if not _lone_name(ch):
            continue
        token = ch.longest[0]
        owners = [f for f in full if same_token(f.longest[-1], token) and f is not ch]
        if not owners:
            continue
        # One full name with this surname, or the nearest one named before (news writing
        # introduces a person in full, then by surname).
        first = ch.cands[0].index
        if len({f.longest for f in owners}) == 1:
            target = owners[0]
        else:
            preceding = [f for f in owners if f.cands[0].index < first]
            if not preceding:
                continue
            target = max(preceding, key=lambda f: f.cands[0].index)
        target.cands.extend(ch.cands)
        merged.add(id(ch))
    for ch in chains:
        if id(ch) in merged or len(ch.cands) == 0 or not _is_acronym(ch.cands[0]):
            continue
        acronym = ch.cands[0].text.replace(".", "").lower()
        owners = [
            f
            for f in chains
            if f is not ch
            and id(f) not in merged
            and len(f.longest) >= 2
            and _initials(f.longest) == acronym
        ]
        if len(owners) == 1:
            owners[0].cands.extend(ch.cands)
            owners[0].confidence = min(owners[0].confidence, ACRONYM)
            merged.add(id(ch))
    out = [ch for ch in chains if id(ch) not in merged]
    for ch in out:
        ch.cands.sort(key=lambda c: c.start)
    return out


# --- across articles ------------------------------------------------------------------


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def _link(a: _Chain, b: _Chain) -> float | None:
    """Step 4: the confidence that two chains name one entity, or None."""
    tables = name_tables()
    fa, fb = a.forms, b.forms
    keys_a, keys_b = {joined(t) for t in fa}, {joined(t) for t in fb}
    if a.sense() and b.sense() and a.sense() != b.sense():
        return None  # Georgia the country is not Georgia the US state
    personal = a.personal() or b.personal()
    la, lb = a.longest, b.longest
    if personal and len(la) >= 2 and len(lb) >= 2:
        # Two people named in full are one person by their full names alone: a shared
        # "Smith" is no evidence that John Smith is Jane Smith.
        na, nb = _person_name(la), _person_name(lb)
        if na is None or nb is None or len(na) < 2 or len(nb) < 2:
            return EXACT if la == lb else None
        if same_token(na[-1], nb[-1], fuzzy=True) and given_compatible(na[0], nb[0]):
            return TRANSLIT if la != lb else EXACT
        short, long_ = (na, nb) if len(na) < len(nb) else (nb, na)
        if len(short) < len(long_) and short == long_[-len(short) :]:
            return SURNAME  # "Wasserman Schultz" = "Debbie Wasserman Schultz"
        return None
    if keys_a & keys_b:
        # A one-word name that the text itself makes a person ("President Jordan") and
        # a place elsewhere ("in Jordan") are two entities; a bare NER label is no such
        # evidence (the model tags "Kiev" PERSON).
        if all(len(t) == 1 for t in fa | fb) and (
            (a.titled() and b.votes()[0] > 0) or (b.titled() and a.votes()[0] > 0)
        ):
            return None
        return EXACT
    ids_a = {tables.alias[k] for k in keys_a if k in tables.alias}
    ids_b = {tables.alias[k] for k in keys_b if k in tables.alias}
    if ids_a & ids_b:
        return ALIAS
    if ids_a and ids_b:
        return None  # two different known places
    if personal:
        return None
    if len(la) == len(lb) and all(same_token(x, y) for x, y in zip(la, lb, strict=True)):
        return TRANSLIT
    # "Portalver" = "Port Alver": a compound written as one word.
    one_word = len(la) != len(lb) and (len(la) == 1 or len(lb) == 1)
    if one_word and joined(la) == joined(lb) and len(joined(la)) >= 6:
        return TRANSLIT
    if (
        len(la) >= 2
        and len(lb) >= 2
        and sorted(t for t in la if t not in _CONNECTORS)
        == sorted(t for t in lb if t not in _CONNECTORS)
    ):
        return TRANSLIT  # "Interior Ministry" = "Ministry of Interior"
    for x, y in ((a, b), (b, a)):
        if (
            x.cands
            and _is_acronym(x.cands[0])
            and len(y.longest) >= 2
            and _initials(y.longest) == joined(x.longest)
        ):
            return ACRONYM
        if _party_of(x.longest, y.longest):
            return SURNAME  # "Democrats" = "Democratic Party", "Labour" = "Labour Party"
    return None


_PARTY_WORDS = frozenset(("party", "parties"))


def _person_name(tokens: tuple[str, ...]) -> tuple[str, ...] | None:
    """A person's name without a formal numeral ("Robert S. Mueller III" = "Robert Mueller");
    None for "Jr" and "Sr", which tell a son from his father ("Donald Trump Jr"), so that
    such a name is only ever the same as itself."""
    if tokens and tokens[-1] in ("jr", "sr"):
        return None
    return tokens[:-1] if tokens and tokens[-1] in _GENERATIONAL else tokens


def _party_of(members: tuple[str, ...], party: tuple[str, ...]) -> bool:
    """A party's members or short name ("Democrats", "Labour") and the party's full name."""
    if len(members) != 1 or len(party) != 2 or party[1] not in _PARTY_WORDS:
        return False
    stem = members[0][:-1] if members[0].endswith("s") else members[0]
    return len(stem) >= 4 and party[0].startswith(stem)


def _block_keys(ch: _Chain) -> set[str]:
    """Keys that any chain this one may link to shares with it (see ``_link``)."""
    tables = name_tables()
    keys: set[str] = set()
    for form in ch.forms:
        key = joined(form)
        keys.add("k:" + key)
        if key in tables.alias:
            keys.add(f"a:{tables.alias[key]}")
        keys.add("t:" + translit(form[-1]))
        keys.add("o:" + " ".join(sorted(t for t in form if t not in _CONNECTORS)))
        keys.add("py:" + form[0][:5])  # parties: "Democrats" = "Democratic Party"
        if len(form) >= 2:
            keys.add("i:" + _initials(form))
            keys.add("p:" + translit(form[-1])[:3])  # surnames one edit apart
    if ch.cands and _is_acronym(ch.cands[0]):
        keys.add("i:" + joined(ch.longest))
    return keys


def _merge_story(chains: list[_Chain]) -> list[list[int]]:
    """Union of chains that link (symmetric tests, so the result ignores input order);
    lone surnames join a person only when the story holds one person of that surname."""
    n = len(chains)
    uf = _UnionFind(n)
    confidence = [ch.confidence for ch in chains]
    lone = [i for i, ch in enumerate(chains) if _lone_name(ch)]
    lone_set = set(lone)
    personal = [ch.personal() for ch in chains]
    # Blocking: only chains that share a key can link, so that a story of thousands of
    # names is not compared pair by pair.
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, ch in enumerate(chains):
        for key in _block_keys(ch):
            blocks[key].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                pairs.add((members[x], members[y]))
    for i, j in sorted(pairs):
        full_pair = personal[i] and personal[j] and len(chains[i].longest) >= 2 and len(chains[j].longest) >= 2
        if chains[i].article == chains[j].article and not full_pair:
            continue  # within an article only two full names of people can still merge
        if (i in lone_set) != (j in lone_set) and (personal[i] or personal[j]):
            continue  # surname against full name: decided below, story-wide
        link = _link(chains[i], chains[j])
        if link is not None:
            uf.union(i, j)
            confidence[i] = min(confidence[i], link)
            confidence[j] = min(confidence[j], link)
    # "Donald Trump Jr" is not the "Trump" of a story that also names Donald Trump.
    full_people = [
        i
        for i in range(n)
        if i not in lone_set
        and len(chains[i].longest) >= 2
        and personal[i]
        and chains[i].longest[-1] not in _GENERATIONAL
    ]
    size: Counter[int] = Counter()
    for j in full_people:
        size[uf.find(j)] += len(chains[j].cands)
    for i in lone:
        token = chains[i].longest[0]
        owners = sorted(
            {uf.find(j) for j in full_people if same_token(chains[j].longest[-1], token)},
            key=lambda r: (-size[r], r),
        )
        # One person of that surname, or one named far more often than the others
        # ("Trump" in a story that also names Ivanka Trump once).
        if len(owners) == 1 or (len(owners) > 1 and size[owners[0]] >= DOMINANT * size[owners[1]]):
            uf.union(i, owners[0])
            confidence[i] = min(confidence[i], SURNAME if len(owners) == 1 else SURNAME - 0.1)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(n):
        groups[uf.find(i)].append(i)
    for members in groups.values():
        low = min(confidence[i] for i in members)
        for i in members:
            chains[i].confidence = low
    return list(groups.values())


# --- metonymy, types, names, ids ------------------------------------------------------


def _country_of(group: list[_Cand]) -> tuple[str, str] | None:
    tables = name_tables()
    for c in group:
        seat = tables.seats.get(c.key)
        if seat:
            return seat
    return None


def _apply_metonymy(groups: list[list[_Cand]], confidence: list[float]) -> None:
    """Step 5: a seat of government ("the Kremlin") joins its country's entity; a capital
    joins it when the story uses it as an actor at least as often as a place ("Moscow
    denies", "talks between Moscow and Kyiv" against "in Moscow"). The decision is taken
    for the whole entity, so that one surface name never splits across two entities, and
    it lowers the entity's confidence. Nothing moves when the story never names the country.
    """
    tables = name_tables()
    target_of: dict[str, int] = {}
    for gi, group in enumerate(groups):
        for c in group:
            aid = tables.alias.get(c.key)
            if c.key not in tables.seats:
                target_of.setdefault(f"a{aid}" if aid is not None else c.key, gi)
    for gi, group in enumerate(groups):
        seat = _country_of(group)
        if seat is None:
            continue
        country, kind = seat
        ckey = joined(name_tokens(country))
        aid = tables.alias.get(ckey)
        target = target_of.get(f"a{aid}" if aid is not None else ckey)
        if target is None or target == gi or not groups[target]:
            continue
        actors = sum(1 for c in group if c.actor)
        if kind != "seat" and actors * 2 < len(group):
            continue
        for c in group:
            c.metonym = True
        groups[target].extend(group)
        groups[gi] = []
        confidence[target] = min(confidence[target], confidence[gi], METONYM)


def _entity_type(group: list[_Cand]) -> str:
    """A vote: tables and context count more than NER labels, which count one each."""
    own = [c for c in group if not c.metonym] or group
    place = sum(c.place for c in own)
    person = sum(c.person for c in own)
    org = sum(c.org for c in own)
    labels = Counter(c.label for c in own if c.label)
    norp = labels.get("NORP", 0)
    known = any(c.key in name_tables().alias or c.key in name_tables().seats for c in own)
    if max(place, person, org) == 0 or (not known and norp * 2 >= sum(labels.values()) > 0):
        return labels.most_common(1)[0][0] if labels else "MISC"
    if place >= person and place >= org:
        places = Counter(c.label for c in own if c.label in ("GPE", "LOC", "FAC"))
        return places.most_common(1)[0][0] if places else "GPE"
    return "PERSON" if person >= org else "ORG"


def _canonical_name(group: list[_Cand]) -> str:
    """The most common full form across articles (one vote per article and form), the
    table's preferred form breaking ties, then the longer, then the alphabetically first."""
    tables = name_tables()
    group = [c for c in group if not c.metonym] or group
    longest = max(len(c.tokens) for c in group)
    votes: Counter[str] = Counter()
    seen: set[tuple[str, str]] = set()
    for c in group:
        if len(c.tokens) < longest and not _is_acronym(c):
            continue
        form = _display(c.text)
        if (c.article, form) in seen:
            continue
        seen.add((c.article, form))
        votes[form] += 1
    if not votes:
        votes.update(_display(c.text) for c in group)

    def preferred(form: str) -> int:
        aid = tables.alias.get(joined(name_tokens(form)))
        return 0 if aid is not None and fold(tables.alias_forms[aid][0]) == fold(form) else 1

    return min(votes, key=lambda f: (-votes[f], preferred(f), -len(f), f))


def _display(text: str) -> str:
    """A surface form as a name: whitespace collapsed, datelines' capitals undone."""
    text = " ".join(text.split())
    if text.isupper() and len(text.replace(".", "")) > 5:
        text = text.title()
    return text


def canonicalise_entities(
    articles: Sequence[Article], annotations: Sequence[Annotation]
) -> list[Entity]:
    """Partition the name mentions of a story into entities (see the module docstring).

    articles and annotations are parallel (``annotations[i].article == articles[i].id``).
    Ids are "e1", "e2", ... by decreasing number of articles, then mentions, then name, so
    that neither the partition nor the ids depend on the order of the input.
    """
    pairs = sorted(zip(articles, annotations, strict=True), key=lambda p: p[0].id)
    tables = name_tables()
    # Names the story knows without the help of a capital letter: NER mentions and tables.
    known: set[str] = set(tables.alias) | set(tables.seats)
    for _article, annotation in pairs:
        for m in annotation.mentions:
            known.add(joined(name_tokens(m.text)))
    known -= _STOP_NAMES
    # 1.-3. Candidates and chains per article.
    chains: list[_Chain] = []
    for article, annotation in pairs:
        chains.extend(_article_chains(_candidates(article, annotation, known)))
    # 4. Across articles.
    merged = _merge_story(chains)
    groups = [[c for i in members for c in chains[i].cands] for members in merged]
    confidence = [min(chains[i].confidence for i in members) for members in merged]
    # 5. Metonymy.
    _apply_metonymy(groups, confidence)
    # 6. Types, names, ids.
    entities: list[tuple[tuple[int, int, str, str], Entity]] = []
    for group, conf in zip(groups, confidence, strict=True):
        if not group:
            continue
        mentions = tuple(
            EntityMention(c.article, c.start, c.end, c.text)
            for c in sorted(group, key=lambda c: (c.article, c.start, c.end))
        )
        name = _canonical_name(group)
        n_articles = len({c.article for c in group})
        sort_key = (-n_articles, -len(mentions), name.casefold(), name)
        entities.append((sort_key, Entity("", name, _entity_type(group), mentions, round(conf, 2))))
    entities.sort(key=lambda pair: pair[0])
    return [
        Entity(f"e{i}", e.name, e.type, e.mentions, e.confidence)
        for i, (_key, e) in enumerate(entities, 1)
    ]
