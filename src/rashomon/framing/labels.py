"""Labels: one referent named differently across outlets ("protesters" / "rioters" /
"demonstrators"; "special operation" / "military offensive"; "Kyiv" / "Kiev").

Named entities come grouped from ``rashomon.entities``. The other noun phrases are grouped
here, after the target concept analysis of Hamborg, Zhukova & Gipp (2019, NewsWCL50), a
sieve that merges candidate phrases by their heads and by lexical relations:

1. noun phrases from part-of-speech tags (spaCy's tagger alone, the parse is not needed):
   determiner, modifiers and a common-noun head, with an "of" phrase attached ("the
   leader of the strike committee"); a partitive head takes its object's ("members of
   the strike committee" -> committee);
2. roles: a phrase before a person's name ("Kremlin spokesman Dmitry Peskov"), in
   apposition to it ("Teodor Vashkin, the leader of the strike committee"), or a
   definite description that repeats such a role ("the spokesperson") belongs to that
   person's entity;
3. the rest group by label class (``labels.tsv``: "rioters" and "demonstrators" are both
   protest participants) or, outside the classes, by head; phrases whose modifiers name
   different actors stay apart ("Russian forces" is not "Ukrainian forces").

A "label" finding is a phrase of a group that spans two or more articles whose heads
differ between articles, and a spelling of an entity that other outlets do not use.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rashomon.entities import fold, title_words, word_set
from rashomon.framing.lexicon import label_classes, label_reporting, loaded_words, singular
from rashomon.framing.view import ArticleView
from rashomon.model import Entity, EntityMention, FramingFinding
from rashomon.textnorm import for_analysis

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

_NOUN = frozenset(("NN", "NNS"))
_PROPER = frozenset(("NNP", "NNPS"))
_MODIFIER = frozenset(("JJ", "JJR", "JJS", "VBN", "NN", "NNS", "NNP", "NNPS", "CD", "HYPH", "POS"))
_DETERMINER = frozenset(("DT", "PRP$", "WP$"))
# Heads that name no referent of the story (time, measure, manner).
_STOP_HEADS = word_set(
    "day week month year hour minute time morning evening night afternoon today yesterday "
    "percent cent per way thing kind sort lot fact end place side moment number part "
    "matter case point addition order term view sense bit couple range rest majority "
    "minority amount degree something nothing anything everything someone anyone everyone "
    "one"
)
# Share of a key's owned phrases that makes their owner the owner of its unowned ones.
DOMINANT_SHARE = 2 / 3
# Heads that, with a place named in the phrase, are that place's state ("the Russian
# government", "Moscow's leadership"): the metonymy of rashomon.entities, in a phrase.
_STATE_HEADS = word_set("government administration regime authority leadership state cabinet kremlin")
# Partitive heads: "members of the strike committee" names the committee's people.
_PARTITIVE = word_set(
    "member group number dozen hundred thousand million some many most rest part majority "
    "one none all handful"
)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A common-noun phrase of one article.

    start, end: span of the phrase (leading determiner excluded). head: singular, lower
    case. label: the label-class entry it matched ("special operation"), else the head.
    key: the label class, or the head outside the classes. owners: entity ids named
    in the phrase ("Russian forces" -> the Russia entity). role_of: the entity whose role it
    names, if any. quoted: inside quotation marks (the speaker's word, not the outlet's).
    """

    article: str
    start: int
    end: int
    text: str
    head: str
    label: str
    key: str
    owners: tuple[str, ...]
    role_of: str | None
    quoted: bool


@dataclass(frozen=True, slots=True)
class LabelGroup:
    """Phrases of a story that name one referent.

    id: "g1", ... (by size, then name). name: the most common head (or the entity's name).
    kind: the label class, "head" for a group by head alone, or "role" for a person's roles.
    entity: the Entity.id of a role group. mentions: every phrase, in (article, start) order.
    """

    id: str
    name: str
    kind: str
    entity: str | None
    mentions: tuple[EntityMention, ...]


