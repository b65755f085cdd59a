"""Readers: one per input format, each turning a file into raw documents.

A raw document is what a file says, before any cleaning: its text as read plus the
metadata the format carries. Readers yield an ``InputError`` in place of a document
they cannot read, so one bad line of a JSONL file costs that line, not the file.

Formats (../shared/INTERFACE.md): plain text, HTML (trafilatura, reader comments
excluded), JSON / JSONL (optionally gzipped; news-please's or Rashomon's field
names), RSS/Atom feeds (feedparser) and WARC archives (warcio).
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rashomon.errors import (
    EmptyInputError,
    FormatError,
    InputError,
    MissingInputError,
    UnsupportedInputError,
)
from rashomon.ingest.decode import decode
from rashomon.textnorm import sanitize

if TYPE_CHECKING:
    from rashomon.sandbox import Sandbox

_log = logging.getLogger(__name__)

# Compressed inputs are capped after decompression: a 10 KB gzip can expand to gigabytes.
MAX_BYTES = 256 * 1024 * 1024

_TEXT_EXT = (".txt", ".text")
_HTML_EXT = (".html", ".htm", ".xhtml")
_JSON_EXT = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")
_FEED_EXT = (".xml", ".rss", ".atom")
_WARC_EXT = (".warc", ".warc.gz", ".arc", ".arc.gz")
KNOWN_EXTENSIONS = _TEXT_EXT + _HTML_EXT + _JSON_EXT + _FEED_EXT + _WARC_EXT


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One article as a file states it, before cleaning.

    id, path: see model.Article. text: the article text as read.
    title_in_text: the title is the first line of ``text`` (plain text, some HTML).
    site: the outlet as the metadata names it (a name or a domain), or None.
    warnings: (kind, message) pairs for a document read only in part, e.g.
        ("deep nesting", "HTML nested deeper than 256 elements: ..."); counted in the
        ingest summary. Kinds: "deep nesting", "size limit".
    """

    id: str
    path: str
    text: str
    source_format: str
    title: str | None = None
    title_in_text: bool = False
    published: str | None = None
    url: str | None = None
    site: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    encoding: str | None = None
    warnings: tuple[tuple[str, str], ...] = ()


def kind_of(path: str) -> str | None:
    """The format a file name says ("text", "html", "json", "feed", "warc"), or None."""
    name = path.lower()
    for kind, exts in (
        ("warc", _WARC_EXT),
        ("json", _JSON_EXT),
        ("html", _HTML_EXT),
        ("feed", _FEED_EXT),
        ("text", _TEXT_EXT),
    ):
        if name.endswith(exts):
            return kind
    return None


def expand(paths: list[str]) -> Iterator[str | InputError]:
    """The files named by ``paths``: files as given, directories recursively (sorted,
    known extensions only, hidden entries skipped); a missing path yields an error."""
    from rashomon.fetch import is_url

    for given in paths:
        if is_url(given):
            yield given  # fetched (or refused: file://, private hosts) by read_file
            continue
        p = Path(given)
        if p.is_dir():
            found = sorted(
                str(f)
                for f in p.rglob("*")
                if f.is_file()
                and kind_of(f.name)
                and not any(part.startswith(".") for part in f.relative_to(p).parts)
            )
            # Keep the user's spelling of the directory so ids read like the command line.
            yield from (given.rstrip("/") + "/" + str(Path(f).relative_to(p)) for f in found)
        elif p.exists():
            yield given
        else:
            yield MissingInputError(given, "no such file or directory")


def read_file(path: str, sandbox: Sandbox | None = None, skip: int = 0) -> Iterator[RawDocument | InputError]:
    """Read one file, choosing the reader by extension, or by content when it has none we know.

    sandbox: when given, HTML extraction runs in its killable workers, under its time and
    memory limits; a page that exceeds them is reported as failed, with the reason.
    skip: leave out the first ``skip`` items (documents and errors alike) that reading
    the file would yield, as a resumed ingest does; JSONL lines and WARC records so
    skipped are not parsed or extracted at all.
    """
    items = _read_any(path, sandbox, skip)
    for item in items:
        # NUL and lone surrogates become U+FFFD, one for one: SQLite stores them but
        # PostgreSQL refuses both, and the two stores must hold the same text.
        yield _sanitized(item) if isinstance(item, RawDocument) else item


