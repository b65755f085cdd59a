"""How closely two sentences of different articles state the same fact: a score in about [0, 1.1].

The score of two sentences is the best score of any pair of their units (the sentence
itself and its clauses, see ``clauses.py``), where two units score

    0.7 x MiniLM cosine + 0.3 x character 3-5-gram TF-IDF cosine

and the sentence pair gains 0.1 when both name a date and the dates agree. This is the
recipe measured in DEPENDENCIES.md ("sentence cosine alone does not align claims"): the
sentence embedding (all-MiniLM-L6-v2, Reimers & Gurevych 2019) carries paraphrase, the
character n-grams (the ``char_wb`` analyser of scikit-learn, after Cavnar & Trenkle 1994)
carry names and numbers in any spelling ("Kiev"/"Kyiv", "Feb. 24"/"February 24") that the
embedding blurs. TF-IDF weights are fitted on the story being compared (smooth idf,
l2 rows), so words that every article repeats count for little.

Scores are computed one article against the articles after it, in blocks, so memory grows
with the number of sentences (an N x N matrix), not with the number of unit pairs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp

from rashomon.align.clauses import clause_spans, frame_description, is_frame, without_asides

W_EMBED = 0.7
W_CHAR = 0.3
DATE_BONUS = 0.1
NGRAMS = (3, 5)

FloatArray = np.ndarray[Any, np.dtype[np.float32]]
_NON_WORD = re.compile(r"[^\w]+")
_LEADING_CONJUNCTION = re.compile(r"^(?:and|but|or)\s+", re.IGNORECASE)


class Encoder(Protocol):
    """Anything with the Embedder's ``encode``: unit vectors, one row per text."""

    def encode(self, texts: Sequence[str]) -> FloatArray: ...


@dataclass(frozen=True, slots=True)
class Units:
    """The units of every sentence, sentences in order, each sentence's units contiguous.

    texts: unit texts. owner: index of the sentence each unit belongs to.
    first: index of each sentence's first unit (plus a final sentinel, len(texts)).
    """

    texts: tuple[str, ...]
    owner: np.ndarray[Any, np.dtype[np.int64]]
    first: np.ndarray[Any, np.dtype[np.int64]]


def build_units(sentences: Sequence[str]) -> Units:
    """The units of each sentence: its clauses, less the frames that only name a speaker
    ("Lavrov said on Tuesday"), or the sentence itself when it has one clause; then each
    unit without its asides, where it has any (see ``clauses``)."""
    texts: list[str] = []
    owner: list[int] = []
    first: list[int] = []
    for i, sentence in enumerate(sentences):
        first.append(len(texts))
        spans = clause_spans(sentence)
        pieces: list[str] = []
        for k, (a, b) in enumerate(spans if len(spans) > 1 else ()):
            if not is_frame(sentence, spans, k):
                pieces.append(_LEADING_CONJUNCTION.sub("", sentence[a:b]))
            elif (described := frame_description(sentence[a:b])) is not None:
                pieces.append(described)
        pieces = pieces or [sentence]
        pieces += [r for r in (without_asides(p) for p in pieces) if r is not None]
        texts.extend(pieces)
        owner.extend([i] * len(pieces))
    first.append(len(texts))
    return Units(tuple(texts), np.array(owner, dtype=np.int64), np.array(first, dtype=np.int64))


def embed(encoder: Encoder, texts: Sequence[str]) -> FloatArray:
    """Unit vectors for ``texts``: each distinct text encoded once.

    Wire copies repeat whole sentences, so encoding distinct texts saves a large share of
    the model's time (the encoder batches texts of similar length itself).
    """
    distinct = sorted(set(texts))
    vectors = encoder.encode(distinct) if distinct else np.zeros((0, 384), dtype=np.float32)
    index = {t: i for i, t in enumerate(distinct)}
    return np.asarray(vectors[[index[t] for t in texts]], dtype=np.float32)


