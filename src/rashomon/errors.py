"""Rashomon's errors: named, explained, and never a traceback for a user's mistake.

    RashomonError                 every error the library raises on purpose
    ├── InputError                an input cannot be read as an article; names the file
    │   ├── MissingInputError     the path does not exist
    │   ├── EmptyInputError       the file holds nothing (or only whitespace)
    │   ├── BinaryInputError      the bytes are not text (NUL bytes, control characters)
    │   ├── DecodingError         the bytes cannot be decoded with any stated charset
    │   ├── FormatError           the file is not valid for its format (JSON, feed, WARC)
    │   └── UnsupportedInputError the file's kind is not one Rashomon reads
    ├── ConfigError               a settings file, registry file or option is wrong
    ├── StoreError                the database cannot be opened, migrated or written
    └── MissingExtraError         an optional dependency is not installed; names the pip line

The CLI prints ``str(error)`` on one line and exits non-zero. An ``InputError``
always starts with the offending path, so a batch's log reads like a compiler's.
"""

from __future__ import annotations


class RashomonError(Exception):
    """Base of every error Rashomon raises on purpose."""


class InputError(RashomonError):
    """An input that cannot be read as an article.

    path: the path as given (with "#N" or ":LINE" when the problem is inside a file).
    reason: what is wrong and, where it helps, how to fix it.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class MissingInputError(InputError):
    """The path does not exist."""


class EmptyInputError(InputError):
    """The file is empty or holds only whitespace."""


class BinaryInputError(InputError):
    """The bytes are not text."""


class DecodingError(InputError):
    """The bytes cannot be decoded as text with the declared or a guessed charset."""


class FormatError(InputError):
    """The file is not valid for its format."""


class UnsupportedInputError(InputError):
    """The file's kind is not one that Rashomon reads."""


class ConfigError(RashomonError):
    """A settings file, registry file or command-line option is wrong."""


class StoreError(RashomonError):
    """The database cannot be opened, migrated, read or written."""


class MissingExtraError(RashomonError):
    """An optional dependency is missing; the message names the exact install line."""

    def __init__(self, module: str, extra: str) -> None:
        super().__init__(
            f"this needs the optional package '{module}': "
            f"pip install 'rashomon[{extra}]'"
        )
        self.module = module
        self.extra = extra
