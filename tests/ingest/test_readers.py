import gzip
import io
import json
from pathlib import Path

import pytest

from rashomon.errors import InputError
from rashomon.ingest.readers import RawDocument, expand, html_fragment_text, read_file

BODY = "The council said on Tuesday that the dam had failed.\n\n“We are doing everything we can,” the mayor said."


def _read(path: Path) -> list[RawDocument | InputError]:
    return list(read_file(str(path)))


def _docs(path: Path) -> list[RawDocument]:
    out = _read(path)
    assert all(isinstance(d, RawDocument) for d in out), out
    return out  # type: ignore[return-value]


def test_plain_text(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Dam bursts above Port Alver\n" + BODY, encoding="utf-8")
    [doc] = _docs(f)
    assert doc.id == doc.path == str(f)
    assert doc.title_in_text and doc.source_format == "text"
    assert doc.text.startswith("Dam bursts")


HTML = """<!doctype html><html><head><meta charset="utf-8">
<title>Dam bursts | Alver Daily</title>
<meta property="og:site_name" content="Alver Daily">
<meta property="og:url" content="https://www.alverdaily.example/news/dam-bursts">
<meta property="article:published_time" content="2031-03-04T10:12:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Dam bursts above Port Alver</h1>
<p>The council said on Tuesday that the dam above Port Alver had failed after days of heavy rain in the hills.</p>
<p>“We are doing everything we can,” the mayor said, adding that fourteen people had died in the flood.</p>
<p>Rescue teams worked through the night to reach villages cut off by the water, officials said.</p>
</article>
<section id="comments" class="comments"><h3>Comments</h3>
<div class="comment"><p>READER COMMENT: this is a disgrace and the council should resign today.</p></div>
</section>
<footer>Copyright Alver Daily</footer></body></html>"""


def test_html_extracts_article_without_comments(tmp_path: Path) -> None:
    f = tmp_path / "page.html"
    f.write_text(HTML, encoding="utf-8")
    [doc] = _docs(f)
    assert "the dam above Port Alver had failed" in doc.text
    assert "READER COMMENT" not in doc.text
    assert doc.title == "Dam bursts above Port Alver"
    assert doc.published == "2031-03-04"
    assert doc.url == "https://www.alverdaily.example/news/dam-bursts"
    assert doc.site == "Alver Daily"


def test_html_without_article_text(tmp_path: Path) -> None:
    f = tmp_path / "empty.html"
    f.write_text("<html><body><nav></nav><script>var x = 1;</script></body></html>", encoding="utf-8")
    [err] = _read(f)
    assert isinstance(err, InputError) and str(err).startswith(str(f))


def test_json_news_please_fields(tmp_path: Path) -> None:
    record = {
        "title": "Dam bursts",
        "maintext": BODY,
        "date_publish": "2031-03-04 10:12:00",
        "source_domain": "alverdaily.example",
        "url": "https://alverdaily.example/x",
        "authors": ["Mira Kolar"],
        "language": "en",
    }
    f = tmp_path / "np.json"
    f.write_text(json.dumps(record), encoding="utf-8")
    [doc] = _docs(f)
    assert (doc.title, doc.published, doc.site, doc.authors, doc.language) == (
        "Dam bursts", "2031-03-04", "alverdaily.example", ("Mira Kolar",), "en"
    )
    assert doc.text == BODY and doc.id == str(f)


def test_json_rashomon_fields_and_list(tmp_path: Path) -> None:
    records = [
        {"title": "One", "text": "First text.", "published": "2031-03-04", "outlet": "Alver Daily"},
        {"title": "Two", "text": "Second text.", "outlet": {"name": "Esterby Gazette"}},
    ]
    f = tmp_path / "list.json"
    f.write_text(json.dumps(records), encoding="utf-8")
    docs = _docs(f)
    assert [d.id for d in docs] == [f"{f}#1", f"{f}#2"]
    assert [d.site for d in docs] == ["Alver Daily", "Esterby Gazette"]


def test_jsonl_bad_lines_are_reported_with_line_numbers(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "A", "text": "Alpha text."}),
        "",
        '{"title": "B", "text": "Beta',  # truncated
        json.dumps({"title": "C", "text": "Gamma text.", "score": float("nan")}).replace("NaN", "NaN"),
        json.dumps({"title": "D"}),  # no text
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "E", "text": "Epsilon text."}),
    ]
    f = tmp_path / "dump.jsonl"
    f.write_text("\n".join(lines), encoding="utf-8")
    out = _read(f)
    good = [d for d in out if isinstance(d, RawDocument)]
    bad = [str(e) for e in out if isinstance(e, InputError)]
    assert [d.title for d in good] == ["A", "E"]
    assert [d.id for d in good] == [f"{f}#1", f"{f}#6"]  # numbering ignores blank lines, not bad ones
    assert [b.split(":")[1] for b in bad] == ["3", "4", "5", "6"]
    assert "truncated or invalid JSON" in bad[0] and "NaN" in bad[1]
    assert "no article text" in bad[2] and "expected a JSON object" in bad[3]


def test_jsonl_gz_and_bom(tmp_path: Path) -> None:
    data = "\ufeff" + json.dumps({"title": "A", "text": "Alpha text."}) + "\n"
    f = tmp_path / "dump.jsonl.gz"
    f.write_bytes(gzip.compress(data.encode("utf-8")))
    [doc] = _docs(f)
    assert doc.title == "A"