# --- 1. noun phrases ------------------------------------------------------------------


@dataclass(slots=True)
class _Token:
    start: int
    end: int
    text: str
    tag: str


def tag_regions(story: Sequence[ArticleView], nlp: Language) -> dict[str, list[list[_Token]]]:
    """Tokens with Penn tags per region of each article (the tagger alone runs)."""
    jobs: list[tuple[str, int, str]] = []
    for view in story:
        for s, e in view.regions:
            jobs.append((view.id, s, for_analysis(view.text[s:e])))
    out: dict[str, list[list[_Token]]] = defaultdict(list)
    disabled = [p for p in nlp.pipe_names if p not in ("tok2vec", "tagger")]
    with nlp.select_pipes(disable=disabled):
        for (article, offset, _text), doc in zip(
            jobs, nlp.pipe(t for _a, _o, t in jobs), strict=True
        ):
            out[article].append(
                [_Token(offset + t.idx, offset + t.idx + len(t.text), t.text, t.tag_) for t in doc]
            )
    return out


def _phrases_in(tokens: list[_Token]) -> list[tuple[int, int, int]]:
    """(first, head, last) token indices of each noun phrase in one region."""
    out: list[tuple[int, int, int]] = []
    i, n = 0, len(tokens)
    while i < n:
        j = i
        if tokens[j].tag in _DETERMINER:
            j += 1
        k = j
        while k < n and (
            tokens[k].tag in _MODIFIER
            or (tokens[k].tag == "VBG" and k > i and tokens[k - 1].tag in _DETERMINER)
        ):
            k += 1
        nouns = [x for x in range(j, k) if tokens[x].tag in _NOUN]
        if not nouns:
            i = max(k, i + 1)
            continue
        head = nouns[-1]
        last = head
        # "of" and, after partitive or participant heads, "in" attach a phrase.
        word = singular(tokens[head].text)
        if (
            last + 1 < n
            and tokens[last + 1].text.lower() in ("of", "in")
            and (tokens[last + 1].text.lower() == "of" or word in ("participant", "member"))
        ):
            m = last + 2
            if m < n and tokens[m].tag in _DETERMINER:
                m += 1
            p = m
            while p < n and tokens[p].tag in _MODIFIER:
                p += 1
            inner = [x for x in range(m, p) if tokens[x].tag in _NOUN | _PROPER]
            if inner:
                last = inner[-1]
                if word in _PARTITIVE and tokens[inner[-1]].tag in _NOUN:
                    head = inner[-1]
        first = j
        while first < head and (tokens[first].tag in ("HYPH", "POS") or _so_called(tokens, first)):
            first += 1
        out.append((first, head, last))
        i = max(k, last + 1)
    return out


def _so_called(tokens: list[_Token], i: int) -> bool:
    """The "called" of "so-called", which the tagger reads as a participle: a hedge."""
    return (
        tokens[i].text.lower() == "called"
        and i >= 2
        and tokens[i - 1].text == "-"
        and tokens[i - 2].text.lower() == "so"
    )


# --- 2.-3. phrases with owners and roles, then groups ---------------------------------


def _mention_index(entities: Sequence[Entity]) -> dict[str, list[tuple[int, int, Entity]]]:
    out: dict[str, list[tuple[int, int, Entity]]] = defaultdict(list)
    for e in entities:
        for m in e.mentions:
            out[m.article].append((m.start, m.end, e))
    for spans in out.values():
        spans.sort(key=lambda t: (t[0], t[1]))
    return out


def _demonym_owner(entities: Sequence[Entity]) -> dict[str, str]:
    """NORP entity id -> the place entity it is the adjective of ("Russian" -> Russia), by
    the shared stem of their names (all but the last letter of the place's name)."""
    places = [e for e in entities if e.type in ("GPE", "LOC")]
    out: dict[str, str] = {}
    for e in entities:
        if e.type != "NORP":
            continue
        adj = fold(e.name)
        for p in places:
            stem = fold(p.name)[:-1]
            if len(stem) >= 3 and adj.startswith(stem) and adj != fold(p.name):
                out[e.id] = p.id
                break
    return out


