"""Annotations as JSON, and the key under which a stored one may be reused.

An :class:`~rashomon.model.Annotation` is kept in the store as a derived result
(``store.put_derived("annotation", annotation_key(article, info), to_json(annotation))``)
so that later commands (compare, quotes, the web app) and other engines (Spark) need not
annotate again. Two promises:

- ``from_json(to_json(a)) == a`` for every Annotation: every field, every value, exactly
  (lone surrogates and NULs included: the payload is ASCII JSON, which every store holds);
- ``annotation_key`` changes whenever anything the annotation depends on changes: the
  article's text, paragraphs, publication date and id (what the annotator reads), the
  Rashomon version, the spaCy pipeline (name, version, components), the annotation
  settings and the payload layout. A stale annotation is therefore never read back.

The payload is compact: each span record is a JSON array of the dataclass's fields in
declaration order, under a format version ``"v"``. A change of layout bumps
:data:`FORMAT_VERSION`; an unknown version is refused rather than guessed at.

    >>> payload = to_json(annotation)                        # doctest: +SKIP
    >>> from_json(payload) == annotation                     # doctest: +SKIP
    True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from rashomon import __version__
from rashomon.model import Annotation, Article, Mention, Quantity, Quote, Sentence

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacy.language import Language

    from rashomon.store import Store

__all__ = [
    "DERIVED_KIND",
    "FORMAT_VERSION",
    "PayloadError",
    "annotation_key",
    "from_json",
    "pipeline_info",
    "stored_annotations",
    "to_json",
]

# Version of the payload layout (bumped too when the quote rules change what an
# annotation holds, so stored ones are annotated again); from_json refuses any other.
FORMAT_VERSION = 7
# The ``kind`` of stored annotations in Store.put_derived / get_derived.
DERIVED_KIND = "annotation"

# Record types per list field of Annotation, in the order their fields are written.
_RECORDS: dict[str, type[Any]] = {
    "sentences": Sentence,
    "mentions": Mention,
    "quotes": Quote,
    "quantities": Quantity,
}
_LAYOUT = {name: [f.name for f in fields(cls)] for name, cls in _RECORDS.items()}
_GETTERS = {name: attrgetter(*names) for name, names in _LAYOUT.items()}
# Settings entries that describe one article's annotation rather than what produced it.
_PER_ARTICLE_SETTINGS = frozenset({"quote_failures"})


class PayloadError(ValueError):
    """A stored annotation payload is not one this version can read (a newer format,
    a damaged row). The caller should annotate again rather than trust it."""


def to_json(annotation: Annotation) -> str:
    """The annotation as one line of ASCII JSON (see :func:`from_json`)."""
    payload: dict[str, Any] = {"v": FORMAT_VERSION, "article": annotation.article}
    for name in _RECORDS:
        get = _GETTERS[name]  # every record type has several fields: a tuple each
        payload[name] = [get(record) for record in getattr(annotation, name)]
    payload["settings"] = dict(annotation.settings)
    # ensure_ascii: lone surrogates and NULs become escapes that every store can hold.
    # allow_nan=False: NaN is not JSON, and PostgreSQL's jsonb refuses it.
    return json.dumps(payload, ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def from_json(payload: str | bytes) -> Annotation:
    """The Annotation written by :func:`to_json`; PayloadError when it is not one."""
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise PayloadError(f"stored annotation is not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise PayloadError("stored annotation is not a JSON object")
    version = data.get("v")
    if version != FORMAT_VERSION:
        raise PayloadError(
            f"stored annotation has format version {version!r}; this Rashomon reads "
            f"version {FORMAT_VERSION}: annotate again"
        )
    article = data.get("article")
    settings = data.get("settings")
    if not isinstance(article, str) or not isinstance(settings, dict):
        raise PayloadError("stored annotation lacks its article id or settings")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in settings.items()):
        raise PayloadError("stored annotation settings must map strings to strings")
    lists: dict[str, tuple[Any, ...]] = {}
    for name, cls in _RECORDS.items():
        rows = data.get(name)
        if not isinstance(rows, list):
            raise PayloadError(f"stored annotation lacks its {name}")
        width = len(_LAYOUT[name])
        try:
            lists[name] = tuple(cls(*row) for row in rows if _row(row, width, name))
        except TypeError as exc:
            raise PayloadError(f"stored annotation has a malformed {name} record ({exc})") from None
    return Annotation(article=article, settings=settings, **lists)


def _row(row: Any, width: int, name: str) -> bool:
    if not isinstance(row, list) or len(row) != width:
        raise PayloadError(f"stored annotation has a malformed {name} record: {row!r:.80}")
    return True


def pipeline_info(nlp: Language) -> dict[str, str]:
    """What, besides the article, decides an annotation made with ``nlp``: the pipeline's
    name, version and components, spaCy's version and the annotator's own constants."""
    import spacy

    from rashomon.nlp.annotator import CONTINUATION_CONFIDENCE
    from rashomon.nlp.pipeline import MAX_CHUNK_CHARS, pipeline_settings

    return {
        **pipeline_settings(nlp),
        "spacy": spacy.__version__,
        "max_chunk_chars": str(MAX_CHUNK_CHARS),
        "continuation_confidence": str(CONTINUATION_CONFIDENCE),
    }


def annotation_key(article: Article, info: Mapping[str, str] | Language) -> str:
    """The derived-result key of ``article``'s annotation: ``CONTENT-PRODUCER``.

    CONTENT hashes the article's content hash and what the annotator reads (id, text,
    paragraphs, publication date); PRODUCER hashes the Rashomon version, the payload
    layout and ``info``: a :func:`pipeline_info` mapping, or the spaCy pipeline itself.
    Per-article entries of an ``Annotation.settings`` given as ``info`` are ignored.
    """
    if not isinstance(info, Mapping):
        info = pipeline_info(info)
    content = _digest(
        [
            article.content_hash,
            article.id,
            article.text,
            [[p.start, p.end, p.kind] for p in article.paragraphs],
            article.published,
        ]
    )
    producer = _digest(
        {
            "rashomon": __version__,
            "format": FORMAT_VERSION,
            "layout": _LAYOUT,
            "info": {k: str(v) for k, v in info.items() if k not in _PER_ARTICLE_SETTINGS},
        }
    )
    return f"{content[:40]}-{producer[:16]}"


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def stored_annotations(
    store: Store, articles: Sequence[Article], info: Mapping[str, str] | Language
) -> list[Annotation] | None:
    """The stored annotations of ``articles`` (in their order) made by what ``info``
    describes, or None unless every article has one: the caller annotates afresh then."""
    if not isinstance(info, Mapping):
        info = pipeline_info(info)
    found: list[Annotation] = []
    for article in articles:
        payload = store.get_derived(DERIVED_KIND, annotation_key(article, info))
        if payload is None:
            return None
        try:
            annotation = from_json(payload)
        except PayloadError:
            return None
        if annotation.article != article.id:
            return None
        found.append(annotation)
    return found
