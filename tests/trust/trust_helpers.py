"""Helpers for the trust tests (fixtures in conftest.py): the packaged examples read as ``rashomon compare examples
--outlets examples/outlets.csv`` reads them, and a small story written for these tests,
each annotated once and compared once; reruns reuse the annotations and the embeddings
(``MemoEncoder``), so a metamorphic check costs the cross-article stages only."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rashomon.model import Annotation, Article, Comparison, Outlet, Paragraph

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"

# A fictional story: two outlets report one ferry accident with different death tolls and
# dates; the third has no outlet the registry knows. Written for these tests.
FERRY = {
    "ferry/harbour-post.txt": (
        Outlet("Harbour Post", ("harbourpost.example",), "XA", "en", "private", source="fictional, trust tests"),
        "2031-06-12",
        "Ferry capsizes off Kessel Point",
        [
            "At least 14 people died when the ferry Marit capsized off Kessel Point on June 10, the coast guard said.",
            "“We pulled 40 survivors from the water,” said coast guard captain Ilse Haar.",
            "The operator, Nordlys Lines, said the ferry was not overloaded.",
        ],
    ),
    "ferry/valdora-daily.txt": (
        Outlet("Valdora Daily", ("valdoradaily.example",), None, "en", None, source=None),
        "2031-06-12",
        "Ferry disaster: officials blame the weather",
        [
            "Nine people died when the ferry Marit capsized off Kessel Point on June 11, officials said.",
            "Captain Ilse Haar told reporters that rescuers had pulled survivors from the water.",
            "The so-called rescue came hours too late, relatives said.",
        ],
    ),
    "ferry/unknown-blog.txt": (
        None,
        None,
        "What happened at Kessel Point",
        [
            "The ferry Marit capsized off Kessel Point, and Nordlys Lines has allegedly ignored safety warnings.",
            "Relatives gathered at the harbour on Thursday.",
        ],
    ),
}


def build(article_id: str, outlet: Outlet | None, published: str | None, title: str, paragraphs: Sequence[str]) -> Article:
    text = title + "\n\n"
    paras = []
    for p in paragraphs:
        paras.append(Paragraph(len(text), len(text) + len(p)))
        text += p + "\n\n"
    return Article(id=article_id, path=article_id, text=text, title=title, title_span=(0, len(title)),
                   published=published, outlet=outlet, outlet_via="metadata" if outlet else None,
                   paragraphs=tuple(paras))


@dataclass
class Story:
    """One story ready for reruns: its articles, their annotations and the first result."""

    articles: list[Article]
    notes: list[Annotation]
    comparison: Comparison
    nlp: Any
    embedder: Any

    def rerun(self, articles: Sequence[Article] | None = None, notes: Sequence[Annotation] | None = None) -> Comparison:
        from rashomon.compare import compare

        return compare(list(articles if articles is not None else self.articles),
                       annotations=list(notes if notes is not None else self.notes),
                       nlp=self.nlp, embedder=self.embedder)


def make_story(articles: list[Article], nlp: Any) -> Story:
    from rashomon.compare import compare
    from rashomon.embed import get_embedder
    from rashomon.metamorphic import MemoEncoder
    from rashomon.nlp import annotate_many

    notes = list(annotate_many(articles, nlp))
    memo = MemoEncoder(get_embedder())
    return Story(articles, notes, compare(articles, annotations=notes, nlp=nlp, embedder=memo), nlp, memo)


EXAMPLES = os.path.relpath(ROOT / "examples")  # as a user types it ("examples" from the root)


def read_examples() -> list[Article]:
    """The packaged examples with examples/outlets.csv, as ``rashomon compare EXAMPLES
    --outlets EXAMPLES/outlets.csv`` reads them."""
    from rashomon.ingest import read_articles
    from rashomon.outlets import Registry

    registry = Registry.load([os.path.join(EXAMPLES, "outlets.csv")])
    return [a for a in read_articles([EXAMPLES], registry=registry) if isinstance(a, Article)]


StoryOf = Callable[[str], Story]
