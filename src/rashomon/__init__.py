"""Rashomon: see one news event through every outlet that covered it.

The library exposes the pipeline's stages and its data model::

    import rashomon
    result = rashomon.ingest_paths(["a.txt", "b.html"])
    for article in result.articles:
        print(article.id, article.outlet, article.wire_names)
"""

from rashomon.model import (
    Annotation,
    Article,
    Mention,
    Outlet,
    Paragraph,
    Quantity,
    Quote,
    Removed,
    Sentence,
    WireCredit,
)

__version__ = "0.1.0"

__all__ = [
    "Annotation",
    "Article",
    "Mention",
    "Outlet",
    "Paragraph",
    "Quantity",
    "Quote",
    "Removed",
    "Sentence",
    "WireCredit",
    "__version__",
]
