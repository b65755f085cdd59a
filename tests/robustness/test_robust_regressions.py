"""Crashes found by fuzzing the readers, each pinned as a case (readers patch).

Each of these raised an exception other than InputError out of ``read_file``, which
ends a whole batch instead of costing one input.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.errors import FormatError, InputError
from rashomon.ingest.readers import RawDocument, read_file


@pytest.mark.parametrize("when", ["0000-00-00", "0000-01-01T00:00:00Z"])
def test_feed_entry_dated_year_zero_is_read_without_a_date(tmp_path: Path, when: str) -> None:
    """feedparser turns these into struct_time year 0, which ``datetime.date`` refuses."""
    path = tmp_path / "zero.xml"
    path.write_text(
        '<rss version="2.0"><channel><item><title>Dam</title>'
        f"<pubDate>{when}</pubDate><description>The dam failed.</description></item></channel></rss>"
    )
    [doc] = list(read_file(str(path)))
    assert isinstance(doc, RawDocument) and doc.published is None and doc.text == "The dam failed."


def test_warc_response_without_target_uri_is_a_format_error(tmp_path: Path) -> None:
    """warcio raises AttributeError on a response record that names no URI."""
    path = tmp_path / "no-uri.warc"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response")  # the case hypothesis found
    items = list(read_file(str(path)))
    assert items and all(isinstance(i, InputError) for i in items)
    assert isinstance(items[0], FormatError)
