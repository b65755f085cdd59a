"""Name keys and name tables: what makes two surface names spell one name.

- ``fold`` and ``name_tokens``: case, accents, dots, possessives and "the" ignored
  ("the U.S." = "US", "Vaškin" -> "vaskin");
- ``translit``: one key for common romanisations ("Zelensky" = "Zelenskyy" =
  "Zelenskiy"): it collapses the spellings on which romanisation systems differ (BGN/PCGN,
  ISO 9, German and French usage: sh/š/sch, zh/ž, kh/h, y/i/j, w/v, doubled letters);
- the packaged tables (``rashomon/data/lexicon``): exonyms and aliases (``names.tsv``),
  capitals and seats of government (``capitals.tsv``), titles and role nouns
  (``titles.txt``), short forms of given names (``nicknames.tsv``), each with a header
  stating its source.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

# Name tokens shorter than this are compared exactly: "Kiev" and "Kyiv" are too short
# for a spelling rule to join safely (the exonym table does), "Zelenskyy" is not.
MIN_TRANSLIT = 5


def word_set(text: str) -> frozenset[str]:
    """The set of space-separated words of ``text``: lexicon constants kept on few lines."""
    return frozenset(text.split())


# --- tables ---------------------------------------------------------------------------


def title_words() -> frozenset[str]:
    """Titles and role nouns (``titles.txt``): "spokesman", "minister", "widow", ..."""
    return name_tables().titles


def lexicon_rows(filename: str) -> list[list[str]]:
    """The rows of a packaged lexicon file (``rashomon/data/lexicon``): tab-separated
    columns, ``#`` comment lines and blank lines skipped. Each file documents its source."""
    text = (
        resources.files("rashomon")
        .joinpath("data", "lexicon", filename)
        .read_text(encoding="utf-8")
    )
    return [
        line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")
    ]


@dataclass(frozen=True, slots=True)
class Tables:
    alias: dict[str, int]  # joined name key -> alias set id
    alias_forms: dict[int, tuple[str, ...]]  # set id -> forms, preferred first
    alias_type: dict[int, str]  # set id -> "GPE" or "ORG"
    seats: dict[str, tuple[str, str]]  # joined place key -> (country, kind)
    titles: frozenset[str]


@lru_cache(maxsize=1)
def name_tables() -> Tables:
    alias: dict[str, int] = {}
    forms: dict[int, tuple[str, ...]] = {}
    types: dict[int, str] = {}
    for i, row in enumerate(lexicon_rows("names.tsv")):
        names = tuple(f.strip() for f in row[0].split("|") if f.strip())
        forms[i] = names
        types[i] = row[1].strip() if len(row) > 1 else "GPE"
        for name in names:
            alias.setdefault(joined(name_tokens(name)), i)
    seats = {
        joined(name_tokens(row[0])): (row[1].strip(), row[2].strip())
        for row in lexicon_rows("capitals.tsv")
    }
    titles = frozenset(row[0].strip() for row in lexicon_rows("titles.txt"))
    return Tables(alias, forms, types, seats, titles)


# --- name keys ------------------------------------------------------------------------

# Letters that NFKD does not decompose into a base letter and a mark.
_FOLD_EXTRA = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "þ": "th",
        "ð": "d",
    }
)
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'"})
_POSSESSIVE = re.compile(r"(?:'s|')$")


def fold(text: str) -> str:
    """Lower case without accents: "Vaškin" -> "vaskin", "Çavuşoğlu" -> "cavusoglu"."""
    text = text.translate(_FOLD_EXTRA).translate(_APOSTROPHES)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_tokens(name: str) -> tuple[str, ...]:
    """The comparison tokens of a name: folded, dots and possessives off, "the" dropped.

    "the U.S." -> ("us",); "Holt & Varen's" -> ("holt", "&", "varen").
    """
    out: list[str] = []
    for raw in fold(name).replace("-", " ").split():
        token = _POSSESSIVE.sub("", raw.replace(".", "")).strip(",;:()[]\"'«»“”")
        if token and token != "the":
            out.append(token)
    return tuple(out)


def joined(tokens: Sequence[str]) -> str:
    return "".join(t for t in tokens if t != "&")


# Spelling alternations of romanised names (Russian, Ukrainian, Turkish, Arabic and
# others into English, German and French conventions), applied to folded tokens.
_TRANSLIT_RULES = (
    ("shch", "s"),
    ("sch", "s"),
    ("sh", "s"),
    ("zh", "z"),
    ("kh", "h"),
    ("ch", "c"),
    ("tz", "c"),
    ("ts", "c"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("ou", "u"),
    ("w", "v"),
    ("q", "k"),
    ("x", "ks"),
    ("j", "i"),
    ("y", "i"),
    ("ie", "i"),
    ("ei", "i"),
    ("ii", "i"),
    ("dj", "g"),
    ("gh", "g"),
)


@lru_cache(maxsize=65536)
def translit(token: str) -> str:
    """A key that is equal for common romanisations of one name.

    "zelensky", "zelenskyy", "zelenskiy" -> "zelenski"; "vashkin", "vaskin" -> "vaskin".
    Doubled letters collapse ("Gaddafi" = "Gadafi").
    """
    out = fold(token)
    for old, new in _TRANSLIT_RULES:
        out = out.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", out)


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, stopping early once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def same_token(a: str, b: str, fuzzy: bool = False) -> bool:
    """Two name tokens that spell one name: equal, or long and equal once romanised
    alike; with ``fuzzy`` (people's names), also long and one edit apart after that
    ("Aleksandr" = "Aleksander"). Place names get no edit distance: "Valdora" and
    "Valdoran" are a country and its people."""
    if a == b:
        return True
    if min(len(a), len(b)) < MIN_TRANSLIT:
        return False
    ta, tb = translit(a), translit(b)
    return ta == tb or (fuzzy and min(len(ta), len(tb)) >= 6 and edit_distance(ta, tb, 1) <= 1)


@lru_cache(maxsize=1)
def _nicknames() -> dict[str, frozenset[str]]:
    """Given name -> the names it may stand for (``nicknames.tsv``), itself included."""
    out: dict[str, set[str]] = {}
    for row in lexicon_rows("nicknames.tsv"):
        forms = {fold(f.strip()) for f in row[0].split("|") if f.strip()}
        for f in forms:
            out.setdefault(f, set()).update(forms)
    return {k: frozenset(v) for k, v in out.items()}


def given_compatible(a: str, b: str) -> bool:
    """Given names of one person: the same name, a short form of it ("Bob" = "Robert"), one
    romanisation of it, or one edit apart when long ("Volodymyr" = "Wolodymyr"); "John"
    and "Jane" are different people."""
    if a == b or translit(a) == translit(b) or b in _nicknames().get(a, ()):
        return True
    return min(len(a), len(b)) >= 5 and edit_distance(translit(a), translit(b), 1) <= 1


def same_name(a: str, b: str) -> bool:
    """Whether two surface names can name the same entity by spelling alone (no context):
    equal keys, the alias table, romanisation variants, person names with compatible given
    names, or a lone surname against a full name."""
    ta, tb = name_tokens(a), name_tokens(b)
    if not ta or not tb:
        return False
    if joined(ta) == joined(tb):
        return True
    tables = name_tables()
    ia, ib = tables.alias.get(joined(ta)), tables.alias.get(joined(tb))
    if ia is not None and ia == ib:
        return True
    if len(ta) == len(tb):
        return all(same_token(x, y) for x, y in zip(ta, tb, strict=True))
    short, long_ = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    return len(short) == 1 and same_token(short[0], long_[-1])
