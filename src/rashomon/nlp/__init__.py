"""The annotation stage: sentences, entities, quotes with speakers, numbers and dates.

from rashomon.nlp import annotate, load_pipeline, quote_records
nlp = load_pipeline()                   # en_core_web_sm, else its PyPI twin
annotation = annotate(article, nlp)     # a pure function of one article
for record in quote_records(article, annotation):
    print(record["speaker"], record["content"])
"""

from __future__ import annotations

from typing import Any

from rashomon.model import Annotation, Article
from rashomon.nlp.annotator import annotate, annotate_many, default_pipeline
from rashomon.nlp.pipeline import load_pipeline

__all__ = ["annotate", "annotate_many", "default_pipeline", "load_pipeline", "quote_records"]


def quote_records(article: Article, annotation: Annotation) -> list[dict[str, Any]]:
    """The ``rashomon quotes`` JSONL objects of one article (see shared/INTERFACE.md)."""
    text = article.text
    return [
        {
            "article": article.id,
            "kind": q.kind,
            "speaker": q.speaker,
            "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end,
            "cue": q.cue,
            "cue_start": q.cue_start,
            "cue_end": q.cue_end,
            "content": text[q.content_start : q.content_end],
            "content_start": q.content_start,
            "content_end": q.content_end,
        }
        for q in annotation.quotes
    ]
