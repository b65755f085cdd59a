"""How an :class:`~rashomon.model.Article` becomes a row of ``articles`` and back, for every
backend.

The SQLite and PostgreSQL stores keep an article in the same columns with the same JSON
in them (``outlet``, ``wire``, ``removed``, ``paragraphs``, ``authors``), so the mapping
lives here once and a change to it reaches both stores together; a store written by one
version of this mapping must stay readable by the next, so treat the JSON shapes below
as a file format.

What stays in each backend is only what really differs between the databases: how a
value is made storable (SQLite keeps a ``str`` with lone surrogates as a ``surrogatepass``
BLOB, PostgreSQL escapes text with NUL or lone surrogates, see their ``_dump`` and
``_load``), how a stored integer comes back (``integer``), the columns only one of them
has (SQLite's ``ingested_at`` text, PostgreSQL's ``search`` vector) and the SQL itself.
Functions here see plain Python values: the backend encodes what :func:`article_columns`
returns and decodes a row before :func:`article_from_row` reads it (it passes its
``_load``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from rashomon.model import Article, Outlet, Removed, WireCredit
from rashomon.store.base import AddResult, paragraphs_from_rows, paragraphs_to_rows

# The columns :func:`article_columns` fills, in its order; each backend adds its own.
INSERT_COLUMNS = (
    "id, path, text, title, title_start, title_end, published, url, canonical_url, "
    "outlet_name, outlet, outlet_via, wire, removed, paragraphs, language, authors, "
    "encoding, source_format, content_hash"
)
# The columns :func:`article_from_row` reads, in its order.
SELECT_COLUMNS = (
    "id, path, text, title, title_start, title_end, published, url, outlet, outlet_via, "
    "wire, removed, paragraphs, language, authors, encoding, source_format, content_hash"
)

_SURROGATE = re.compile("[\ud800-\udfff]")


def to_json(value: Any) -> str:
    """The compact JSON kept in a column: no spaces, non-ASCII as it is."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def outlet_to_json(outlet: Outlet) -> str:
    """The ``outlet`` column: every field of the outlet, by name."""
    return to_json(
        {
            "name": outlet.name,
            "domains": outlet.domains,
            "country": outlet.country,
            "language": outlet.language,
            "ownership": outlet.ownership,
            "signatures": outlet.signatures,
            "source": outlet.source,
            "kind": outlet.kind,
        }
    )


def outlet_from_json(d: dict[str, Any]) -> Outlet:
    """The inverse of :func:`outlet_to_json` (given the parsed JSON); missing fields default."""
    return Outlet(
        name=d["name"],
        domains=tuple(d.get("domains", ())),
        country=d.get("country"),
        language=d.get("language"),
        ownership=d.get("ownership"),
        signatures=tuple(d.get("signatures", ())),
        source=d.get("source"),
        kind=d.get("kind", "outlet"),
    )


def article_columns(a: Article, curl: str | None) -> tuple[Any, ...]:
    """The values of :data:`INSERT_COLUMNS` for ``a``, before the backend encodes them.

    curl: the article's canonical URL (:func:`rashomon.store.keys.canonical_url`), or None.
    """
    span = a.title_span if a.title_span is not None else (None, None)
    return (
        a.id,
        a.path,
        a.text,
        a.title,
        span[0],
        span[1],
        a.published,
        a.url,
        curl,
        a.outlet.name if a.outlet is not None else None,
        None if a.outlet is None else outlet_to_json(a.outlet),
        a.outlet_via,
        to_json([(w.name, w.start, w.end) for w in a.wire]),
        to_json([(r.start, r.end, r.text, r.rule) for r in a.removed]),
        to_json(paragraphs_to_rows(a.paragraphs)),
        a.language,
        to_json(a.authors),
        a.encoding,
        a.source_format,
        a.content_hash or None,  # "" means "not computed": it must not collide
    )


def _as_is(value: Any) -> Any:
    return value


def article_from_row(
    row: Sequence[Any],
    *,
    load: Callable[[Any], Any],
    integer: Callable[[Any], Any] = _as_is,
) -> Article:
    """The article of a row of :data:`SELECT_COLUMNS`.

    load: the backend's decoding of one stored value, applied to every column first.
    integer: applied to the title span's two ends (PostgreSQL passes ``int``).
    """
    (aid, path, text, title, t_start, t_end, published, url, outlet, outlet_via,
     wire, removed, paragraphs, language, authors, encoding, source_format, chash) = (
        load(v) for v in row
    )  # fmt: skip
    return Article(
        id=aid,
        path=path,
        text=text,
        title=title,
        title_span=None if t_start is None else (integer(t_start), integer(t_end)),
        published=published,
        url=url,
        outlet=None if outlet is None else outlet_from_json(json.loads(outlet)),
        outlet_via=outlet_via,
        wire=tuple(WireCredit(n, s, e) for n, s, e in json.loads(wire)),
        removed=tuple(Removed(s, e, t, r) for s, e, t, r in json.loads(removed)),
        paragraphs=paragraphs_from_rows(json.loads(paragraphs)),
        language=language,
        authors=tuple(json.loads(authors)),
        encoding=encoding,
        source_format=source_format,
        content_hash=chash or "",
    )


def duplicate_result(article: Article, existing_id: str, what: str) -> AddResult:
    """:meth:`Store.add_article`'s answer for an article already stored as ``existing_id``.

    what: the key they share, "content" or "URL".
    """
    return AddResult("duplicate", article.id, existing_id, f"same {what} as {existing_id}")


def index_body(a: Article) -> str:
    """The text full-text search indexes as the body: the kept reporting, not the
    boilerplate; an article not yet cleaned (no paragraphs) is still findable by its
    whole text."""
    return a.body if a.paragraphs else a.text


def index_text(text: str) -> str:
    """Text a full-text index can hold: a space for NUL, U+FFFD for a lone surrogate."""
    return _SURROGATE.sub("\ufffd", text.replace("\x00", " "))