def find_phrases(
    story: Sequence[ArticleView], entities: Sequence[Entity], nlp: Language
) -> list[Phrase]:
    """Steps 1-2: every common-noun phrase of the story, with owners and roles."""
    tagged = tag_regions(story, nlp)
    mentions = _mention_index(entities)
    owner_of = _demonym_owner(entities)
    classes = label_classes()
    phrases: list[Phrase] = []
    for view in story:
        spans = mentions.get(view.id, [])
        people = {e.id for _s, _e, e in spans if e.type == "PERSON"}
        places = {e.id for e in entities if e.type in ("GPE", "LOC")}
        roles: dict[str, set[str]] = defaultdict(set)  # head -> person ids
        titles = title_words()
        for s, _t, e in spans:
            # A title before a name ("President Trump") makes "the president" that person.
            before = re.search(r"([A-Za-z]+)\.?\s+$", view.text[max(0, s - 30) : s])
            if e.type == "PERSON" and before and before.group(1).lower() in titles:
                roles[before.group(1).lower()].add(e.id)
        pending: list[tuple[int, int, str, str, str, tuple[str, ...], bool, str]] = []
        for tokens in tagged.get(view.id, []):
            for first, head, last in _phrases_in(tokens):
                start, end = tokens[first].start, tokens[last].end
                head_word = singular(tokens[head].text)
                if head_word in _STOP_HEADS or not head_word.isalpha() or len(head_word) < 3:
                    continue
                inside = [e for s, t, e in spans if start <= s and t <= end]
                if any(s <= tokens[head].start and tokens[head].end <= t for s, t, _e in spans):
                    continue  # the head is part of a name ("Harbour Gate")
                owners = tuple(
                    dict.fromkeys(owner_of.get(e.id, e.id) for e in inside if e.type != "PERSON")
                )
                role = _role(view, spans, start, end, head_word)
                if role is not None:
                    roles[head_word].add(role)
                elif head_word in _STATE_HEADS and owners and owners[0] in places:
                    role = owners[0]
                entry, cls = _class_of(
                    [singular(t.text) for t in tokens[first : head + 1]], classes
                )
                pending.append(
                    (
                        start,
                        end,
                        head_word,
                        entry or head_word,
                        cls or head_word,
                        owners,
                        view.in_direct_quote(start, end),
                        role or "",
                    )
                )
        for start, end, head_word, label, key, owners, quoted, role in pending:
            if (
                not role
                and head_word in roles
                and len(roles[head_word]) == 1
                and view.text[max(0, start - 4) : start].lower().endswith("the ")
            ):
                # "the spokesperson": the one person this article gave that role.
                role = next(iter(roles[head_word]))
            if role and role not in people and role not in places:
                role = ""
            phrases.append(
                Phrase(
                    view.id,
                    start,
                    end,
                    view.text[start:end],
                    head_word,
                    label,
                    key,
                    owners,
                    role or None,
                    quoted,
                )
            )
    return phrases


def _class_of(words: list[str], classes: dict[str, str]) -> tuple[str | None, str | None]:
    """The label-class entry and class of a phrase's last one to three words (longest first)."""
    lowered = [w.lower() for w in words]
    for n in (3, 2, 1):
        if len(lowered) >= n:
            entry = " ".join(lowered[-n:])
            cls = classes.get(entry)
            if cls:
                return entry, cls
    return None, None


def _role(
    view: ArticleView, spans: list[tuple[int, int, Entity]], start: int, end: int, head: str
) -> str | None:
    """The entity whose role the phrase names: a name right after it ("spokesman Dmitry
    Peskov"), or a name and a comma on either side (apposition)."""
    if head not in title_words():
        return None
    text = view.text
    for s, t, e in spans:
        if e.type != "PERSON":
            continue
        gap_after = text[end:s]
        gap_before = text[t:start]
        if 0 <= s - end <= 3 and gap_after.strip() in ("", ","):
            return e.id
        if 0 <= start - t <= 8 and re.fullmatch(
            r"(?:’s|'s)?,\s+(?:(?:the|a|an)\s+)?", gap_before, re.IGNORECASE
        ):
            return e.id
    return None


