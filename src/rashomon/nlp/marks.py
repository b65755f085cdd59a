"""Quote marks: where quotations start and end in a paragraph.

Every common quote style of news text: “English”, ‘single’, "straight", «guillemets»
both ways round, „German“, ‚low single‘, and the doubled apostrophes and backticks
(''...'' and ``...'') of text converted from typewriter or LaTeX conventions.
"""

from __future__ import annotations

import re

# Opening mark -> the closing marks that may end it. „ closes with “ (German) or ”
# (the English press quoting German text); « » and ‹ › both ways round.
_PAIRS: dict[str, str] = {
    "“": "”",
    "„": "“”",
    "«": "»",
    "»": "«",
    "‹": "›",
    '"': '"',
    "‘": "’",
    "‚": "‘’",
}
_DOUBLE_OPENERS = frozenset('“„«»‹"')
_SINGLE_OPENERS = frozenset("‘‚")
QUOTE_CHARS = frozenset("“”„«»‹›\"‘’‚'")
# A quote mark that stands first in a paragraph opens a quoted paragraph.
# Every quote mark, a doubled apostrophe or backtick read as one mark.
_MARK = re.compile(r"''|``|[“”„«»‹›\"‘’‚']")
_LEADING_QUOTE = re.compile(r"^\s*(?:[“„«\"‘]|”(?=[A-Z])|''|``)")


def find_quotations(text: str) -> list[tuple[int, int, bool]]:
    """Spans of quoted text in one paragraph, marks included: (start, end, closed).

    One left-to-right pass (linear time on any input). Double marks nest single
    ones; a single ‘ only opens after a space or an opening bracket so that
    apostrophes are not read as quotes. Two apostrophes ('') and two backticks
    (``) are a double mark, as in text converted from LaTeX or typewriter style
    (the New York Times' archive writes its quotes so). A quote left open runs to
    the paragraph's end and is reported with closed=False (multi-paragraph quotes).
    """
    spans: list[tuple[int, int, bool]] = []
    opener = ""
    start = 0
    n = len(text)
    for m in _MARK.finditer(text):
        i, ch = m.start(), m.group()
        if len(ch) == 2:  # '' or ``
            if opener in ("''", "``"):
                if ch == "''":
                    spans.append((start, i + 2, True))
                    opener = ""
            elif not opener:
                opener, start = ch, i
            continue
        if opener:
            closes = ch in _PAIRS.get(opener, "") or (
                # “A,“ said X: a second opening mark glued to the quote's last word;
                # "A,” and “A," (straight and curly mixed, as pasted text has them).
                opener + ch in ("““", '"”', '“"')
                and not _before_space(text, i)
                and (i + 1 >= n or not text[i + 1].isalnum())
            )
            if closes and (opener not in "‘‚" or _closes_single(text, i)):
                spans.append((start, i + 1, True))
                opener = ""
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < n else " "
        if ch in _DOUBLE_OPENERS:
            # A straight or guillemet mark glued to the word before it closes
            # nothing we saw open: skip it rather than open a quote at a closer.
            glued = not (before.isspace() or before in "([{—–-/" or i == 0)
            # ... except a straight mark glued to a sentence's end and opening the next
            # one ("said one owner."We were deceived."): the space was lost, not the quote.
            if not (ch in '"»' and glued) or (ch == '"' and before in ".!?" and after.isupper()):
                opener, start = ch, i
        elif ch == "”" and after.isupper() and _line_start(text, i):
            # ”Mr. Trump ...” : a closing mark typed for the opening one at a line's start.
            opener, start = "“", i
        elif (
            ch in _SINGLE_OPENERS
            and (before.isspace() or before in '([{—–-"“')
            and not after.isspace()
        ):
            opener, start = ch, i
    if opener:
        # A closing mark left out before the cue ("“No one told us, said Kessel."): the
        # quote ends at the comma before it, not at the paragraph's end.
        missing = _MISSING_CLOSE.search(text, start + 1)
        if missing is not None:
            spans.append((start, missing.start() + 1, True))
        else:
            spans.append((start, n, False))
    return spans


_SAY = r"(?:said|says|told|added|asked|explained|wrote|continued|recalled)"
_MISSING_CLOSE = re.compile(
    rf",\s+(?:{_SAY}\s+[A-Z]|(?:he|she|they|[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,3}})\s+{_SAY}\b)"
)


def _line_start(text: str, i: int) -> bool:
    """Whether only spaces stand between position i and the start of its line."""
    k = i - 1
    while k >= 0 and text[k] in " \t\xa0":
        k -= 1
    return k < 0 or text[k] == "\n"


def _before_space(text: str, i: int) -> bool:
    """Whether the character before position i is a space (or i is the start)."""
    return i == 0 or text[i - 1].isspace()


def _closes_single(text: str, i: int) -> bool:
    """A ’ closes a single quote when no letter follows (else it is an apostrophe)."""
    return i + 1 >= len(text) or not text[i + 1].isalpha()


def leading_quote(text: str) -> bool:
    """Whether a paragraph opens with a quote mark (a candidate continuation)."""
    return _LEADING_QUOTE.match(text) is not None
