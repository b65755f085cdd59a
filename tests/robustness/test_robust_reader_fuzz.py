"""Property tests: readers raise nothing but Rashomon's own errors, whatever the bytes;
re-ingesting never changes the counts.

Inputs are arbitrary bytes, arbitrary text, and valid documents of each format with
random damage (bytes flipped, inserted, deleted, the file cut short), which reach far
deeper into the parsers than noise does.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rashomon.errors import InputError
from rashomon.ingest import ingest_paths, read_articles
from rashomon.ingest.readers import RawDocument, read_file
from rashomon.model import Article
from rashomon.store.sqlite import SQLiteStore

# RASHOMON_FUZZ_EXAMPLES=5000 for a deeper hunt than the default, fast run.
FUZZ = settings(
    max_examples=int(os.environ.get("RASHOMON_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

EXTENSIONS = [".txt", ".html", ".json", ".jsonl", ".jsonl.gz", ".xml", ".rss", ".atom", ".warc", ".warc.gz", ".dat"]

BODY = "The council said on Tuesday that the dam above Port Alver had failed. “We are doing all we can,” the mayor said."


def _warc() -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    page = f"<html><head><title>Dam</title></head><body><article><p>{BODY}</p></article></body></html>".encode()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://x.example/a", "response", payload=io.BytesIO(page), http_headers=headers))
    return out.getvalue()


TEMPLATES: dict[str, bytes] = {
    ".txt": f"Dam bursts above Port Alver\n\n{BODY}\n".encode(),
    ".html": f'<!doctype html><html><head><meta charset="utf-8"><title>Dam</title></head><body><article><h1>Dam</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>'.encode(),
    ".json": json.dumps([{"title": "Dam", "text": BODY, "published": "2031-03-04"}, {"maintext": BODY, "date_publish": "2031-03-05 10:00:00"}]).encode(),
    ".jsonl": (json.dumps({"title": "Dam", "text": BODY}) + "\n" + json.dumps({"maintext": BODY, "authors": ["A"]}) + "\n").encode(),
    ".xml": (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Alver</title><link>https://x.example/</link>'
        f"<item><title>Dam</title><link>https://x.example/a</link><pubDate>Tue, 04 Mar 2031 10:00:00 GMT</pubDate><description>&lt;p&gt;{BODY}&lt;/p&gt;</description></item>"
        '</channel></rss>'
    ).encode(),
    ".atom": (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        f'<entry><title>Dam</title><updated>2031-03-04T10:00:00Z</updated><content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>'
    ).encode(),
    ".warc": _warc(),
}


def _only_own_errors(path: str) -> list[RawDocument | InputError]:
    """Every item read from ``path``; any exception other than a yielded InputError fails."""
    items = list(read_file(path))
    assert all(isinstance(i, RawDocument | InputError) for i in items)
    for item in items:
        if isinstance(item, InputError):
            assert item.reason and str(item).startswith(item.path)
    return items


def _write(directory: str, ext: str, data: bytes) -> str:
    path = Path(directory) / f"input{ext}"
    path.write_bytes(gzip.compress(data) if ext.endswith(".gz") else data)
    return str(path)


@FUZZ
@given(ext=st.sampled_from(EXTENSIONS), data=st.binary(max_size=3000))
def test_arbitrary_bytes(ext: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as d:
        _only_own_errors(_write(d, ext, data))


@FUZZ
@given(ext=st.sampled_from(EXTENSIONS), text=st.text(max_size=2000))
def test_arbitrary_text(ext: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        _only_own_errors(_write(d, ext, text.encode("utf-8", "surrogatepass")))


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """A valid document of some format with a few random edits."""
    kind = draw(st.sampled_from(sorted(TEMPLATES)))
    data = bytearray(TEMPLATES[kind])
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
        if edit == "flip":
            data[at] = draw(st.integers(0, 255))
        elif edit == "insert":
            data[at:at] = draw(st.sampled_from([b"<", b">", b"&", b'"', b"\x00", b"\xff", b"<!DOCTYPE x [", b"]]>", b"&#0;", b"&#xD800;", b"\\ud800", b"\n", b"{", b"WARC/1.0\r\n"]))
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        else:
            del data[at:]
    ext = kind if kind not in (".jsonl", ".warc") else draw(st.sampled_from([kind, kind + ".gz"]))
    return ext, bytes(data)


@FUZZ
@given(case=damaged())
def test_damaged_documents_through_reader_and_pipeline(case: tuple[str, bytes]) -> None:
    ext, data = case
    with tempfile.TemporaryDirectory() as d:
        path = _write(d, ext, data)
        _only_own_errors(path)
        for item in read_articles([path]):
            assert isinstance(item, Article | InputError)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    records=st.lists(
        st.fixed_dictionaries(
            {"text": st.text(min_size=1, max_size=200)},
            optional={"title": st.text(max_size=40), "url": st.sampled_from(["https://x.example/a", "https://www.x.example/a/", "http://x.example/a?utm_source=z", "not a url"])},
        ),
        max_size=8,
    ),
    texts=st.lists(st.text(max_size=300), max_size=3),
)
def test_reingesting_never_changes_counts(records: list[dict[str, str]], texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as d:
        Path(d, "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        for i, text in enumerate(texts):
            Path(d, f"t{i}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
        with SQLiteStore(Path(d, "s.db")) as store:
            first = ingest_paths([d], store)
            stored = store.count()
            second = ingest_paths([d], store)
            assert store.count() == stored == first.new
            assert second.new == 0
            assert second.read == first.read and second.duplicate == second.read
            assert second.skipped == first.skipped