def _dominant(owners: Counter[str] | None) -> str:
    """The owner an unowned phrase belongs to: the only one, or one that holds at least
    ``DOMINANT_SHARE`` of the owned phrases of its key ("the deal" in a story of "the Iran
    deal"); "" when owners compete ("forces" among "Russian" and "Ukrainian forces")."""
    if not owners:
        return ""
    (top, n), total = owners.most_common(1)[0], sum(owners.values())
    return top if n >= DOMINANT_SHARE * total else ""


def group_phrases(phrases: Sequence[Phrase]) -> list[LabelGroup]:
    """Step 3: roles with their entity; the rest by (class or head, owner), an unowned phrase
    joining the one owned group of its key where there is exactly one."""
    buckets: dict[tuple[str, str], list[Phrase]] = defaultdict(list)
    owned: dict[str, Counter[str]] = defaultdict(Counter)
    for p in phrases:
        if p.owners and not p.role_of:
            owned[p.key][p.owners[0]] += 1
    for p in phrases:
        if p.role_of:
            buckets[("role", p.role_of)].append(p)
        elif p.owners:
            buckets[(p.key, p.owners[0])].append(p)
        else:
            buckets[(p.key, _dominant(owned.get(p.key)))].append(p)
    classes = set(label_classes().values())
    groups: list[tuple[tuple[int, int, str], LabelGroup]] = []
    for (key, owner), members in buckets.items():
        members.sort(key=lambda p: (p.article, p.start))
        heads = Counter(p.head for p in members)
        name = min(heads, key=lambda h: (-heads[h], h))
        kind = "role" if key == "role" else key if key in classes else "head"
        entity = owner if key == "role" else None
        mentions = tuple(EntityMention(p.article, p.start, p.end, p.text) for p in members)
        n_articles = len({p.article for p in members})
        groups.append(
            (
                (-n_articles, -len(members), f"{name}/{key}/{owner}"),
                LabelGroup("", name, kind, entity, mentions),
            )
        )
    groups.sort(key=lambda pair: pair[0])
    return [
        LabelGroup(f"g{i}", g.name, g.kind, g.entity, g.mentions)
        for i, (_k, g) in enumerate(groups, 1)
    ]


# --- label findings -------------------------------------------------------------------


def find_labels(
    story: Sequence[ArticleView], entities: Sequence[Entity], phrases: Sequence[Phrase]
) -> list[FramingFinding]:
    """Label findings: differing names for one referent across articles."""
    by_view = {v.id: v for v in story}
    found: list[FramingFinding] = []
    found.extend(_spelling_labels(by_view, entities))
    groups: dict[tuple[str, str], list[Phrase]] = defaultdict(list)
    classes = set(label_classes().values())
    for p in phrases:
        if p.quoted:
            continue
        if p.role_of:
            groups[("role", p.role_of)].append(p)
        elif p.key in classes:
            groups[(p.key, p.owners[0] if p.owners else "")].append(p)
    names = {e.id: e.name for e in entities}
    reporting = label_reporting()
    for (key, owner), members in sorted(groups.items()):
        when = "always" if key == "role" else reporting.get(key, "never")
        if when == "never" or (when == "loaded" and not any(_is_loaded(p.text) for p in members)):
            continue
        per_article: dict[str, dict[str, Phrase]] = defaultdict(dict)
        for p in sorted(members, key=lambda p: (p.article, p.start)):
            label = _label_text(p) if key == "role" else p.label
            per_article[p.article].setdefault(label, p)
        if len(per_article) < 2:
            continue
        users: dict[str, list[str]] = defaultdict(list)
        for article, labels in per_article.items():
            for label in labels:
                users[label].append(article)
        for article, labels in sorted(per_article.items()):
            for label, p in labels.items():
                if not _distinctive(len(users[label]), len(per_article)):
                    continue
                others = "; ".join(
                    f"“{other}” ({', '.join(a for a in arts if a != article)})"
                    for other, arts in sorted(users.items())
                    if other != label and any(a != article for a in arts)
                )
                if key == "role":
                    note = f"calls {names.get(owner, owner)} “{label}”; others: {others}"
                    entity: str | None = owner
                else:
                    note = f"{key.replace('_', ' ')}: “{label}” here; others: {others}"
                    entity = None
                found.append(
                    by_view[article].finding(
                        "label",
                        p.start,
                        p.end,
                        note,
                        entity=entity,
                        confidence=0.7 if key == "role" else 0.6,
                    )
                )
    return found


