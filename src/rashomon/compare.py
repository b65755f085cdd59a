"""Compare: one story's articles side by side. The orchestrator reads as a recipe:

0. put the articles in a canonical order (by id), so the result never depends on the
   order they were given in (the trust issue: permuting the inputs changes nothing);
1. annotate each article on its own (sentences, entity mentions, quotes, numbers, dates);
2. find wire copies (near-duplicates), so independent sources are counted once;
3. canonicalise entities across articles, keeping each outlet's labels (Kiev = Kyiv);
4. align claims: sentences of different articles stating the same fact, and conflicts;
5. find framing: labels, hedges, scare quotes, loaded words, attribution verbs, prominence;
6. count voices: who is quoted by whom, how much, and how;
7. record what made the result: Rashomon's version, the settings, and the models' names,
   versions and file hashes, so that the same inputs and settings give the same bytes.

Every finding points back to character spans of the articles' original text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import fields
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rashomon import __version__
from rashomon.model import Annotation, Article, Comparison

if TYPE_CHECKING:
    from spacy.language import Language

    from rashomon.embed import Embedder
    from rashomon.settings import Settings
    from rashomon.store import Store


def canonical_order(
    articles: Sequence[Article], annotations: Sequence[Annotation] | None = None
) -> tuple[list[Article], list[Annotation] | None]:
    """The articles (and their annotations, which must be in the same order) sorted by id,
    then path and content hash, so that every later step sees the same order whatever
    order the caller used."""
    order = sorted(range(len(articles)), key=lambda k: (articles[k].id, articles[k].path, articles[k].content_hash))
    arts = [articles[k] for k in order]
    if annotations is None:
        return arts, None
    if len(annotations) != len(articles):
        raise ValueError(
            f"compare: {len(articles)} articles but {len(annotations)} annotations; "
            "give one Annotation per Article, in the same order"
        )
    return arts, [annotations[k] for k in order]


def compare(
    articles: Sequence[Article],
    *,
    annotations: Sequence[Annotation] | None = None,
    nlp: Language | None = None,
    embedder: Embedder | None = None,
    config: Settings | None = None,
) -> Comparison:
    """Compare ``articles`` as one story. ``annotations`` may be given when already computed
    (e.g. loaded from the store), in the same order as ``articles``. ``config``: the merged
    settings (``rashomon.settings.load``) to record with the result; default: the packaged
    ones with the user's file ($RASHOMON_CONFIG)."""
    from rashomon.align import Settings as AlignSettings
    from rashomon.align import align_claims
    from rashomon.dedup import DedupSettings, wire_groups
    from rashomon.embed import get_embedder
    from rashomon.entities import canonicalise_entities
    from rashomon.framing import find_framing, find_voices
    from rashomon.framing.labels import load_nlp
    from rashomon.nlp import annotate_many, default_pipeline

    # 0. canonical order
    ordered, given = canonical_order(articles, annotations)
    # 1. annotate
    if given is None:
        nlp = nlp if nlp is not None else default_pipeline()
        notes = list(annotate_many(ordered, nlp))
    else:
        notes = given
    embedder = embedder or get_embedder()
    # 2. wire copies
    groups = wire_groups(ordered)
    # 3. entities
    entities = canonicalise_entities(ordered, notes)
    # 4. claims
    claims = align_claims(ordered, notes, embedder=embedder, wire_groups=groups)
    # 5. framing (noun-phrase labels with the annotation stage's pipeline)
    tagger = load_nlp(nlp)
    framing = find_framing(ordered, notes, entities, claims, nlp=tagger)
    # 6. voices
    voices = find_voices(ordered, notes, entities)
    # 7. what made it
    settings = {"rashomon": __version__, "embedding_model": embedder.info.name,
                "embedding_model_version": embedder.info.version,
                "embedding_model_sha256": embedder.info.model_sha256,
                "tokenizer_sha256": embedder.info.tokenizer_sha256}
    if notes:
        settings |= {f"nlp.{k}": v for k, v in sorted(notes[0].settings.items())}
    settings |= pipeline_fingerprint(tagger)
    settings |= AlignSettings().describe()
    settings |= {f"dedup.{f.name}": str(getattr(DedupSettings(), f.name)) for f in fields(DedupSettings)}
    settings |= recorded_config(config)
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


def compare_stored(
    store: Store,
    articles: Sequence[Article],
    *,
    nlp: Language,
    embedder: Embedder | None = None,
    config: Settings | None = None,
) -> Comparison:
    """:func:`compare` for articles read from ``store``: the annotations that
    ``rashomon ingest`` stored with ``nlp`` are reused when every article has one (the
    key covers the text and the pipeline, so a stale one is never read); otherwise the
    articles are annotated afresh. The one way the CLI, exports and the web app compare a
    stored story."""
    from rashomon.nlp.serial import stored_annotations

    notes = stored_annotations(store, articles, nlp)
    return compare(articles, annotations=notes, nlp=nlp, embedder=embedder, config=config)


def recorded_config(config: Settings | None = None) -> dict[str, str]:
    """The settings.toml values that shape a comparison, as strings. Files are recorded by
    content hash, never by path: a result must not depend on (or leak) where it was made."""
    from rashomon.report.json import LOW_CONFIDENCE
    from rashomon.settings import load

    conf = config if config is not None else load()
    files = [_sha256(Path(f)) if Path(f).is_file() else "missing" for f in conf["outlets"]["files"]]
    return {
        "config.nlp.pipeline": str(conf["nlp"]["pipeline"]),
        "config.ingest.min_recurring": str(conf["ingest"]["min_recurring"]),
        "config.outlets.files_sha256": ",".join(files),
        "report.low_confidence": str(LOW_CONFIDENCE),
    }


def pipeline_fingerprint(nlp: Language | None) -> dict[str, str]:
    """The spaCy pipeline that tagged the text: name, version, spaCy's version, and a
    sha256 over its files (meta.json, config and weights), computed once per folder."""
    if nlp is None:
        return {"spacy.pipeline": "none"}
    import spacy

    meta: dict[str, Any] = nlp.meta
    path = getattr(nlp, "path", None)
    return {
        "spacy.version": spacy.__version__,
        "spacy.pipeline": f"{meta.get('lang', '')}_{meta.get('name', '')}",
        "spacy.pipeline_version": str(meta.get("version", "")),
        "spacy.pipeline_sha256": _folder_sha256(str(path)) if path is not None else "unknown",
    }


@cache
def _folder_sha256(folder: str) -> str:
    """sha256 over every file of ``folder`` (relative path and content hash, in path order):
    the same model files give the same digest wherever they are installed."""
    root = Path(folder)
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(f"{file.relative_to(root).as_posix()}\0{_sha256(file)}\n".encode())
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
