"""Hardened XML and HTML parsing: no external entities, no DTD fetches, bounded expansion.

Feeds are parsed by feedparser, whose strict back end is expat. Python's expat does not
fetch external entities (feedparser switches ``feature_external_ges`` off) and expat 2.4+
stops exponential "billion laughs" bombs, but a *quadratic* bomb (one 100 KB entity
referenced 1,000 times) still costs seconds and hundreds of MB before expat gives up,
and feedparser's own DOCTYPE filter keeps exactly such entities. So feed bytes are
checked here before any parser sees them (:func:`check_xml`):

- a DOCTYPE may name an external DTD (RSS 0.91 does); it is never fetched;
- an internal subset may declare plain internal entities, but no external entities
  (``SYSTEM`` / ``PUBLIC``), no parameter entities (``%name;``), no entity whose value
  refers to another entity (the nesting every exponential bomb needs), at most
  ``max_entities`` of them, and their total expansion (references times length) is
  bounded by ``max_expansion`` characters;
- an entity declaration anywhere a parser could still pick it up (feedparser's loose
  parser reads declarations from all text before the first element) counts too.

The check reads the bytes the way feedparser will (its own charset conversion), so a
declaration hidden in UTF-16 or UTF-7 is seen as the parser would see it.

For XML that Rashomon parses itself, :func:`parse_xml` uses lxml with entity resolution,
DTD loading and network access off and libxml2's size limits on.

HTML goes through libxml2 (trafilatura, lxml.html), which *silently* gives up on
documents nested deeper than 256 elements or holding a text node over 10 MB: everything
from that point on is dropped without an exception. :func:`html_limit_problem` asks
libxml2 whether it hit such a limit, so a reader can warn or refuse instead of storing
half an article as if it were whole.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from rashomon.errors import FormatError

__all__ = [
    "MAX_ENTITIES",
    "MAX_EXPANSION",
    "MAX_HTML_DEPTH",
    "DoctypeInfo",
    "check_xml",
    "html_limit_problem",
    "inspect_doctype",
    "parse_xml",
]

MAX_ENTITIES = 100
MAX_EXPANSION = 1_000_000  # characters that entity references may add to a document
MAX_HTML_DEPTH = 256  # libxml2's limit without XML_PARSE_HUGE
_MAX_TEXT_NODE = 10_000_000  # libxml2's XML_MAX_TEXT_LENGTH without XML_PARSE_HUGE

_NAME = r"[^\s\"'<>%&;\[\]/=]+"
_ENTITY_REF = re.compile(r"&(" + _NAME + r");")
_CHAR_REF = re.compile(r"&#(?:[0-9]+|x[0-9a-fA-F]+);")
_FIRST_ELEMENT = re.compile(r"<[A-Za-z_:]")


@dataclass(frozen=True, slots=True)
class DoctypeInfo:
    """What a document's DOCTYPE declares.

    name: the root element it names. external_id: the DTD's SYSTEM/PUBLIC identifiers
    as written, or "". entities: internal general entities, name -> replacement text.
    external_entities, parameter_entities: names of such declarations (refused).
    pe_references: parameter-entity references in the internal subset (refused).
    end: offset just past the DOCTYPE declaration in the text examined.
    """

    name: str
    external_id: str
    entities: dict[str, str]
    external_entities: tuple[str, ...]
    parameter_entities: tuple[str, ...]
    pe_references: tuple[str, ...]
    end: int


class _Malformed(ValueError):
    """The DOCTYPE could not be tokenised; parsers would reject it too."""


def check_xml(
    data: bytes,
    path: str,
    *,
    http_headers: Mapping[str, str] | None = None,
    max_entities: int = MAX_ENTITIES,
    max_expansion: int = MAX_EXPANSION,
) -> None:
    """Refuse XML whose DTD could fetch something or expand beyond the bounds.

    http_headers: the response headers when the bytes came over HTTP (their charset
        decides the decoding, as it will for feedparser).

    Raises FormatError naming ``path``; returns None for a document that is safe to parse.
    """
    # Two readings of the bytes: feedparser's own (what its parsers will see) and a plain
    # BOM/declaration one (what another parser, or another feedparser version, might
    # see). The document must be safe in both.
    views = {_as_parser_text(data, http_headers), _fallback_decode(data)}
    for text in views:
        _check_text(text, path, max_entities, max_expansion)


def _check_text(text: str, path: str, max_entities: int, max_expansion: int) -> None:
    head_end = _FIRST_ELEMENT.search(text)
    head = text[: head_end.start()] if head_end else text
    if "<!ENTITY" not in head.upper() and "<!DOCTYPE" not in head.upper():
        return  # the common case: nothing for a parser to expand or fetch
    try:
        info = inspect_doctype(text)
    except _Malformed as exc:
        if "<!ENTITY" in head.upper():
            raise FormatError(path, f"malformed DOCTYPE with entity declarations ({exc}); refused") from None
        return  # a broken DOCTYPE without entities: the parser reports it
    rest_start = info.end if info else 0
    if info is None or "<!ENTITY" in head[rest_start:].upper():
        if "<!ENTITY" in head.upper():
            raise FormatError(path, "entity declarations outside a DOCTYPE; refused (an XML bomb?)")
        return
    if info.external_entities:
        raise FormatError(
            path,
            f"declares external entities ({', '.join(info.external_entities[:3])}); "
            "Rashomon never fetches them: remove the DOCTYPE's entity declarations",
        )
    if info.parameter_entities or info.pe_references:
        names = info.parameter_entities or info.pe_references
        raise FormatError(path, f"uses parameter entities ({', '.join(names[:3])}) in its DTD; refused")
    if len(info.entities) > max_entities:
        raise FormatError(path, f"declares {len(info.entities)} entities (at most {max_entities}); refused")
    for name, value in info.entities.items():
        if _ENTITY_REF.search(_CHAR_REF.sub("", value)):
            raise FormatError(
                path, f"entity '{name}' refers to other entities (nested expansion, an XML bomb); refused"
            )
    body = text[info.end :]
    expansion = 0
    for match in _ENTITY_REF.finditer(body):
        replacement = info.entities.get(match.group(1))
        if replacement is not None:
            expansion += len(replacement)
            if expansion > max_expansion:
                raise FormatError(
                    path,
                    f"entity references would add more than {max_expansion:,} characters "
                    "(an XML bomb?); refused",
                )


def _as_parser_text(data: bytes, http_headers: Mapping[str, str] | None) -> str:
    """The document as feedparser will see it: its own charset rules (BOM, HTTP header,
    XML declaration, UTF-16/32/EBCDIC sniffing), then UTF-8. Falls back to a plain
    BOM-or-declaration decoding when feedparser is unavailable or fails."""
    try:
        from feedparser.encodings import convert_to_utf8

        converted = convert_to_utf8(dict(http_headers or {}), data, {})
        if isinstance(converted, bytes):
            return converted.decode("utf-8", "replace")
    except Exception:  # feedparser internals: any failure means "use our own decoding"
        pass
    return _fallback_decode(data)


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")


def _fallback_decode(data: bytes) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(name, "replace")
    for marker, name in ((b"\x00\x00\x00<", "utf-32-be"), (b"<\x00\x00\x00", "utf-32-le"), (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"), (b"\x4c\x6f\xa7\x94", "cp037")):
        if data.startswith(marker):
            return data.decode(name, "replace")
    match = _XML_ENCODING.match(data)
    if match:
        try:
            return data.decode(match.group(1).decode("ascii"), "replace")
        except LookupError:
            pass
    return data.decode("utf-8", "replace")


def inspect_doctype(text: str) -> DoctypeInfo | None:
    """Tokenise the prolog of ``text`` and describe its DOCTYPE, or None when it has none.

    The prolog is what may precede the root element: an XML declaration, processing
    instructions, comments and white space. Quoted strings and comments inside the
    internal subset are skipped as a parser would, so ``">"`` or ``"]"`` inside an entity
    value cannot end the subset early. Raises _Malformed when the DOCTYPE is broken.
    """
    i, n = 0, len(text)
    if text.startswith("\ufeff"):
        i = 1
    while i < n:
        if text[i].isspace():
            i += 1
        elif text.startswith("<?", i):
            i = _skip_to(text, "?>", i + 2)
        elif text.startswith("<!--", i):
            i = _skip_to(text, "-->", i + 4)
        elif text[i : i + 9].upper() == "<!DOCTYPE":
            return _doctype(text, i + 9)
        else:
            return None
    return None


def _skip_to(text: str, end: str, i: int) -> int:
    j = text.find(end, i)
    if j < 0:
        raise _Malformed(f"unterminated '{end}'")
    return j + len(end)


def _quoted(text: str, i: int) -> tuple[str, int]:
    quote = text[i]
    j = text.find(quote, i + 1)
    if j < 0:
        raise _Malformed("unterminated quoted string")
    return text[i + 1 : j], j + 1


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i].isspace():
        i += 1
    return i


def _doctype(text: str, i: int) -> DoctypeInfo:
    n = len(text)
    i = _skip_space(text, i)
    m = re.compile(_NAME).match(text, i)
    if not m:
        raise _Malformed("DOCTYPE without a name")
    name, i = m.group(0), m.end()
    external: list[str] = []
    entities: dict[str, str] = {}
    ext_entities: list[str] = []
    param_entities: list[str] = []
    pe_refs: list[str] = []
    # External identifier: SYSTEM "uri" | PUBLIC "pubid" "uri" (kept, never fetched).
    while True:
        i = _skip_space(text, i)
        if i >= n:
            raise _Malformed("unterminated DOCTYPE")
        if text[i] in "\"'":
            value, i = _quoted(text, i)
            external.append(value)
        elif text[i] == "[" or text[i] == ">":
            break
        else:
            m = re.compile(r"[A-Za-z]+").match(text, i)
            if not m:
                raise _Malformed(f"unexpected {text[i]!r} in DOCTYPE")
            external.append(m.group(0))
            i = m.end()
    if text[i] == "[":
        i += 1
        while True:
            i = _skip_space(text, i)
            if i >= n:
                raise _Malformed("unterminated internal subset")
            if text[i] == "]":
                i = _skip_space(text, i + 1)
                if i >= n or text[i] != ">":
                    raise _Malformed("internal subset not closed by ']>'")
                break
            if text.startswith("<!--", i):
                i = _skip_to(text, "-->", i + 4)
            elif text.startswith("<?", i):
                i = _skip_to(text, "?>", i + 2)
            elif text[i] == "%":
                m = re.compile(r"%(" + _NAME + r");").match(text, i)
                if not m:
                    raise _Malformed("stray '%' in internal subset")
                pe_refs.append(m.group(1))
                i = m.end()
            elif text[i : i + 8].upper() == "<!ENTITY":
                i = _entity(text, i + 8, entities, ext_entities, param_entities)
            elif text.startswith("<!", i):
                i = _skip_declaration(text, i + 2)  # ELEMENT, ATTLIST, NOTATION
            else:
                raise _Malformed(f"unexpected {text[i]!r} in internal subset")
    return DoctypeInfo(
        name=name,
        external_id=" ".join(external),
        entities=entities,
        external_entities=tuple(ext_entities),
        parameter_entities=tuple(param_entities),
        pe_references=tuple(pe_refs),
        end=i + 1,
    )


def _skip_declaration(text: str, i: int) -> int:
    """Past the '>' closing a markup declaration, skipping quoted strings."""
    n = len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            _value, i = _quoted(text, i)
        elif c == ">":
            return i + 1
        else:
            i += 1
    raise _Malformed("unterminated markup declaration")


def _entity(text: str, i: int, entities: dict[str, str], external: list[str], parameter: list[str]) -> int:
    i = _skip_space(text, i)
    is_pe = text.startswith("%", i)
    if is_pe:
        i = _skip_space(text, i + 1)
    m = re.compile(_NAME).match(text, i)
    if not m:
        raise _Malformed("ENTITY without a name")
    name, i = m.group(0), m.end()
    i = _skip_space(text, i)
    if i < len(text) and text[i] in "\"'":
        value, i = _quoted(text, i)
        kind = "internal"
    else:
        kind = "external"  # SYSTEM or PUBLIC, possibly NDATA
        value = ""
    end = _skip_declaration(text, i)
    if is_pe:
        parameter.append(name)
    elif kind == "external":
        external.append(name)
    elif name not in entities:  # XML: the first declaration binds
        entities[name] = value
    return end


# --- lxml -------------------------------------------------------------------------------


def parse_xml(data: bytes, path: str) -> Any:
    """Parse ``data`` with lxml, safely: the DTD checked first (:func:`check_xml`), then
    no entity resolution, no DTD loading, no network, libxml2's default size limits.

    Returns the root element (``lxml.etree._Element``); raises FormatError naming ``path``.
    """
    from lxml import etree

    check_xml(data, path)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise FormatError(path, f"invalid XML ({_one_line(str(exc))})") from None
    if root is None:
        raise FormatError(path, "the XML document is empty")
    return root


# --- HTML -------------------------------------------------------------------------------


def html_limit_problem(text: str) -> str | None:
    """Why libxml2 would drop part of this HTML, or None when it reads all of it.

    Parses once with lxml's HTML parser at its default limits (the ones trafilatura and
    lxml.html use) and reads libxml2's error log: "Excessive depth" means the document is
    nested deeper than 256 elements, "Buffer size limit"/"Text node too long" a text node
    over 10 MB. In both cases libxml2 stops there and returns what it has so far.
    """
    # Neither limit can be hit by a short document with few tags: skip the parse.
    if len(text) < _MAX_TEXT_NODE and text.count("<") < MAX_HTML_DEPTH - 8:  # implied html/body/p
        return None
    from lxml import etree, html

    parser = html.HTMLParser(huge_tree=False)
    # Any other failure is for the extractor to report; only the error log matters here.
    with contextlib.suppress(etree.ParserError, etree.XMLSyntaxError, ValueError):
        etree.fromstring(text, parser)
    for entry in parser.error_log:
        message = (entry.message or "").strip()
        if "Excessive depth" in message:
            return (
                f"HTML nested deeper than {MAX_HTML_DEPTH} elements: libxml2 drops everything "
                "from that depth on, so the article text may be incomplete"
            )
        if entry.type_name == "ERR_RESOURCE_LIMIT" or "XML_PARSE_HUGE" in message:
            return (
                f"HTML exceeds a libxml2 size limit (a text node over {_MAX_TEXT_NODE:,} bytes?): "
                f"libxml2 drops the rest of the page ({_one_line(message, 80)})"
            )
    return None


def _one_line(text: str, limit: int = 200) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