def _ngrams(text: str) -> list[str]:
    """Character n-grams inside word boundaries, words padded with a space (``char_wb``)."""
    grams: list[str] = []
    lo, hi = NGRAMS
    for word in _NON_WORD.sub(" ", text.lower()).split():
        padded = f" {word} "
        if len(padded) <= lo:
            grams.append(padded)
            continue
        for n in range(lo, hi + 1):
            if n > len(padded):
                break
            grams.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return grams


def char_tfidf(texts: Sequence[str]) -> sp.csr_matrix:
    """L2-normalised TF-IDF rows of character 3-5-grams, idf = ln((1 + n) / (1 + df)) + 1."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, text in enumerate(texts):
        counts: dict[int, int] = {}
        for g in _ngrams(text):
            j = vocab.setdefault(g, len(vocab))
            counts[j] = counts.get(j, 0) + 1
        for j in sorted(counts):
            rows.append(r)
            cols.append(j)
            vals.append(float(counts[j]))
    shape = (len(texts), max(len(vocab), 1))
    m = sp.csr_matrix((np.array(vals, dtype=np.float64), (rows, cols)), shape=shape)
    df = np.bincount(np.array(cols, dtype=np.int64), minlength=shape[1]).astype(np.float64)
    idf = np.log((1.0 + len(texts)) / (1.0 + df)) + 1.0
    m = m.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sp.csr_matrix(sp.diags(1.0 / norms) @ m, dtype=np.float32)


@dataclass(frozen=True, slots=True)
class Scores:
    """The scores of one story.

    sentences: N x N, best unit-pair score of two sentences of different articles, with the
        sentence-pair adjustment added (-1 within one article).
    unit_best: U x A, each unit's best score with a unit of each article (-1 for its own).
    unit_arg: U x A, that unit's index.
    """

    sentences: FloatArray
    unit_best: FloatArray
    unit_arg: np.ndarray[Any, np.dtype[np.int64]]


def score_story(
    units: Units,
    vectors: FloatArray,
    grams: sp.csr_matrix,
    article_of: np.ndarray[Any, np.dtype[np.int64]],
    adjust: FloatArray,
) -> Scores:
    """Score every pair of units of different articles, one article against the later ones.

    ``article_of`` gives each sentence's article index: sentences of one article are
    contiguous and articles come in order. ``adjust`` (N x N) is added to every unit pair of
    the two sentences (the date bonus, see ``align_claims``).
    """
    n = len(units.first) - 1
    n_units = len(units.texts)
    starts = np.flatnonzero(np.r_[True, article_of[1:] != article_of[:-1]]) if n else np.zeros(0, np.int64)
    ends = np.r_[starts[1:], n].astype(np.int64)
    n_art = len(starts)
    scores = np.full((n, n), -1.0, dtype=np.float32)
    best = np.full((n_units, n_art), -1.0, dtype=np.float32)
    arg = np.zeros((n_units, n_art), dtype=np.int64)
    unit_lo = units.first[starts] if n else starts
    unit_hi = units.first[ends] if n else starts
    for a in range(n_art):
        if a + 1 >= n_art:
            break
        u_lo, u_hi = int(unit_lo[a]), int(unit_hi[a])
        v_lo = int(unit_hi[a])
        emb = vectors[u_lo:u_hi] @ vectors[v_lo:n_units].T
        chars = (grams[u_lo:u_hi] @ grams[v_lo:n_units].T).toarray().astype(np.float32)
        block = W_EMBED * emb + W_CHAR * chars
        block += adjust[np.ix_(units.owner[u_lo:u_hi], units.owner[v_lo:n_units])]
        # each later article's units: best of ours for theirs, and theirs for ours
        for b in range(a + 1, n_art):
            lo, hi = int(unit_lo[b]) - v_lo, int(unit_hi[b]) - v_lo
            sub = block[:, lo:hi]
            arg[u_lo:u_hi, b] = v_lo + lo + np.argmax(sub, axis=1)  # the first of equals
            best[u_lo:u_hi, b] = sub.max(axis=1)
            arg[v_lo + lo : v_lo + hi, a] = u_lo + np.argmax(sub, axis=0)
            best[v_lo + lo : v_lo + hi, a] = sub.max(axis=0)
        # sentence pairs: max over column groups, then over row groups
        cols = np.maximum.reduceat(block, units.first[ends[a] : n] - v_lo, axis=1)
        pair = np.maximum.reduceat(cols, units.first[starts[a] : ends[a]] - u_lo, axis=0)
        scores[starts[a] : ends[a], ends[a] :] = pair
        scores[ends[a] :, starts[a] : ends[a]] = pair.T
    return Scores(scores, best, arg)


# Function words: what two clauses share of these says nothing about their facts.
_FUNCTION_WORDS = frozenset(
    ["a", "an", "the", "of", "to", "in", "on", "at", "for", "by", "with", "from", "into", "over", "under", "about", "after", "before", "during", "and", "or", "but", "nor", "so", "yet", "as", "than", "then", "that", "this", "these", "those", "there", "here", "it", "its", "they", "them", "their", "he", "him", "his", "she", "her", "we", "us", "our", "you", "your", "i", "me", "my", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "not", "no", "also", "which", "who", "whom", "whose", "what", "when", "where", "while", "said", "says", "say", "told"]
)
_TOKEN = re.compile(r"\w+")


def residuals(a: str, b: str) -> tuple[str, str]:
    """The content words of each text that the other lacks, in order ("opened Vass river
    Monday" / "criticised council cost" for two sentences about one mayor and one bridge)."""
    wa = _TOKEN.findall(a.lower())
    wb = _TOKEN.findall(b.lower())
    sa, sb = set(wa), set(wb)
    ra = " ".join(w for w in wa if w not in sb and w not in _FUNCTION_WORDS)
    rb = " ".join(w for w in wb if w not in sa and w not in _FUNCTION_WORDS)
    return ra, rb


def residual_similarity(encoder: Encoder, pairs: Sequence[tuple[str, str]]) -> list[float]:
    """MiniLM cosine of the residuals of each pair of texts (0 when either has none left:
    two texts that differ only in function words are paraphrases, scored by the rest).

    Two sentences that share their names and nouns but not their predicate ("the mayor
    opened the bridge" / "the mayor was criticised for the bridge") score high as wholes;
    what each says beyond the shared words tells them apart, while a paraphrase's leftover
    words are synonyms ("lifted" / "raised"). A cosine on the words left after removing the
    shared ones, in the spirit of the "new information" scores of summarisation evaluation.
    """
    rest = [residuals(a, b) for a, b in pairs]
    texts = sorted({t for pair in rest for t in pair if t})
    if not texts:
        return [0.0 for _ in pairs]
    vectors = embed(encoder, texts)
    index = {t: k for k, t in enumerate(texts)}
    out = []
    for ra, rb in rest:
        if not ra or not rb:
            out.append(1.0 if not ra and not rb else 0.0)
            continue
        out.append(float(vectors[index[ra]] @ vectors[index[rb]]))
    return out


def unit_pair_score(units: Units, vectors: FloatArray, grams: sp.csr_matrix, i: int, j: int) -> float:
    """The score of sentences i and j (best unit pair, no adjustment), for the few pairs
    scored outside ``score_story`` (a heading against its own article's sentences)."""
    a = slice(int(units.first[i]), int(units.first[i + 1]))
    b = slice(int(units.first[j]), int(units.first[j + 1]))
    emb = vectors[a] @ vectors[b].T
    chars = (grams[a] @ grams[b].T).toarray()
    return float((W_EMBED * emb + W_CHAR * chars).max())


def dates_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two sets of ISO dates share a day ("--02-24" matches any year's 24 February)."""
    if not a or not b:
        return False
    if a & b:
        return True
    return bool({d[-5:] for d in a} & {d[-5:] for d in b})


def logistic(x: float) -> float:
    """The logistic function, safe for large |x|."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
