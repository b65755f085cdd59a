"""Hostile JSON and JSONL: BOMs, NaN/Infinity, truncated lines, odd keys, deep nesting,
NUL bytes and lone surrogates, compression bombs.

Needs the readers/textnorm patches: BOM inside a file, deep nesting, NUL/surrogate
sanitising (marked in each docstring). The rest guards protections already in place.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rashomon.errors import FormatError, InputError
from rashomon.ingest import readers
from rashomon.ingest.readers import RawDocument, read_file
from rashomon.store.sqlite import SQLiteStore

BODY = "The council said on Tuesday that the dam had failed."


def _lines(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def _read(tmp_path: Path, name: str, content: str | bytes) -> list[RawDocument | InputError]:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return list(read_file(str(path)))


def test_bom_at_the_start_of_the_file(tmp_path: Path) -> None:
    items = _read(tmp_path, "a.jsonl", b"\xef\xbb\xbf" + _lines({"text": "one"}, {"text": "two"}).encode())
    assert [i.text for i in items if isinstance(i, RawDocument)] == ["one", "two"]


def test_bom_at_the_start_of_a_later_line(tmp_path: Path) -> None:
    """Two JSONL files joined with `cat`, the second saved with a BOM (readers patch)."""
    items = _read(tmp_path, "cat.jsonl", _lines({"text": "one"}) + "\ufeff" + _lines({"text": "two"}))
    assert [i.text for i in items if isinstance(i, RawDocument)] == ["one", "two"]


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_with_file_and_line(tmp_path: Path, constant: str) -> None:
    content = _lines({"text": "one"}, '{"text": "two", "score": ' + constant + "}", {"text": "three"})
    items = _read(tmp_path, "n.jsonl", content)
    path = str(tmp_path / "n.jsonl")
    assert [type(i).__name__ for i in items] == ["RawDocument", "FormatError", "RawDocument"]
    assert items[1].path == f"{path}:2" and constant in str(items[1])  # type: ignore[union-attr]
    assert items[2].id == f"{path}#3"  # type: ignore[union-attr]


def test_truncated_and_invalid_lines_are_quarantined_with_file_and_line(tmp_path: Path) -> None:
    content = _lines({"text": "one"}, '{"text": "tw', "not json at all", {"text": "four"}) + '{"text": "cut off'
    items = _read(tmp_path, "t.jsonl", content)
    path = str(tmp_path / "t.jsonl")
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.path for e in errors] == [f"{path}:2", f"{path}:3", f"{path}:5"]
    assert all("invalid JSON line" in e.reason for e in errors)
    assert [i.id for i in items if isinstance(i, RawDocument)] == [f"{path}#1", f"{path}#4"]


@pytest.mark.parametrize(
    ("record", "ok"),
    [
        ({"title": "T", "maintext": BODY, "date_publish": "2031-03-04 10:00:00", "source_domain": "x.example", "authors": ["A"]}, True),
        ({"title": "T", "text": BODY, "published": "2031-03-04", "outlet": {"name": "Alver Daily"}}, True),
        ({"text": BODY, "title": 42, "authors": {"name": "A"}, "published": [2031], "url": ["x"], "outlet": 7}, True),
        ({"text": BODY, "published": 1e308, "language": None, "authors": "A and B; C"}, True),
        ({"text": BODY, "published": 10**100}, True),
        ({"text": ["a", "list"]}, False),
        ({"maintext": None, "text": None}, False),
        ({"text": "   "}, False),
        ({"TEXT": BODY}, False),
        ([1, 2, 3], False),
        ("a string", False),
        (None, False),
    ],
)
def test_heterogeneous_records_give_an_article_or_a_reason(tmp_path: Path, record: object, ok: bool) -> None:
    [item] = _read(tmp_path, "h.jsonl", json.dumps(record) + "\n")
    assert isinstance(item, RawDocument) is ok
    if not ok:
        assert isinstance(item, InputError) and item.reason


def test_huge_integer_is_refused_not_crashing(tmp_path: Path) -> None:
    items = _read(tmp_path, "big.jsonl", '{"text": "x", "n": 1' + "0" * 5000 + "}\n")
    assert [type(i).__name__ for i in items] == ["FormatError"]


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_deeply_nested_json_is_refused_not_a_recursion_error(tmp_path: Path, name: str) -> None:
    """json.loads raises RecursionError, which is not a ValueError (readers patch)."""
    items = _read(tmp_path, name, _lines({"text": "one"}) + "[" * 100_000 + "]" * 100_000 + "\n")
    assert any(isinstance(i, FormatError) and "nested too deeply" in i.reason for i in items)


# --- NUL bytes and lone surrogates ------------------------------------------------------


def test_nul_and_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    """JSON escapes can carry both; PostgreSQL refuses them, SQLite keeps them (patch)."""
    raw = '{"text": "a\\u0000b \\ud800 c \\udfff", "title": "t\\u0000", "authors": ["x\\ud83d"]}\n'
    [doc] = _read(tmp_path, "nul.jsonl", raw)
    assert isinstance(doc, RawDocument)
    assert doc.text == "a\ufffdb \ufffd c \ufffd"  # same length: offsets unchanged
    assert doc.title == "t\ufffd" and doc.authors == ("x\ufffd",)


def test_nul_after_the_binary_sniffing_window_is_sanitised(tmp_path: Path) -> None:
    """decode() looks for NUL in the first 8 KB only (readers patch)."""
    text = "Title line\n" + ("The dam held. " * 1000) + "\x00 end"
    [doc] = _read(tmp_path, "late-nul.txt", text.encode())
    assert isinstance(doc, RawDocument) and "\x00" not in doc.text and len(doc.text) == len(text)


def test_sanitised_text_is_stored_and_read_back_unchanged(tmp_path: Path) -> None:
    """What SQLite returns is what the reader produced, so a PostgreSQL store can agree (patch)."""
    from rashomon.ingest import read_articles

    (tmp_path / "s.jsonl").write_text('{"text": "x\\u0000y \\ud800 z. More text here.", "title": "A \\udc80"}\n')
    [article] = list(read_articles([str(tmp_path / "s.jsonl")]))
    assert not isinstance(article, InputError)
    with SQLiteStore(tmp_path / "s.db") as store:
        store.add_article(article)
        back = store.get(article.id)
    assert back is not None and back.text == article.text and back.title == article.title
    assert "\x00" not in back.text and not any("\ud800" <= c <= "\udfff" for c in back.text)


@given(st.text(alphabet=st.characters(codec=None, categories=None), max_size=200))
def test_sanitising_is_idempotent_and_keeps_offsets(text: str) -> None:
    from rashomon.textnorm import sanitize  # textnorm patch

    once = sanitize(text)
    assert sanitize(once) == once
    assert len(once) == len(text)
    assert "\x00" not in once and not any("\ud800" <= c <= "\udfff" for c in once)
    once.encode("utf-8")  # always encodable: what PostgreSQL needs


# --- compression bombs ------------------------------------------------------------------


def test_gzip_bomb_is_refused_after_decompression(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_BYTES", 1 << 20)
    bomb = gzip.compress(_lines({"text": "x" * 1000}).encode() * 3000)  # ~3 MB from ~20 KB
    [item] = _read(tmp_path, "bomb.jsonl.gz", bomb)
    assert isinstance(item, FormatError) and "compression bomb" in item.reason


def test_truncated_gzip_is_a_format_error(tmp_path: Path) -> None:
    data = gzip.compress(_lines({"text": "one"}, {"text": "two"}).encode() * 100)
    [item] = _read(tmp_path, "cut.jsonl.gz", data[: len(data) // 2])
    assert isinstance(item, FormatError) and "gzip" in item.reason


def test_warc_record_bomb_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    monkeypatch.setattr(readers, "MAX_BYTES", 1 << 20)
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    page = b"<html><body><p>" + b"x" * (3 << 20) + b"</p></body></html>"  # 3 MB, gzips to a few KB
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://x.example/", "response", payload=io.BytesIO(page), http_headers=headers))
    items = _read(tmp_path, "bomb.warc.gz", out.getvalue())
    assert len(out.getvalue()) < (1 << 20)
    assert any(isinstance(i, InputError) and "size limit" in i.reason for i in items)
