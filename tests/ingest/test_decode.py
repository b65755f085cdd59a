import codecs

import pytest

from rashomon.errors import BinaryInputError, DecodingError, EmptyInputError
from rashomon.ingest.decode import declared_charset, decode

TEXT = "Kyiv – “quoted” café"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8 (bom)"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le (bom)"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be (bom)"),
        (codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le"), "utf-32-le (bom)"),
        (TEXT.encode("utf-8"), "utf-8"),
    ],
)
def test_bom_and_utf8(data: bytes, encoding: str) -> None:
    out = decode(data, "a.txt")
    assert out.text == TEXT
    assert out.encoding == encoding


def test_bom_beats_declared_charset() -> None:
    html = '<meta charset="iso-8859-1"><p>“Kyiv”</p>'
    out = decode(codecs.BOM_UTF8 + html.encode("utf-8"), "a.html")
    assert "“Kyiv”" in out.text


def test_declared_charset_beats_guess() -> None:
    html = '<html><head><meta charset="windows-1251"></head><body>Киев</body></html>'
    out = decode(html.encode("cp1251"), "a.html")
    assert "Киев" in out.text
    assert out.encoding == "cp1251 (declared)"


def test_xml_declaration_is_a_declared_charset() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><rss>café</rss>'.encode("latin-1")
    assert declared_charset(data) == "iso8859-1"
    assert "café" in decode(data, "f.xml").text


def test_wrong_declaration_falls_back_to_evidence() -> None:
    data = '<meta charset="utf-8"><p>Kiev was named. Caf\xe9 and na\xefve text in a legacy page, written long ago.</p>'.encode("cp1252")
    out = decode(data, "a.html")
    assert "Café" in out.text or "Caf" in out.text
    assert "guessed" in out.encoding


def test_legacy_8bit_without_declaration_is_guessed() -> None:
    data = ("Der Außenminister sagte, die Gespräche würden fortgesetzt. " * 5).encode("cp1252")
    out = decode(data, "de.txt")
    assert "Außenminister" in out.text
    assert "guessed" in out.encoding


def test_stray_byte_in_utf8_is_refused_with_position() -> None:
    data = "Kyiv “quoted” text".encode() + b"\xff" + b" more"
    with pytest.raises(DecodingError) as info:
        decode(data, "bad.txt")
    message = str(info.value)
    assert message.startswith("bad.txt: ")
    assert "0xff" in message and "byte 22" in message


@pytest.mark.parametrize("data", [b"", b"   \n\t  \n"])
def test_empty(data: bytes) -> None:
    with pytest.raises(EmptyInputError, match=r"^e\.txt: the file is empty"):
        decode(data, "e.txt")


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4])
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(BinaryInputError, match=r"^b\.txt: binary data"):
        decode(data, "b.txt")
