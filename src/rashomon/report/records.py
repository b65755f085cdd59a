"""JSON records per ../shared/INTERFACE.md: the shapes users' scripts rely on.

Fields named in INTERFACE.md are a contract: never renamed or dropped. Extra fields
(spans of removed lines, the rule that removed each, how the outlet was identified)
are added beside them.
"""

from __future__ import annotations

from typing import Any

from rashomon.model import Annotation, Article


def article_record(article: Article, annotation: Annotation | None = None) -> dict[str, Any]:
    """One entry of ``articles`` in ``rashomon compare --format json``."""
    outlet = article.outlet
    sentences = annotation.sentences if annotation is not None else ()
    return {
        "id": article.id,
        "path": article.path,
        "title": article.title,
        "published": article.published,
        "url": article.url,
        "outlet": {
            "name": outlet.name if outlet else None,
            "country": outlet.country if outlet else None,
            "ownership": outlet.ownership if outlet else None,
            "via": article.outlet_via,
        },
        # where the registry has the outlet's facts (country, ownership) from; None when unknown
        "outlet_source": outlet.source if outlet else None,
        "wire": list(article.wire_names),
        "wire_credits": [
            {"name": w.name, "start": w.start, "end": w.end, "text": article.text[w.start : w.end]} for w in article.wire
        ],
        "removed": [r.text for r in article.removed],
        "removed_lines": [{"start": r.start, "end": r.end, "text": r.text, "rule": r.rule} for r in article.removed],
        "paragraphs": [{"start": p.start, "end": p.end, "kind": p.kind} for p in article.paragraphs],
        "sentences": [
            {"id": s.id, "start": s.start, "end": s.end, "text": article.text[s.start : s.end]} for s in sentences
        ],
        "encoding": article.encoding,
        "format": article.source_format,
    }
