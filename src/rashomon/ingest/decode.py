"""Bytes to text, with a stated priority: byte-order mark > declared charset > statistical guess.

A file that is almost all UTF-8 but holds a few invalid bytes is refused rather than
guessed at: a statistical guess would decode its real UTF-8 characters as mojibake
and every later stage would silently work on the wrong text.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from rashomon.errors import BinaryInputError, DecodingError, EmptyInputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# <meta charset="x">, <meta http-equiv="Content-Type" content="text/html; charset=x">,
# and <?xml version="1.0" encoding="x"?>: all within the first few KB by the standards.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.I)
_SNIFF_BYTES = 8192


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and how it was decoded ("utf-8 (bom)", "cp1252 (declared)", ...)."""

    text: str
    encoding: str


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML meta tag or an XML declaration states, if any and if known."""
    head = data[:_SNIFF_BYTES]
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: NUL bytes, or many C0 control characters."""
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
    return controls > max(8, len(head) // 50)


def _has_utf8_multibyte(data: bytes) -> bool:
    """True when the bytes contain at least one well-formed multi-byte UTF-8 sequence."""
    return re.search(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}", data) is not None


def decode(data: bytes, path: str, declared: str | None = None) -> Decoded:
    """Decode ``data`` read from ``path``.

    Priority: a byte-order mark; then ``declared`` (e.g. an HTTP Content-Type charset) or
    the charset the document declares itself; then strict UTF-8; then a statistical
    guess (charset-normalizer) for legacy 8-bit files with no UTF-8 in them at all.

    Raises EmptyInputError, BinaryInputError or DecodingError, each naming ``path``.
    """
    if not data.strip():
        raise EmptyInputError(path, "the file is empty")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data[len(bom) :].decode(name), f"{name} (bom)")
            except UnicodeDecodeError as exc:
                raise DecodingError(
                    path, f"starts with a {name} byte-order mark but byte {exc.start + len(bom)} is not {name}"
                ) from None
    if _looks_binary(data):
        raise BinaryInputError(path, "binary data (NUL or control bytes), not text")

    stated = declared or declared_charset(data)
    if stated:
        try:
            return Decoded(data.decode(stated), f"{stated} (declared)")
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong declaration is common on the web: fall through to the evidence
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        if _has_utf8_multibyte(data):
            bad = data[exc.start : exc.start + 1].hex()
            raise DecodingError(
                path,
                f"invalid UTF-8 byte 0x{bad} at byte {exc.start} in otherwise UTF-8 text; "
                "re-save the file as UTF-8",
            ) from None
    return _guess(data, path, stated)


def _guess(data: bytes, path: str, stated: str | None) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise DecodingError(path, "not valid UTF-8 and no other encoding fits; re-save the file as UTF-8")
    note = f"declared {stated} failed; guessed" if stated else "guessed"
    return Decoded(str(best), f"{best.encoding} ({note})")
