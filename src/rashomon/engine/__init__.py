"""Batch engines: the same ingest -> annotate -> store work, run here or on a cluster.

- ``local`` (the default, :mod:`rashomon.engine.local`): one machine, a pool of killable
  worker processes for annotation, resumable through store checkpoints;
- ``spark`` (:mod:`rashomon.engine.spark`, the ``spark`` extra): Apache Spark, for
  archives of millions of articles. Imported only when asked for.

Both return a :class:`~rashomon.ingest.IngestSummary` and store the same rows and the
same annotations (``rashomon.nlp.serial``) for the same inputs.
"""

from __future__ import annotations

from rashomon.engine.local import (
    AnnotateOptions,
    Annotator,
    annotate_stored,
    local_ingest,
    spacy_annotator,
)

__all__ = ["ENGINES", "AnnotateOptions", "Annotator", "annotate_stored", "local_ingest", "spacy_annotator"]

ENGINES = ("local", "spark")
