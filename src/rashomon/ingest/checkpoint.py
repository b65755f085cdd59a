"""Ingest checkpoints: how far each input file has been consumed, kept in the store.

One checkpoint per input file, named ``ingest:<real path>``. Its value (JSON) says which
file it covers and how far:

- ``identity``: the file's size, modification time and a hash of its first KiB, plus a
  hash of the settings that decide what reading it gives (outlet registry, the user's
  ``--outlet`` for it, ``min_recurring``). A file that changed, or is read with other
  settings, is read again from the start (content-hash deduplication keeps that safe);
- ``position``: how many items (documents and errors, in reading order) are stored;
- ``complete``: the reader got to the end of the file;
- ``read``, ``failures``, ``warnings``: what the covered items were (articles read, bad
  inputs with their reasons, documents read only in part), so that a resumed run reports
  the whole input and not only the part it read itself.

A checkpoint is written in the same store transaction as the rows it covers (see
``rashomon.ingest.ingest_paths``): after a crash the store holds either both or neither.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rashomon import errors
from rashomon.errors import InputError

__all__ = ["MAX_LISTED", "Progress", "checkpoint_name", "file_identity", "settings_digest"]

# A checkpoint lists at most this many failures and warnings of its file (and counts the
# rest): it is rewritten with every batch, which must stay cheap on a file of bad lines.
MAX_LISTED = 1000
_VERSION = 1
_HEAD = 1024


def checkpoint_name(path: str) -> str:
    """The checkpoint of an input file: one per real path, however it was spelled."""
    return "ingest:" + os.path.realpath(path)


def file_identity(path: str, settings: str) -> str | None:
    """Size, mtime and first KiB of ``path``, plus the ``settings`` digest; None when
    the file cannot be read (the reader reports why)."""
    try:
        st = os.stat(path)
        with open(path, "rb") as fh:
            head = fh.read(_HEAD)
    except OSError:
        return None
    h = hashlib.sha256(head).hexdigest()[:16]
    return f"{st.st_size}:{st.st_mtime_ns}:{h}:{settings}"


def settings_digest(parts: Iterable[object]) -> str:
    """A short hash of the settings that decide what reading a file gives."""
    return hashlib.sha256(repr(tuple(parts)).encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(slots=True)
class Progress:
    """The checkpoint of one input file, as read from the store and advanced by this run.

    path: the file as given. name: its checkpoint name. identity: see ``file_identity``.
    start: the position this run started reading at (items before it were covered).
    """

    path: str
    name: str
    identity: str
    start: int = 0
    position: int = 0
    complete: bool = False
    read: int = 0
    failures: list[list[str]] = field(default_factory=list)
    more_failures: int = 0
    warnings: list[list[str]] = field(default_factory=list)
    more_warnings: int = 0
    exhausted: bool = False  # the reader got to the end during this run
    dirty: bool = False  # changed since the last write

    @classmethod
    def load(cls, path: str, identity: str, value: str | None) -> Progress:
        """The progress recorded in ``value`` when it is for this very file, else none."""
        fresh = cls(path, checkpoint_name(path), identity)
        if value is None:
            return fresh
        try:
            data = json.loads(value)
        except ValueError:
            return fresh
        if not isinstance(data, dict) or data.get("v") != _VERSION or data.get("identity") != identity:
            return fresh
        try:
            return cls(
                path, fresh.name, identity, start=int(data["position"]), position=int(data["position"]),
                complete=bool(data["complete"]), read=int(data["read"]),
                failures=[list(map(str, f)) for f in data["failures"]], more_failures=int(data["more_failures"]),
                warnings=[list(map(str, w)) for w in data["warnings"]], more_warnings=int(data["more_warnings"]),
            )
        except (KeyError, TypeError, ValueError):
            return fresh

    def dump(self) -> str:
        return json.dumps(
            {
                "v": _VERSION, "identity": self.identity, "position": self.position,
                "complete": self.complete, "read": self.read,
                "failures": self.failures, "more_failures": self.more_failures,
                "warnings": self.warnings, "more_warnings": self.more_warnings,
            },
            ensure_ascii=True,
        )

    def add_failure(self, error: InputError) -> None:
        if len(self.failures) < MAX_LISTED:
            self.failures.append([type(error).__name__, error.path, error.reason])
        else:
            self.more_failures += 1

    def add_warning(self, kind: str, doc_id: str, message: str) -> None:
        if len(self.warnings) < MAX_LISTED:
            self.warnings.append([kind, doc_id, message])
        else:
            self.more_warnings += 1

    def covered_failures(self) -> list[InputError]:
        """The failures recorded for the covered items, as the errors they were."""
        return [_error(kind, path, reason) for kind, path, reason in self.failures]


def _error(kind: str, path: str, reason: str) -> InputError:
    cls: Any = getattr(errors, kind, None)
    if not (isinstance(cls, type) and issubclass(cls, InputError)):
        cls = InputError
    error: InputError = cls(path, reason)
    return error


def snapshot(progress: Mapping[str, Progress]) -> dict[str, str]:
    """The checkpoint values to write now: those changed since the last write."""
    return {p.name: p.dump() for p in progress.values() if p.dirty}