def test_jsonl_strings_may_hold_unicode_line_separators(tmp_path: Path) -> None:
    # JSON allows U+2028, U+2029 and NEL unescaped inside a string; only CR and LF end a line.
    lines = [
        json.dumps({"title": "A", "text": "First line\u2028second line\u2029third\x85fourth."}, ensure_ascii=False),
        json.dumps({"title": "B", "text": "Beta text."}),
    ]
    f = tmp_path / "dump.jsonl"
    f.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    out = _read(f)
    assert not [e for e in out if isinstance(e, InputError)]
    docs = [d for d in out if isinstance(d, RawDocument)]
    assert [d.title for d in docs] == ["A", "B"]
    assert "\u2028" in docs[0].text or "second line" in docs[0].text


def test_gzip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import rashomon.ingest.readers as readers

    monkeypatch.setattr(readers, "MAX_BYTES", 1000)
    f = tmp_path / "bomb.jsonl.gz"
    f.write_bytes(gzip.compress(b" " * 100_000))
    [err] = _read(f)
    assert isinstance(err, InputError) and "compression bomb" in str(err)


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Valdora TV - World</title><link>https://valdoratv.example/</link><language>en</language>
<item><title>Dam bursts</title><link>https://valdoratv.example/a</link>
<pubDate>Tue, 04 Mar 2031 10:12:00 GMT</pubDate>
<content:encoded><![CDATA[<p>The dam failed on Tuesday.</p><p>&ldquo;We grieve,&rdquo; the minister said.</p><script>alert(1)</script>]]></content:encoded></item>
<item><title>Toll rises</title><link>https://valdoratv.example/b</link><description>Officials said 20 had died.</description></item>
<item><title>Empty</title><link>https://valdoratv.example/c</link></item>
</channel></rss>"""


def test_rss_feed_entries(tmp_path: Path) -> None:
    f = tmp_path / "feed.xml"
    f.write_text(RSS, encoding="utf-8")
    out = _read(f)
    docs = [d for d in out if isinstance(d, RawDocument)]
    assert [d.id for d in docs] == [f"{f}#1", f"{f}#2"]
    assert docs[0].text == "The dam failed on Tuesday.\n“We grieve,” the minister said."
    assert docs[0].published == "2031-03-04" and docs[0].url == "https://valdoratv.example/a"
    assert docs[1].text == "Officials said 20 had died."
    [err] = [e for e in out if isinstance(e, InputError)]
    assert str(err).startswith(f"{f}#3: ")


def test_atom_feed(tmp_path: Path) -> None:
    atom = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>Esterby Gazette</title><link href="https://gazette.example/"/><updated>2031-03-05T00:00:00Z</updated>
<entry><title>Flood</title><link href="https://gazette.example/flood"/><updated>2031-03-05T08:00:00Z</updated>
<content type="html">&lt;p&gt;Water rose overnight.&lt;/p&gt;</content></entry></feed>"""
    f = tmp_path / "feed.atom"
    f.write_text(atom, encoding="utf-8")
    [doc] = _docs(f)
    assert (doc.text, doc.published, doc.url) == ("Water rose overnight.", "2031-03-05", "https://gazette.example/flood")


def test_garbage_feed_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "feed.rss"
    f.write_text("this is not a feed at all, just words", encoding="utf-8")
    [err] = _read(f)
    assert isinstance(err, InputError) and str(err).startswith(str(f))


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for url, ctype, payload in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload), http_headers=headers))
    return buf.getvalue()


def test_warc_html_responses(tmp_path: Path) -> None:
    f = tmp_path / "crawl.warc.gz"
    f.write_bytes(
        _warc(
            [
                ("https://www.alverdaily.example/news/dam-bursts", "text/html; charset=utf-8", HTML.encode("utf-8")),
                ("https://www.alverdaily.example/logo.png", "image/png", b"\x89PNG..."),
            ]
        )
    )
    [doc] = _docs(f)
    assert doc.id == f"{f}#1" and doc.source_format == "warc"
    assert "the dam above Port Alver had failed" in doc.text
    assert doc.url == "https://www.alverdaily.example/news/dam-bursts"


def test_truncated_warc(tmp_path: Path) -> None:
    data = _warc([("https://a.example/x", "text/html", HTML.encode())])
    f = tmp_path / "cut.warc.gz"
    f.write_bytes(data[: len(data) // 2])
    out = _read(f)
    assert any(isinstance(e, InputError) and str(e).startswith(str(f)) for e in out)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x00\x01\x02\x03binary\x00junk" * 10, "binary"),
        ("bad.txt", "Kyiv “x”".encode() + b"\xfe tail", "invalid UTF-8"),
        ("bad.json", b'{"title": "A", "text": ', "invalid JSON"),
    ],
)
def test_bad_inputs_give_one_line_reasons(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    f = tmp_path / name
    f.write_bytes(content)
    [err] = _read(f)
    assert isinstance(err, InputError)
    assert str(err).startswith(f"{f}: ") and reason in str(err) and "\n" not in str(err)


def test_expand_directories_and_missing(tmp_path: Path) -> None:
    (tmp_path / "d" / "sub").mkdir(parents=True)
    for name in ("d/b.txt", "d/a.html", "d/sub/c.jsonl", "d/notes.md", "d/.hidden.txt"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    got = list(expand([str(tmp_path / "d"), str(tmp_path / "missing.txt")]))
    names = [g for g in got if isinstance(g, str)]
    assert names == [str(tmp_path / "d" / n) for n in ("a.html", "b.txt", "sub/c.jsonl")]
    [err] = [g for g in got if isinstance(g, InputError)]
    assert str(err) == f"{tmp_path / 'missing.txt'}: no such file or directory"


def test_fragment_text() -> None:
    assert html_fragment_text("<p>One <b>bold</b> step.</p><ul><li>a</li><li>b</li></ul>") == "One bold step.\na\nb"
    assert html_fragment_text("plain words") == "plain words"
