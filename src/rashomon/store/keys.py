"""Keys that identify an article across inputs: the canonical form of its URL.

The same article reaches Rashomon under many spellings of one URL: with and without
``www.``, over http and https, with a trailing slash, with the campaign parameters a
newsletter or a social network appended. :func:`canonical_url` maps all of them to one
string so the store can treat them as one article.

The rules follow the usual URL normalisations (RFC 3986 section 6, and the tracking-parameter
lists that w3lib's ``canonicalize_url`` and browsers' "copy clean link" features strip),
but go further than the RFC where news URLs make that safe: ``http`` and ``https`` are
the same page, as are ``www.host`` and ``host``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

# Query parameters that only say how a reader arrived, never which page they got.
# Matched case-insensitively; names ending in "_" are prefixes (utm_source, utm_medium, ...).
TRACKING_PARAMS = frozenset(
    {
        "utm_",  # Google Analytics campaign tags
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "twclid",  # Twitter/X
        "igshid",  # Instagram
        "li_fat_id",  # LinkedIn
        "mc_cid",  # Mailchimp
        "mc_eid",
        "_ga",  # Google cross-domain linker
        "_gl",
        "ocid",  # Microsoft/MSN syndication
        "cmpid",  # campaign ids (Guardian, Telegraph, ...)
        "cmp",
        "icid",  # internal campaign ids
        "ito",
        "xtor",  # AT Internet (Le Monde, France Info, ...)
        "at_medium",  # BBC
        "at_campaign",
        "at_link_id",
        "at_link_origin",
        "at_link_type",
        "at_ptr_name",
        "at_format",
        "at_bbc_team",
        "at_custom1",
        "at_custom2",
        "at_custom3",
        "at_custom4",
        "smid",  # New York Times share ids
        "smtyp",
        "ref_src",  # Twitter embeds
        "ref_url",
        "s_cid",  # Adobe
        "ns_mchannel",  # comScore
        "ns_source",
        "ns_campaign",
        "ns_linkname",
        "ns_fee",
        "mbid",  # Marketo
        "mkt_tok",
        "spm",  # Alibaba
        "__twitter_impression",
    }
)
_TRACKING_PREFIXES = tuple(p for p in TRACKING_PARAMS if p.endswith("_"))

# Ports that add nothing: http and https are treated as one scheme, so both defaults go.
_DEFAULT_PORTS = frozenset({80, 443})

# A host name: dot-separated labels of letters (any script), digits and hyphens, or an
# IPv6 literal in brackets. Anything else (spaces, quotes, "@" left over) is not a URL.
_HOST = re.compile(r"^(?:\[[0-9a-f:.]+\]|[\w-]+(?:\.[\w-]+)*)$")

# A scheme-less URL: "www." and a domain, or a domain and a path ("bbc.co.uk/news/x").
# A bare "name.ext" is left alone: "article.txt" is a file name, not a host.
_BARE_HOST = re.compile(
    r"^(?:www\.[\w-]+(?:\.[\w-]+)*(?::\d+)?(?:[/?#]|$)"
    r"|[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?::\d+)?/)"
)

_PERCENT = re.compile(r"%([0-9A-Fa-f]{2})")
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

# Characters left as they are in a path: RFC 3986 pchar plus "/" and "%" (escapes were
# already normalised, and re-quoting "%" would turn "%2F" into "%252F").
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"


def canonical_url(url: str | None) -> str | None:
    """The canonical form of an article URL, or None when ``url`` is empty or not a web URL.

    Lowercases the scheme and host, writes every scheme as ``https``, drops ``www.``,
    user info, default ports (80, 443), the fragment and tracking parameters
    (:data:`TRACKING_PARAMS`), sorts the remaining query parameters, normalises percent
    escapes (upper-case hex, unreserved characters decoded, non-ASCII encoded) and
    removes trailing slashes from the path (the bare host keeps its "/").

    >>> canonical_url("http://www.BBC.co.uk:80/news/world-123/?utm_source=x&b=2&a=1#top")
    'https://bbc.co.uk/news/world-123?a=1&b=2'
    """
    if url is None:
        return None
    url = url.strip()
    if not url:
        return None
    if url.startswith("//"):
        url = "https:" + url
    elif "://" not in url and _BARE_HOST.match(url):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a port that is not a number in range
        host = parts.hostname  # lowercased, without user info and port
        if parts.scheme.lower() not in ("http", "https") or not host:
            return None
        host = host.rstrip(".")
        while host.startswith("www."):  # a loop, so the result is canonical in turn
            host = host[4:]
        if ":" in host:  # IPv6: urlsplit strips the brackets, the URL needs them
            host = f"[{host}]"
        if not _HOST.match(host):
            return None
        netloc = host if port is None or port in _DEFAULT_PORTS else f"{host}:{port}"
        path = quote(_normalise_escapes(parts.path), safe=_PATH_SAFE).rstrip("/") or "/"
        query = _canonical_query(parts.query)
    except (ValueError, UnicodeError):
        # ValueError: malformed netloc or port; UnicodeError: lone surrogates cannot be
        # percent-encoded, so such a string is not a URL anyone can fetch.
        return None
    return f"https://{netloc}{path}" + (f"?{query}" if query else "")


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def _canonical_query(query: str) -> str:
    # parse_qsl decodes "+" and "%20" alike, so both spellings of a value re-encode the same.
    pairs = [
        (k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k and not _is_tracking(k)
    ]
    return urlencode(sorted(pairs), quote_via=quote)


def _normalise_escapes(path: str) -> str:
    """Upper-case percent escapes and decode those of unreserved characters (RFC 3986 6.2.2)."""

    def fix(m: re.Match[str]) -> str:
        byte = int(m.group(1), 16)
        return chr(byte) if byte in _UNRESERVED else "%" + m.group(1).upper()

    return _PERCENT.sub(fix, path)