def _read_any(path: str, sandbox: Sandbox | None, skip: int = 0) -> Iterator[RawDocument | InputError]:
    from rashomon.fetch import is_url

    if is_url(path):
        yield from islice(_read_url(path, sandbox), skip, None)
        return
    yield from _read_local(path, sandbox, _Skip(skip))


class _Skip:
    """How many items a reader has yet to leave out (shared with the wrapper that leaves
    out whatever the reader could not skip itself)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def take(self) -> bool:
        """True when the next item is to be left out (and count it)."""
        if self.n > 0:
            self.n -= 1
            return True
        return False


def _read_local(path: str, sandbox: Sandbox | None, skip: _Skip) -> Iterator[RawDocument | InputError]:
    for item in _read_file_items(path, sandbox, skip):
        if not skip.take():
            yield item


def _read_file_items(path: str, sandbox: Sandbox | None, skip: _Skip) -> Iterator[RawDocument | InputError]:
    try:
        data = _read_bytes(path)
        kind = kind_of(path) or _sniff(data, path)
    except InputError as exc:
        yield exc
        return
    try:
        if kind == "html":
            yield from _read_html(data, path, sandbox=sandbox)
        elif kind == "warc":
            yield from _read_warc(data, path, sandbox=sandbox, skip=skip)
        elif kind == "json":
            yield from _read_json(data, path, skip=skip)
        elif kind == "feed":
            yield from _read_feed(data, path)
        else:
            yield from _read_text(data, path)
    except InputError as exc:
        yield exc


_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml")


def _read_url(url: str, sandbox: Sandbox | None = None) -> Iterator[RawDocument | InputError]:
    """Fetch ``url`` (rashomon.fetch: address policy, size and time limits) and read the
    body with the reader its Content-Type names, or by content when it names none we know."""
    from rashomon import fetch as fetching

    try:
        got = fetching.fetch(url)
        ctype = got.content_type or ""
        kind = (
            "html" if ctype in ("text/html", "application/xhtml+xml")
            else "feed" if ctype in _FEED_TYPES or ctype.endswith("+xml")
            else "json" if "json" in ctype
            else _sniff(got.body, url)
        )  # fmt: skip
        if kind == "html":
            yield _html_in(sandbox, got.body, url, url, got.charset, got.final_url, "html")
        else:
            readers: dict[str, Callable[[bytes, str], Iterator[RawDocument | InputError]]] = {
                "text": _read_text, "json": _read_json, "feed": _read_feed, "warc": _read_warc,
            }
            yield from readers[kind](got.body, url)
    except InputError as exc:
        yield exc


def _sanitized(doc: RawDocument) -> RawDocument:
    from dataclasses import replace

    def s(value: str | None) -> str | None:
        return None if value is None else sanitize(value)

    return replace(
        doc, text=sanitize(doc.text), title=s(doc.title), published=s(doc.published), url=s(doc.url),
        site=s(doc.site), language=s(doc.language), authors=tuple(sanitize(a) for a in doc.authors),
    )


def _read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise UnsupportedInputError(path, "is a directory") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except FileNotFoundError:
        raise MissingInputError(path, "no such file or directory") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise FormatError(path, f"larger than {MAX_BYTES // 2**20} MiB; split it into smaller files")
    if path.lower().endswith(".gz") and not path.lower().endswith((".warc.gz", ".arc.gz")):
        raw = _gunzip(raw, path)
    if not raw.strip():
        raise EmptyInputError(path, "the file is empty")
    return raw


def _gunzip(raw: bytes, path: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(raw)) as gz:
            out = gz.read(MAX_BYTES + 1)
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise FormatError(path, f"not a valid gzip file ({exc})") from None
    if len(out) > MAX_BYTES:
        raise FormatError(path, f"decompresses to more than {MAX_BYTES // 2**20} MiB (a compression bomb?)")
    return out


def _sniff(data: bytes, path: str) -> str:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"warc/"):
        return "warc"
    if head.startswith((b"{", b"[")):
        return "json"
    if head.startswith(b"<?xml") or head.startswith((b"<rss", b"<feed", b"<rdf")):
        return "feed"
    if head.startswith((b"<!doctype html", b"<html")):
        return "html"
    if data[:2] == b"\x1f\x8b":
        raise UnsupportedInputError(path, "gzip data without a .gz extension; name it .jsonl.gz or .warc.gz")
    return "text"


# --- plain text -------------------------------------------------------------------------


def _read_text(data: bytes, path: str) -> Iterator[RawDocument]:
    decoded = decode(data, path)
    yield RawDocument(
        id=path, path=path, text=decoded.text, source_format="text", title_in_text=True, encoding=decoded.encoding
    )


# --- HTML -------------------------------------------------------------------------------


def _read_html(data: bytes, path: str, sandbox: Sandbox | None = None) -> Iterator[RawDocument]:
    yield _html_in(sandbox, data, path, path, None, None, "html")


def _html_in(
    sandbox: Sandbox | None, data: bytes, doc_id: str, path: str, declared: str | None, url: str | None, source_format: str
) -> RawDocument:
    """``html_document``, in ``sandbox``'s killable workers when one is given: a page over
    its time or memory limit becomes a FormatError with the reason."""
    if sandbox is None:
        return html_document(data, doc_id, path, declared, url, source_format)
    from rashomon.sandbox import Failed

    outcome = sandbox.call(html_document, data, doc_id, path, declared, url, source_format)
    if isinstance(outcome, Failed):
        reason = outcome.reason.removeprefix(f"{outcome.error_type}: ")
        raise FormatError(doc_id, reason if outcome.kind == "error" else f"HTML extraction stopped: {reason}")
    return outcome.value


# htmldate's default upper bound is today, which makes the result depend on the day it runs
# and rejects dated pages from a machine with a wrong clock: a fixed bound keeps it a pure
# function of the page.
_DATE_PARAMS = {"extensive_search": True, "original_date": True, "max_date": "2099-12-31"}


def html_document(
    data: bytes,
    doc_id: str,
    path: str,
    declared: str | None = None,
    url: str | None = None,
    source_format: str = "html",
) -> RawDocument:
    """Extract an article from one HTML page with trafilatura (reader comments excluded)."""
    import trafilatura

    from rashomon.safexml import html_limit_problem

    decoded = decode(data, doc_id, declared)
    # libxml2 silently stops at depth 256 or at a 10 MB text node: ask it whether it did.
    problem = html_limit_problem(decoded.text)
    try:
        doc = trafilatura.bare_extraction(
            decoded.text,
            url=url,
            include_comments=False,
            with_metadata=True,
            include_tables=False,
            date_extraction_params=_DATE_PARAMS,
        )
    except Exception as exc:  # trafilatura/lxml raise many kinds on hostile markup
        raise FormatError(doc_id, f"HTML could not be parsed ({type(exc).__name__})") from None
    text = (getattr(doc, "text", None) or "").strip("\n") if doc is not None else ""
    if not text.strip():
        raise FormatError(doc_id, problem or "no article text found in the HTML page")
    warnings: tuple[tuple[str, str], ...] = ()
    if problem:
        _log.warning("%s: %s", doc_id, problem)
        warnings = (("deep nesting" if "nested deeper" in problem else "size limit", problem),)
    title = _clean_str(getattr(doc, "title", None))
    first_line = text.split("\n", 1)[0].strip()
    sitename = _clean_str(getattr(doc, "sitename", None))
    return RawDocument(
        id=doc_id,
        path=path,
        text=text,
        source_format=source_format,
        title=title or None,
        title_in_text=bool(title) and first_line == title,
        published=_iso_date(getattr(doc, "date", None)),
        url=_clean_str(getattr(doc, "url", None)) or url,
        site=sitename,
        authors=_authors(getattr(doc, "author", None)),
        language=_clean_str(getattr(doc, "language", None)),
        encoding=decoded.encoding,
        warnings=warnings,
    )


# --- JSON / JSONL -----------------------------------------------------------------------


def _read_json(data: bytes, path: str, skip: _Skip | None = None) -> Iterator[RawDocument | InputError]:
    text = decode(data, path).text
    stripped = text.strip()
    lines_mode = path.lower().removesuffix(".gz").endswith((".jsonl", ".ndjson"))
    if not lines_mode:
        try:
            value = json.loads(stripped, parse_constant=_refuse_constant)
        except RecursionError:
            raise FormatError(path, "invalid JSON: nested too deeply") from None
        except ValueError as exc:
            # A .json file that holds one object per line is JSONL in all but name.
            if "\n" in stripped and stripped.startswith("{"):
                lines_mode = True
            else:
                raise FormatError(path, f"invalid JSON: {exc}") from None
        else:
            records = value if isinstance(value, list) else [value]
            many = isinstance(value, list)
            for n, record in enumerate(records, 1):
                doc_id = f"{path}#{n}" if many else path
                yield _from_record(record, doc_id, path)
            return
    # JSONL: N counts non-blank lines, so a bad line does not renumber the articles after it.
    n = 0
    # Lines end at CR and LF only: str.splitlines would also split at U+2028, U+2029, NEL
    # and the like, which JSON allows unescaped inside a string.
    for lineno, line in enumerate(_JSONL_LINE_END.split(text), 1):
        if not line.strip():
            continue
        n += 1
        if skip is not None and skip.take():
            continue  # consumed by an earlier, interrupted ingest: not even parsed
        doc_id = f"{path}#{n}"
        try:
            # A BOM inside the file: JSONL files concatenated with `cat`.
            record = json.loads(line.lstrip("\ufeff"), parse_constant=_refuse_constant)
        except RecursionError:
            yield FormatError(f"{path}:{lineno}", "JSON line nested too deeply")
            continue
        except ValueError as exc:
            yield FormatError(f"{path}:{lineno}", f"truncated or invalid JSON line ({getattr(exc, 'msg', exc)})")
            continue
        try:
            yield _from_record(record, doc_id, path)
        except InputError as exc:
            yield InputError(f"{path}:{lineno}", exc.reason)


_JSONL_LINE_END = re.compile(r"\r\n|\r|\n")


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not valid JSON")


def _from_record(record: Any, doc_id: str, path: str) -> RawDocument:
    """An article from one JSON object with news-please's or Rashomon's field names."""
    if not isinstance(record, dict):
        raise FormatError(doc_id, f"expected a JSON object per article, found {type(record).__name__}")
    text = record.get("text") if record.get("text") is not None else record.get("maintext")
    if not isinstance(text, str) or not text.strip():
        raise FormatError(doc_id, "no article text: expected a non-empty 'text' or 'maintext' field")
    outlet = record.get("outlet")
    if isinstance(outlet, dict):  # Rashomon's own JSON output nests the outlet
        outlet = outlet.get("name")
    site = _clean_str(outlet) or _clean_str(record.get("source_domain"))
    return RawDocument(
        id=doc_id,
        path=path,
        text=text,
        source_format="json",
        title=_clean_str(record.get("title")),
        published=_iso_date(record.get("published") or record.get("date_publish")),
        url=_clean_str(record.get("url")),
        site=site,
        authors=_authors(record.get("authors")),
        language=_clean_str(record.get("language")),
        encoding="json",
    )


# --- RSS / Atom -------------------------------------------------------------------------


def _read_feed(data: bytes, path: str) -> Iterator[RawDocument | InputError]:
    import feedparser

    from rashomon.safexml import check_xml

    check_xml(data, path)  # entity bombs, external entities: refused before any parser runs
    try:
        # A BytesIO, never the bytes: feedparser opens bytes that name an existing file.
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=False)
    except Exception as exc:  # feedparser is forgiving, but its SAX back end is not always
        raise FormatError(path, f"feed could not be parsed ({type(exc).__name__})") from None
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            reason = str(parsed.get("bozo_exception") or "ill-formed")
            raise FormatError(path, f"not a readable RSS/Atom feed: {reason.splitlines()[0][:200]}")
        raise FormatError(path, "the feed holds no entries")
    feed_link = _clean_str(parsed.get("feed", {}).get("link"))
    for n, entry in enumerate(entries, 1):
        doc_id = f"{path}#{n}"
        body_html = ""
        for content in entry.get("content") or []:
            if content.get("value"):
                body_html = content["value"]
                break
        body_html = body_html or entry.get("summary") or entry.get("description") or ""
        text = html_fragment_text(body_html)
        if not text.strip():
            yield FormatError(doc_id, "feed entry has no text (no content or summary)")
            continue
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        try:
            published = date(*when[:3]).isoformat() if when else None
        except (TypeError, ValueError):  # feedparser passes "0000-00-00" on as year 0
            published = None
        authors = tuple(a.get("name", "") for a in entry.get("authors") or [] if a.get("name"))
        yield RawDocument(
            id=doc_id,
            path=path,
            text=text,
            source_format="feed",
            title=_clean_str(entry.get("title")),
            published=published,
            url=_clean_str(entry.get("link")) or feed_link,
            site=None,
            authors=authors,
            language=_clean_str(parsed.get("feed", {}).get("language")),
            encoding=parsed.get("encoding"),
        )


_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article"}


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed's content), one line per block element."""
    if "<" not in fragment:
        return fragment.strip()
    from lxml import etree, html

    try:
        root = html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]*>", " ", fragment).strip()
    for bad in root.xpath(".//script|.//style|.//noscript|.//iframe"):
        bad.drop_tree()
    pieces: list[str] = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            if el.tail:
                pieces.append(el.tail)
            continue
        if el.tag in _BLOCK_TAGS:
            pieces.append("\n")
        if el.text:
            pieces.append(el.text)
        if el is not root and el.tail:
            pieces.append(el.tail)
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in "".join(pieces).split("\n"))
    return "\n".join(line for line in lines if line)


