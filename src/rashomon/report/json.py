"""``rashomon compare --format json``: the Comparison as the record INTERFACE.md promises.

Fields named in ../shared/INTERFACE.md are a contract; everything else here is an extra
beside them (ids for quotes and framing findings, every span a finding rests on,
confidences, settings). The output is byte-identical across runs on the same input: no
timestamps, mapping keys sorted where their order means nothing, lists in a stated order.

Every finding carries ``confidence`` (0..1) and ``low_confidence`` (below LOW_CONFIDENCE,
recorded with the result as ``settings["report.low_confidence"]``). Where each comes from:

- claims (alignment): a logistic curve fitted on ECB+ over the link score that made the
  decision: a shared claim at its weakest link, a unique claim one minus it at the best
  score its sentences reached in another article (``rashomon.align``);
- quotes (speaker): the attribution rule that fired, lowered when the speaker was resolved
  from a pronoun or a previous sentence (``rashomon.nlp.quotes`` and ``speakers``);
- entities (canonicalisation): the weakest kind of merge that joined its mentions (exact
  name, surname, acronym, metonymy; ``rashomon.entities``);
- framing: the rule's precision (a hedge in the outlet's own voice vs a loaded word inside
  a quotation), or for prominence its claim's;
- stories (clustering, ``rashomon stories``): the similarity at the weakest merge.

Every span is checked against the text by ``rashomon.provenance.check_spans``.

The ordering and ids defined here (``ordered_quotes``, ``ordered_framing``) are the ones the
HTML, Markdown and terminal reports show, so a ``q3`` in one is the ``q3`` in the others.
"""

from __future__ import annotations

import json
from typing import Any

from rashomon.model import (
    Annotation,
    Article,
    Comparison,
    Entity,
    FramingFinding,
    Quote,
    TextSpan,
    Voice,
)
from rashomon.report.records import article_record

# Below this a finding is marked "low confidence" in every report (the trust issue's bar).
LOW_CONFIDENCE = 0.6


def is_low(confidence: float) -> bool:
    """Whether a finding's confidence is below the bar at which reports flag it."""
    return confidence < LOW_CONFIDENCE


def paired_annotations(comparison: Comparison) -> list[tuple[Article, Annotation | None]]:
    """Each article with its annotation. Comparison promises the same order; when the
    lengths disagree (a partial result), fall back to matching by article id rather than
    pairing an article with another's sentences."""
    if len(comparison.annotations) == len(comparison.articles):
        return list(zip(comparison.articles, comparison.annotations, strict=True))
    by_id = {n.article: n for n in comparison.annotations}
    return [(a, by_id.get(a.id)) for a in comparison.articles]


def _article_rank(comparison: Comparison) -> dict[str, int]:
    rank: dict[str, int] = {}
    for i, a in enumerate(comparison.articles):
        rank.setdefault(a.id, i)
    return rank


def ordered_quotes(comparison: Comparison) -> list[tuple[str, Article, Quote]]:
    """Every quote with its report id ("q1", ...), in article order, then text order.

    Sorted rather than taken as produced so that ids do not depend on how the extractor
    happened to iterate."""
    found = [
        (i, q.content_start, q.content_end, j, article, q)
        for i, (article, note) in enumerate(paired_annotations(comparison))
        if note is not None
        for j, q in enumerate(note.quotes)
    ]
    found.sort(key=lambda t: t[:4])
    return [(f"q{n}", t[4], t[5]) for n, t in enumerate(found, 1)]


def ordered_framing(comparison: Comparison) -> list[tuple[str, FramingFinding]]:
    """Every framing finding with its report id ("f1", ...), in article order, then text
    order (kind and text break ties, so the order never depends on the producer's)."""
    rank = _article_rank(comparison)
    far = len(rank)
    found = sorted(
        comparison.framing,
        key=lambda f: (rank.get(f.article, far), f.article, f.start, f.end, f.kind, f.text, f.note or ""),
    )
    return [(f"f{n}", f) for n, f in enumerate(found, 1)]


def entity_labels(entity: Entity, comparison: Comparison) -> dict[str, list[str]]:
    """Surface forms per article, keyed in the comparison's article order (articles the
    comparison does not hold go last, by id) so the mapping's order is stable."""
    rank = _article_rank(comparison)
    labels = entity.labels()
    return {k: labels[k] for k in sorted(labels, key=lambda k: (rank.get(k, len(rank)), k))}


def speaker_entity_id(comparison: Comparison, article: str, quote: Quote) -> str | None:
    """The cross-article Entity whose mention is this quote's speaker mention, if any."""
    if quote.speaker_start is None or quote.speaker_end is None:
        return None
    for entity in comparison.entities:
        for m in entity.mentions:
            if m.article == article and m.start < quote.speaker_end and quote.speaker_start < m.end:
                return entity.id
    return None