def _distinctive(users: int, articles: int) -> bool:
    """A label is an outlet's choice when at most half of the articles that name the
    referent use it (in a two-article story: when the other does not)."""
    return users * 2 <= articles


def _is_loaded(text: str) -> bool:
    return any(t.pattern.search(text) for t in loaded_words())


def _label_text(p: Phrase) -> str:
    """A role phrase without its leading determiner, in lower case ("union boss")."""
    words = p.text.split()
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words).lower()


def _spelling_labels(
    by_view: dict[str, ArticleView], entities: Sequence[Entity]
) -> list[FramingFinding]:
    """An entity spelt or named differently by some outlets (Kiev / Kyiv, Vaškin / Vashkin,
    the Kremlin / Russia): one finding at the first use of each such form in an article.
    A shorter form of a name used elsewhere ("Vashkin" for "Teodor Vashkin") is no label."""
    found: list[FramingFinding] = []
    for e in entities:
        labels = e.labels()
        if len(labels) < 2:
            continue
        signatures = {a: {_signature(f) for f in forms} for a, forms in labels.items()}
        for article, forms in sorted(labels.items()):
            view = by_view.get(article)
            if view is None:
                continue
            for form in forms:
                sig = _signature(form)
                users = [
                    a for a, sigs in signatures.items() if any(_compatible(sig, o) for o in sigs)
                ]
                if not _distinctive(len(users), len(labels)):
                    continue
                mention = next(m for m in e.mentions if m.article == article and m.text == form)
                by_form: dict[str, list[str]] = defaultdict(list)
                for a in sorted(labels):
                    if a in users:
                        continue
                    for f in labels[a]:
                        shown = _display_form(f)
                        if a not in by_form[shown]:
                            by_form[shown].append(a)
                others = "; ".join(
                    f"“{f}” ({', '.join(arts)})" for f, arts in sorted(by_form.items())
                )
                note = f"names {e.name} “{' '.join(form.split())}”; others: {others}"
                found.append(
                    view.finding(
                        "label",
                        mention.start,
                        mention.end,
                        note,
                        entity=e.id,
                        confidence=min(0.9, e.confidence),
                    )
                )
    return found


def _display_form(form: str) -> str:
    """A surface form for a note: whitespace collapsed, a dateline's capitals undone."""
    form = " ".join(form.split())
    return form.title() if form.isupper() and len(form) > 5 else form


def _signature(form: str) -> tuple[str, ...]:
    """A form's words as written (case folded, accents kept): "Vaškin" differs from "Vashkin"."""
    return tuple(w.casefold().strip(".") for w in form.split())


def _compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Same words, or one the tail or head of the other ("Vashkin" of "Teodor Vashkin")."""
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return short == long_[-len(short) :] or short == long_[: len(short)]


def load_nlp(nlp: Language | None) -> Language | None:
    """The tagger to use: the given pipeline, else the annotation stage's default; None
    (labels from names only) when no pipeline can be loaded."""
    if nlp is not None:
        return nlp
    try:
        from rashomon.nlp import default_pipeline

        return default_pipeline()
    except Exception as exc:  # a missing model must not lose the other framing findings
        log.warning("no spaCy pipeline for noun-phrase labels: %s", exc)
        return None