# --- WARC -------------------------------------------------------------------------------


def _read_warc(
    data: bytes, path: str, sandbox: Sandbox | None = None, skip: _Skip | None = None
) -> Iterator[RawDocument | InputError]:
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    n = 0
    try:
        for record in ArchiveIterator(io.BytesIO(data), arc2warc=True):
            if record.rec_type not in ("response", "resource"):
                continue
            ctype = record.http_headers.get_header("Content-Type") if record.http_headers else None
            ctype = ctype or record.rec_headers.get_header("Content-Type") or ""
            if "html" not in ctype.lower():
                continue
            if record.http_headers and not record.http_headers.get_statuscode().startswith("2"):
                continue
            n += 1
            if skip is not None and skip.take():
                continue  # consumed by an earlier, interrupted ingest: not extracted again
            doc_id = f"{path}#{n}"
            charset = re.search(r"charset=([\w.:-]+)", ctype, re.I)
            url = record.rec_headers.get_header("WARC-Target-URI")
            try:
                payload = record.content_stream().read(MAX_BYTES + 1)
                if len(payload) > MAX_BYTES:
                    raise FormatError(doc_id, "record larger than the size limit")
                yield _html_in(sandbox, payload, doc_id, path, charset.group(1) if charset else None, url, "warc")
            except InputError as exc:
                yield exc
    except ArchiveLoadFailed as exc:
        raise FormatError(path, f"not a valid WARC file ({str(exc).splitlines()[0][:200]})") from None
    except Exception as exc:  # warcio raises OSError and ValueError, but also
        # AttributeError/KeyError/IndexError on damaged headers (a response without a URI)
        raise FormatError(path, f"WARC file is truncated or corrupt ({type(exc).__name__})") from None
    if n == 0:
        raise FormatError(path, "the WARC file holds no HTML responses")


# --- field helpers ----------------------------------------------------------------------


def _clean_str(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _authors(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = re.split(r";|\band\b|,(?!\s*(?:Jr|Sr)\b)", value) if ";" in value or " and " in value else [value]
    if not isinstance(value, list | tuple):
        return ()
    return tuple(a for a in (_clean_str(v) for v in value) if a)


def _iso_date(value: Any) -> str | None:
    """A date as "YYYY-MM-DD" from the forms feeds and dumps use, or None."""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int | float) and math.isfinite(value) and 0 < value < 1e11:
        return datetime.fromtimestamp(value, tz=UTC).strftime("%Y-%m-%d")
    if not isinstance(value, str):
        return None
    match = re.match(r"\s*(\d{4})-(\d{2})-(\d{2})", value)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).strftime("%Y-%m-%d")
    except (TypeError, ValueError, IndexError):
        return None