def _quote_record(comparison: Comparison, qid: str, article: Article, q: Quote) -> dict[str, Any]:
    return {
        "id": qid,
        "article": article.id,
        "speaker": q.speaker,
        "speaker_entity": q.speaker_entity,
        "cue": q.cue,
        "content": article.text[q.content_start : q.content_end],
        "start": q.content_start,
        "end": q.content_end,
        "kind": q.kind,
        "speaker_start": q.speaker_start,
        "speaker_end": q.speaker_end,
        # the words at the speaker span (a pronoun, "officials"); ``speaker`` is the resolved name
        "speaker_text": _at(article, q.speaker_start, q.speaker_end),
        "cue_start": q.cue_start,
        "cue_end": q.cue_end,
        "cue_text": _at(article, q.cue_start, q.cue_end),
        "sentence": q.sentence,
        "entity": speaker_entity_id(comparison, article.id, q),
        "confidence": q.confidence,
        "low_confidence": is_low(q.confidence),
    }


def _at(article: Article, start: int | None, end: int | None) -> str | None:
    return None if start is None or end is None else article.text[start:end]


def _span(s: TextSpan) -> dict[str, Any]:
    return {"article": s.article, "kind": s.kind, "start": s.start, "end": s.end, "text": s.text}


def _voice_record(v: Voice, quote_ids: dict[tuple[str, int, int], str]) -> dict[str, Any]:
    return {
        "speaker": v.speaker,
        "entity": v.entity,
        "articles": list(v.articles),
        "direct": v.direct,
        "indirect": v.indirect,
        "mixed": v.mixed,
        "words": v.words,
        # the quotes counted, each with its span and its id in "quotes"
        "quotes": [
            {"id": quote_ids.get((s.article, s.start, s.end)), "article": s.article, "start": s.start,
             "end": s.end, "text": s.text}
            for s in v.quotes
        ],
    }


def _entity_record(comparison: Comparison, e: Entity) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.name,
        "type": e.type,
        "labels": entity_labels(e, comparison),
        "mentions": [{"article": m.article, "start": m.start, "end": m.end, "text": m.text} for m in e.mentions],
        "confidence": e.confidence,
        "low_confidence": is_low(e.confidence),
    }


def comparison_record(comparison: Comparison) -> dict[str, Any]:
    """The object ``rashomon compare --format json`` writes (see shared/INTERFACE.md)."""
    quotes = ordered_quotes(comparison)
    quote_ids: dict[tuple[str, int, int], str] = {}
    for qid, a, q in quotes:
        quote_ids.setdefault((a.id, q.content_start, q.content_end), qid)
    texts = {a.id: a.text for a in comparison.articles}
    return {
        "articles": [article_record(a, n) for a, n in paired_annotations(comparison)],
        "quotes": [_quote_record(comparison, qid, a, q) for qid, a, q in quotes],
        "entities": [_entity_record(comparison, e) for e in comparison.entities],
        "claims": [
            {
                "id": c.id,
                "status": c.status,
                "sentences": [
                    {"article": s.article, "sentence": s.sentence, "start": s.start, "end": s.end, "score": s.score,
                     "text": texts.get(s.article, "")[s.start : s.end]}
                    for s in c.sentences
                ],
                "note": c.note,
                # for a conflict: the numbers and dates that disagree, with their spans
                "values": [_span(v) for v in c.values],
                "articles": list(c.articles),
                "confidence": c.confidence,
                "low_confidence": is_low(c.confidence),
            }
            for c in comparison.claims
        ],
        "framing": [
            {
                "id": fid,
                "kind": f.kind,
                "article": f.article,
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "note": f.note,
                "entity": f.entity,
                "claim": f.claim,
                "confidence": f.confidence,
                "low_confidence": is_low(f.confidence),
            }
            for fid, f in ordered_framing(comparison)
        ],
        "voices": [_voice_record(v, quote_ids) for v in comparison.voices],
        "wire_groups": [list(g) for g in comparison.wire_groups],
        "settings": dict(sorted(comparison.settings.items())),
    }


def dumps(record: Any) -> str:
    """JSON text as every Rashomon report writes it: non-ASCII as is, two-space indent, a
    final newline. Keys keep the contract's order; ``comparison_record`` already sorted the
    mappings whose order means nothing."""
    text = json.dumps(record, ensure_ascii=False, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (a JSON input may carry "\ud800") cannot be written as UTF-8;
        # \u escapes keep the output valid and still deterministic.
        text = json.dumps(record, ensure_ascii=True, indent=2)
    return text + "\n"


def render_json(comparison: Comparison) -> str:
    """``rashomon compare --format json``."""
    return dumps(comparison_record(comparison))


__all__ = [
    "LOW_CONFIDENCE",
    "comparison_record",
    "entity_labels",
    "is_low",
    "ordered_framing",
    "ordered_quotes",
    "paired_annotations",
    "render_json",
    "speaker_entity_id",
]
