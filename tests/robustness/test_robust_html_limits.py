"""HTML that libxml2 silently truncates (deep nesting, huge text nodes) and binary junk.

``html_limit_problem`` is tested directly; the reader tests need the readers patch
(the HTML reader asks ``html_limit_problem`` and warns or refuses with its reason).
"""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

import pytest

from rashomon.errors import BinaryInputError, InputError
from rashomon.ingest.readers import RawDocument, read_file
from rashomon.safexml import MAX_HTML_DEPTH, html_limit_problem

INTRO = "<p>The council said on Tuesday that the dam above Port Alver had failed after days of rain.</p>"
DEEP_TAIL = "<p>Rescue teams reached the villages cut off by the water late on Wednesday night.</p>"


def nested(depth: int, before: str = INTRO, inside: str = DEEP_TAIL) -> str:
    return f"<html><body><article>{before}{'<div>' * depth}{inside}{'</div>' * depth}</article></body></html>"


@pytest.mark.parametrize("depth", [MAX_HTML_DEPTH, 300, 5000])
def test_deep_nesting_is_detected(depth: int) -> None:
    problem = html_limit_problem(nested(depth))
    assert problem is not None and "deeper than 256" in problem


@pytest.mark.parametrize("depth", [0, 50, 200])
def test_ordinary_nesting_passes(depth: int) -> None:
    assert html_limit_problem(nested(depth)) is None


def test_many_flat_tags_are_not_deep() -> None:
    assert html_limit_problem("<html><body>" + "<p>x</p>" * 5000 + "</body></html>") is None


def test_huge_text_node_is_detected() -> None:
    page = "<html><body><p>" + "word " * 2_200_000 + "</p><p>after</p></body></html>"  # 11 MB node
    problem = html_limit_problem(page)
    assert problem is not None and "size limit" in problem


def test_reader_warns_when_deep_content_was_dropped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "deep.html"
    path.write_text(nested(400))
    with caplog.at_level(logging.WARNING):
        items = list(read_file(str(path)))
    assert any("deeper than 256" in r.getMessage() and str(path) in r.getMessage() for r in caplog.records)
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert all("Rescue teams" not in d.text for d in docs)  # libxml2 did drop it


def test_reader_names_the_depth_when_nothing_is_left(tmp_path: Path) -> None:
    path = tmp_path / "deep-only.html"
    path.write_text(nested(400, before=""))
    [item] = list(read_file(str(path)))
    assert isinstance(item, InputError) and "deeper than 256" in item.reason


def test_reader_names_the_huge_text_node(tmp_path: Path) -> None:
    path = tmp_path / "huge.html"
    path.write_text("<html><body><p>" + "word " * 2_200_000 + "</p></body></html>")
    [item] = list(read_file(str(path)))
    assert isinstance(item, InputError) and "size limit" in item.reason


@pytest.mark.parametrize(
    "junk",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        gzip.compress(b"<html><body><p>compressed but served as plain HTML</p></body></html>" * 50),
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 8,
        bytes(range(256)) * 64,
    ],
    ids=["png", "gzip", "jpeg", "all-bytes"],
)
def test_binary_junk_served_as_html_is_refused_as_binary(tmp_path: Path, junk: bytes) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(junk)
    [item] = list(read_file(str(path)))
    assert isinstance(item, BinaryInputError), item
