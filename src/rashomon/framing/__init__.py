"""Framing: how each outlet tells the story, and whom it lets speak.

    from rashomon.entities import canonicalise_entities
    from rashomon.framing import find_framing, find_voices
    entities = canonicalise_entities(articles, annotations)
    findings = find_framing(articles, annotations, entities, claims)
    voices = find_voices(articles, annotations, entities)

``find_framing`` is a recipe over the story, every finding a span of one article's text:

1. labels: one referent named differently across outlets (``labels``);
2. scare quotes: short quoted phrases held at arm's length (``marks``);
3. hedges: "alleged", "reportedly", "so-called", "claimed" (``marks``);
4. loaded words from the packaged lexicon (``marks``);
5. attribution verbs other than the neutral ones (``marks``);
6. prominence: a shared fact in one lede and buried in another (``prominence``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rashomon.framing.labels import LabelGroup, find_labels, find_phrases, group_phrases, load_nlp
from rashomon.framing.marks import (
    find_attribution_verbs,
    find_hedges,
    find_loaded,
    find_scare_quotes,
    unquoted_text,
)
from rashomon.framing.prominence import find_prominence
from rashomon.framing.view import views
from rashomon.framing.voices import find_voices
from rashomon.model import Annotation, Article, Claim, Entity, FramingFinding

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = ["LabelGroup", "find_framing", "find_voices", "label_groups"]

# Order of kinds within one span, for a stable output.
_KIND_ORDER = {
    k: i
    for i, k in enumerate(
        ("label", "scare_quote", "hedge", "loaded", "attribution_verb", "prominence")
    )
}


def find_framing(
    articles: Sequence[Article],
    annotations: Sequence[Annotation],
    entities: Sequence[Entity],
    claims: Sequence[Claim] = (),
    *,
    nlp: Language | None = None,
) -> list[FramingFinding]:
    """Every framing finding of a story, ordered by (article, start, end, kind).

    nlp: the spaCy pipeline whose tagger finds the noun phrases for labels (default: the
    annotation stage's); without one, labels come from entity names only.
    """
    story = views(articles, annotations)
    own_voice = {v.id: unquoted_text(v) for v in story}
    found: list[FramingFinding] = []
    # 1. Labels.
    tagger = load_nlp(nlp)
    phrases = find_phrases(story, entities, tagger) if tagger is not None else []
    found.extend(find_labels(story, entities, phrases))
    for view in story:
        # 2. Scare quotes.
        scare = find_scare_quotes(view, story, own_voice)
        found.extend(scare)
        # 3. Hedges.
        found.extend(find_hedges(view))
        # 4. Loaded words.
        found.extend(find_loaded(view, scare))
        # 5. Attribution verbs.
        found.extend(find_attribution_verbs(view, story, entities))
    # 6. Prominence.
    found.extend(find_prominence(story, claims))
    found.sort(key=lambda f: (f.article, f.start, f.end, _KIND_ORDER.get(f.kind, 99), f.note or ""))
    return found


def label_groups(
    articles: Sequence[Article],
    annotations: Sequence[Annotation],
    entities: Sequence[Entity],
    *,
    nlp: Language | None = None,
) -> list[LabelGroup]:
    """The story's common-noun phrases grouped by referent (roles with their person)."""
    tagger = load_nlp(nlp)
    if tagger is None:
        return []
    return group_phrases(find_phrases(views(articles, annotations), entities, tagger))
