"""Compare: one story's articles side by side. The orchestrator reads as a recipe:

1. annotate each article on its own (sentences, entity mentions, quotes, numbers, dates);
2. find wire copies (near-duplicates), so independent sources are counted once;
3. canonicalise entities across articles, keeping each outlet's labels (Kiev = Kyiv);
4. align claims: sentences of different articles stating the same fact, and conflicts;
5. find framing: labels, hedges, scare quotes, loaded words, attribution verbs, prominence;
6. count voices: who is quoted by whom, how much, and how.

Every finding points back to character spans of the articles' original text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rashomon import __version__
from rashomon.model import Annotation, Article, Comparison

if TYPE_CHECKING:
    from spacy.language import Language

    from rashomon.embed import Embedder


def compare(
    articles: Sequence[Article],
    *,
    annotations: Sequence[Annotation] | None = None,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
) -> Comparison:
    """Compare ``articles`` as one story. ``annotations`` may be given when already computed
    (e.g. loaded from the store), in the same order as ``articles``."""
    from rashomon.align import align_claims
    from rashomon.dedup import wire_groups
    from rashomon.embed import get_embedder
    from rashomon.entities import canonicalise_entities
    from rashomon.framing import find_framing, find_voices
    from rashomon.nlp import annotate_many, default_pipeline

    ordered = list(articles)
    # 1. annotate
    if annotations is None:
        notes = list(annotate_many(ordered, nlp if nlp is not None else default_pipeline()))
    else:
        notes = list(annotations)
    embedder = embedder or get_embedder()
    # 2. wire copies
    groups = wire_groups(ordered)
    # 3. entities
    entities = canonicalise_entities(ordered, notes)
    # 4. claims
    claims = align_claims(ordered, notes, embedder=embedder, wire_groups=groups)
    # 5. framing
    framing = find_framing(ordered, notes, entities, claims)
    # 6. voices
    voices = find_voices(ordered, notes, entities)

    settings = {"rashomon": __version__, "embedding_model": embedder.info.name,
                "embedding_model_version": embedder.info.version,
                "embedding_model_sha256": embedder.info.model_sha256,
                "tokenizer_sha256": embedder.info.tokenizer_sha256}
    if notes:
        settings |= {f"nlp.{k}": v for k, v in sorted(notes[0].settings.items())}
    return Comparison(
        articles=tuple(ordered),
        annotations=tuple(notes),
        entities=tuple(entities),
        claims=tuple(claims),
        framing=tuple(framing),
        voices=tuple(voices),
        wire_groups=tuple(tuple(g) for g in groups),
        settings=settings,
    )
