"""Output paths built from untrusted names (article titles, story titles, ids).

Reports and exports name their files after what they contain, and what they contain
comes from the web: a title such as ``../../.bashrc``, ``/etc/cron.d/x``, ``C:\\x``,
``CON`` or a 5,000-character headline must still give one harmless file name *inside*
the output directory. :func:`slugify` makes such a name; :func:`safe_output_path` joins
it to the directory and checks, after resolving symbolic links, that the result has not
left it.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from rashomon.errors import RashomonError

__all__ = ["UnsafePathError", "safe_output_path", "slugify"]

# File names are limited to 255 bytes on the usual file systems; leave room for a suffix
# and a de-duplicating counter that callers may add.
MAX_NAME_BYTES = 120

# Device names Windows reserves in every directory, with any extension (CON.html too).
_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "conin$", "conout$"}
    | {f"com{i}" for i in range(10)}
    | {f"lpt{i}" for i in range(10)}
)
_UNSAFE = re.compile(r"[^\w.-]+")  # \w is Unicode-aware: titles in any script survive
_DOTS = re.compile(r"\.{2,}")


class UnsafePathError(RashomonError):
    """An output path would leave its output directory."""


def slugify(name: str, *, max_bytes: int = MAX_NAME_BYTES, default: str = "untitled") -> str:
    """A file name made from ``name``: letters, digits, '_', '-', '.' only; no leading dot,
    no '..', no path separators, no Windows device name, at most ``max_bytes`` UTF-8 bytes.

    Idempotent: ``slugify(slugify(x)) == slugify(x)``.

    >>> slugify("../../Kremlin: 'No talks' / Reuters")
    'Kremlin-No-talks-Reuters'
    """
    # NFKC folds compatibility forms (fullwidth "／", ligatures) into what they look like,
    # so "..／" cannot pass as something other than a separator and a dot pair.
    text = unicodedata.normalize("NFKC", name)
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")  # controls, surrogates
    # Words between unsafe runs; a word of dots alone ("..") is a path step, not a word.
    words = (_DOTS.sub(".", w).strip("._") for w in _UNSAFE.sub("-", text).split("-"))
    text = "-".join(w for w in words if w)
    text = _truncate_utf8(text, max_bytes).rstrip("-._")
    if not text:
        return default
    stem = text.split(".", 1)[0].lower()
    if stem in _WINDOWS_RESERVED:
        text = f"_{text}"
        text = _truncate_utf8(text, max_bytes).rstrip("-._")
    # NFKC of the result must be the result itself, or a second pass would change it.
    return text if unicodedata.normalize("NFKC", text) == text else slugify(text, max_bytes=max_bytes, default=default)


def _truncate_utf8(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", "ignore")


def safe_output_path(out_dir: str | os.PathLike[str], name: str, *, suffix: str = "") -> Path:
    """The path of the file for ``name`` inside ``out_dir``: ``out_dir / (slugify(name) + suffix)``.

    suffix: an extension such as ".html", appended after slugging (it must be a plain
        one: a dot and letters or digits).

    Raises UnsafePathError when the result would resolve outside ``out_dir`` (a symbolic
    link inside it pointing elsewhere).
    """
    if suffix and not re.fullmatch(r"\.[A-Za-z0-9]{1,16}", suffix):
        raise UnsafePathError(f"output suffix {suffix!r} is not a plain extension like '.html'")
    base = Path(out_dir)
    root = base.resolve()
    candidate = base / (slugify(name) + suffix)
    # resolve() follows a symlink already sitting at the candidate's name; strict=False
    # because the file usually does not exist yet.
    resolved = candidate.resolve()
    if not resolved.is_relative_to(root):
        raise UnsafePathError(f"{candidate}: resolves to {resolved}, outside the output directory {root}")
    if resolved == root:
        raise UnsafePathError(f"{candidate}: names the output directory itself")
    return candidate
