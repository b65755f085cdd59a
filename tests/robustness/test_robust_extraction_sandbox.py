"""HTML extraction in killable workers: a page over the limits is recorded as failed with
the reason, and the batch goes on (readers/ingest patch: ``sandbox=`` parameters).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rashomon.errors import InputError
from rashomon.ingest import ingest_paths
from rashomon.ingest.readers import RawDocument, read_file
from rashomon.sandbox import Sandbox
from rashomon.store.sqlite import SQLiteStore

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Dam bursts {n}</title></head>
<body><article><h1>Dam bursts {n}</h1>
<p>The council said on Tuesday that dam number {n} above Port Alver had failed after days of rain.</p>
<p>Rescue teams worked through the night to reach villages cut off by the water, officials said.</p>
</article></body></html>"""


@pytest.fixture(scope="module")
def box() -> Iterator[Sandbox]:
    with Sandbox(seconds=60, memory_mb=2048) as sandbox:
        yield sandbox


def _pages(directory: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        path = directory / f"page{i}.html"
        path.write_text(PAGE.format(n=i), encoding="utf-8")
        paths.append(path)
    return paths


def test_sandboxed_extraction_gives_the_same_document(tmp_path: Path, box: Sandbox) -> None:
    [path] = _pages(tmp_path, 1)
    direct = list(read_file(str(path)))
    boxed = list(read_file(str(path), box))
    assert direct == boxed and isinstance(boxed[0], RawDocument)


def test_a_page_over_the_time_limit_is_recorded_with_the_reason_and_the_batch_goes_on(tmp_path: Path) -> None:
    _pages(tmp_path, 3)
    (tmp_path / "note.txt").write_text("Plain text goes on\n\nThe council met again on Wednesday.")
    # A limit no extraction can meet: every page is stopped, the text file is still read.
    with Sandbox(seconds=0.001, memory_mb=2048) as tiny, SQLiteStore(tmp_path / "s.db") as store:
        summary = ingest_paths([str(tmp_path)], store, sandbox=tiny)
    assert summary.read == 1 and summary.skipped == 3
    assert all(isinstance(f, InputError) and "took longer than" in f.reason for f in summary.failures)
