"""Text normalisation that never moves an offset.

Analysis wants plain spaces and one kind of line break; provenance wants every
span to index the original text. Both hold if normalisation only ever replaces
one character by one character: the analysed string has the same length as the
original, so an offset found in one is valid in the other.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# Characters that read as a space: NBSP, narrow NBSP, the en/em/thin/hair spaces,
# the ideographic space, tabs, and zero-width characters (which spaCy would
# otherwise glue into tokens). Each maps to exactly one ASCII space.
_SPACE_LIKE = (
    "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000\t\u000b\u000c\u200b\u200c\u200d\u2060\ufeff\u00ad"
)
# Line and paragraph separators and carriage returns read as a line break.
_BREAK_LIKE = "\r\u0085\u2028\u2029"

_TABLE = {ord(c): " " for c in _SPACE_LIKE} | {ord(c): "\n" for c in _BREAK_LIKE}
# NUL and other C0 controls (except \n) become spaces: SQLite, PostgreSQL and
# spaCy disagree about them, and they are never content.
_TABLE |= {c: " " for c in range(0x20) if c != 0x0A and c not in _TABLE}
_TABLE[0x7F] = " "

_WS_RUN = re.compile(r"\s+")


def for_analysis(text: str) -> str:
    """Return ``text`` with odd whitespace and controls replaced one-for-one.

    The result has the same length as ``text``, so offsets carry over unchanged.
    Lone surrogates (which no encoder accepts) become U+FFFD, also one-for-one.
    """
    out = text.translate(_TABLE)
    if any("\ud800" <= ch <= "\udfff" for ch in out):
        out = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in out)
    return out


_NUL_OR_SURROGATE = re.compile("[\x00\ud800-\udfff]")


def sanitize(text: str) -> str:
    """Return ``text`` with NUL and lone surrogates replaced by U+FFFD, one for one.

    PostgreSQL refuses both in text columns, SQLite keeps them: after this both stores
    hold the same string. Offsets are unchanged; ``sanitize(sanitize(t)) == sanitize(t)``.
    """
    return _NUL_OR_SURROGATE.sub("\ufffd", text)


def collapse(text: str) -> str:
    """NFC-normalise and collapse whitespace runs: a key for comparing text, not for offsets."""
    return _WS_RUN.sub(" ", unicodedata.normalize("NFC", for_analysis(text))).strip()


def line_key(line: str) -> str:
    """A short stable key for a line, equal for lines that differ only in case or spacing."""
    return hashlib.sha1(collapse(line).casefold().encode("utf-8")).hexdigest()[:16]


def digest(*parts: str | None) -> str:
    """sha256 hex over the collapsed parts, in order (None and "" hash alike)."""
    h = hashlib.sha256()
    for part in parts:
        h.update(collapse(part or "").encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()
