"""Numbers, quantities and dates, normalised so that outlets can be compared.

"Feb. 24" and "February 24" are both "2022-02-24" (the year taken from the
publication date); "on Tuesday" is the Tuesday on or before publication (news
reports the past: an article published on a Wednesday that says "on Tuesday"
means the day before, after TimeML's anchoring of underspecified dates to the
document creation time, Pustejovsky et al. 2003); "hundreds" is the range
"100-999"; "nearly 10" is 10 with the qualifier "nearly".

Regular expressions over the paragraph text, one left-to-right pass each, with no
nested quantifiers (linear time on any input).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from rashomon.model import Quantity
from rashomon.nlp.cues import words

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_MONTH_RE = (
    r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?|July?|"
    r"Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|Dec(?:ember|\.)?)"
)
# "Feb. 24", "February 24, 2022", "March 24 2022"
_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\s(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s(\d{{4}})\b)?")
# "24 February", "24 Feb. 2022"
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s(?:of\s)?({_MONTH_RE})(?:\s(\d{{4}})\b)?")
_RELATIVE = re.compile(
    r"\b(?:(last|this|next)\s)?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|"
    r"today|yesterday|tomorrow)\b",
    re.IGNORECASE,
)
_UNITS = words(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_TENS = words("twenty thirty forty fifty sixty seventy eighty ninety")
_WORD_NUMBERS = {
    **{w: n for n, w in enumerate(_UNITS, start=1)},
    **{w: 10 * n for n, w in enumerate(_TENS, start=2)},
    # "sixty-two", "twenty five": tens and a unit below ten
    **{f"{t}{sep}{u}": 10 * n + m for n, t in enumerate(_TENS, start=2)
       for m, u in enumerate(_UNITS[:9], start=1) for sep in ("-", " ")},
    "hundred": 100, "dozen": 12,
}  # fmt: skip
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_VAGUE = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (100, 999),
    "thousands": (1_000, 9_999),
    "tens of thousands": (10_000, 99_999),
    "hundreds of thousands": (100_000, 999_999),
    "millions": (10**6, 10**9 - 1),
    "billions": (10**9, 10**12 - 1),
}
_QUALIFIERS = (
    "more than", "less than", "fewer than", "at least", "at most", "up to", "as many as",
    "nearly", "almost", "about", "around", "roughly", "approximately", "some", "over",
    "under", "some", "an estimated", "just over", "just under", "close to",
)  # fmt: skip
_QUALIFIER_RE = "|".join(sorted((re.escape(q) for q in set(_QUALIFIERS)), key=len, reverse=True))
_NUMBER = re.compile(
    r"(\$|€|£)?"
    r"(\b\d{1,3}(?:,\d{3})+(?:\.\d+)?|\b\d+(?:\.\d+)?|\b(?:"
    + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
    + r")\b)"
    r"(?:\s(thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
# A qualifier is looked for just before a number rather than tried at every position.
_QUALIFIER_BEFORE = re.compile(rf"\b({_QUALIFIER_RE})\s$", re.IGNORECASE)
_VAGUE_RE = re.compile(
    r"\b(hundreds of thousands|tens of thousands|dozens|scores|hundreds|thousands|millions|billions)\b",
    re.IGNORECASE,
)


def _parse_date(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _month_day(month: int, day: int, year: str | None, anchor: dt.date | None) -> str | None:
    if year:
        try:
            return dt.date(int(year), month, day).isoformat()
        except ValueError:
            return None
    if anchor is None:
        return f"--{month:02d}-{day:02d}" if 1 <= day <= 31 else None
    for y in (anchor.year, anchor.year - 1):
        try:
            candidate = dt.date(y, month, day)
        except ValueError:
            continue
        # A date more than ~two months after publication is last year's.
        if (candidate - anchor).days <= 62:
            return candidate.isoformat()
    return None


def find_dates(text: str, offset: int, published: str | None) -> Iterator[Quantity]:
    """Dates in ``text`` (a paragraph starting at ``offset``), normalised to ISO."""
    anchor = _parse_date(published)
    for m in _MONTH_DAY.finditer(text):
        month = _MONTHS[m.group(1).lower().rstrip(".")]
        value = _month_day(month, int(m.group(2)), m.group(3), anchor)
        if value:
            yield Quantity(m.start() + offset, m.end() + offset, m.group(0), "date", value)
    for m in _DAY_MONTH.finditer(text):
        month = _MONTHS[m.group(2).lower().rstrip(".")]
        value = _month_day(month, int(m.group(1)), m.group(3), anchor)
        if value:
            yield Quantity(m.start() + offset, m.end() + offset, m.group(0), "date", value)
    for m in _RELATIVE.finditer(text):
        word = m.group(2).lower()
        if word in _WEEKDAYS and not m.group(2)[0].isupper():
            continue  # "may" of weekdays does not exist, but lower-case words are not names
        value = _relative(word, (m.group(1) or "").lower(), anchor)
        if value:
            yield Quantity(
                m.start() + offset, m.end() + offset, m.group(0), "date", value, m.group(1)
            )


def _relative(word: str, modifier: str, anchor: dt.date | None) -> str | None:
    """A weekday or today/yesterday/tomorrow, anchored to the publication date."""
    if anchor is None:
        return None
    if word == "today":
        return anchor.isoformat()
    if word == "yesterday":
        return (anchor - dt.timedelta(days=1)).isoformat()
    if word == "tomorrow":
        return (anchor + dt.timedelta(days=1)).isoformat()
    back = (anchor.weekday() - _WEEKDAYS[word]) % 7
    if modifier == "next":
        return (anchor + dt.timedelta(days=(7 - back) % 7 or 7)).isoformat()
    if modifier == "last" and back == 0:
        back = 7
    return (anchor - dt.timedelta(days=back)).isoformat()


def find_numbers(text: str, offset: int, taken: list[tuple[int, int]]) -> Iterator[Quantity]:
    """Numbers and vague amounts not inside a date already found."""

    def free(s: int, e: int) -> bool:
        return not any(s < te and e > ts for ts, te in taken)

    for m in _VAGUE_RE.finditer(text):
        qualifier = _QUALIFIER_BEFORE.search(text, max(0, m.start() - 25), m.start())
        start = (qualifier.start() if qualifier else m.start()) + offset
        end = m.end() + offset
        if free(start, end):
            lo, hi = _VAGUE[m.group(1).lower()]
            taken.append((start, end))
            yield Quantity(
                start, end, text[start - offset : end - offset], "approximate", f"{lo}-{hi}",
                _lower(qualifier.group(1)) if qualifier else None,
            )  # fmt: skip
    for m in _NUMBER.finditer(text):
        qualifier = _QUALIFIER_BEFORE.search(text, max(0, m.start() - 25), m.start())
        start = (qualifier.start() if qualifier else m.start()) + offset
        end = m.end() + offset
        if not free(start, end):
            continue
        value = _number_value(m.group(2), m.group(3))
        if value is None:
            continue
        word = _lower(qualifier.group(1)) if qualifier else None
        kind = "approximate" if word else "number"
        yield Quantity(start, end, text[start - offset : end - offset], kind, value, word)


def _lower(s: str | None) -> str | None:
    return s.lower() if s else None


def _number_value(digits: str, scale: str | None) -> str | None:
    low = digits.lower()
    if low in _WORD_NUMBERS:
        number = float(_WORD_NUMBERS[low])
    else:
        try:
            number = float(digits.replace(",", ""))
        except ValueError:
            return None
    if scale:
        number *= _SCALES[scale.lower()]
    if number.is_integer():
        return str(int(number))
    return f"{number:.6f}".rstrip("0").rstrip(".")


def find_quantities(text: str, offset: int, published: str | None) -> list[Quantity]:
    """Dates first (so "Feb. 24" is not the number 24), then numbers, in text order."""
    dates = sorted(find_dates(text, offset, published), key=lambda q: (q.start, -q.end))
    kept: list[Quantity] = []
    for q in dates:
        if not kept or q.start >= kept[-1].end:
            kept.append(q)
    taken = [(q.start, q.end) for q in kept]
    numbers = list(find_numbers(text, offset, taken))
    return sorted(kept + numbers, key=lambda q: q.start)
