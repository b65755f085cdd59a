"""The annotation stage: one article in, one Annotation out (a pure function of it).

The recipe, per article:

1. parse each kept paragraph with spaCy (``pipeline.parse_articles``);
2. sentences and entity mentions, offsets moved onto Article.text;
3. attributions per paragraph (``quotes.extract_paragraph``), then the paragraphs
   that carry on a quote: content after "X said:" and quote paragraphs with no cue
   (continuations of the last speaker);
4. speakers resolved and normalised within the article (``speakers.SpeakerBook``);
5. numbers and dates (``quantities.find_quantities``).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from rashomon.model import Annotation, Article, Mention, Quantity, Quote, Sentence
from rashomon.nlp.marks import find_quotations, leading_quote
from rashomon.nlp.pipeline import Chunk, load_pipeline, parse_articles, pipeline_settings
from rashomon.nlp.quantities import find_quantities
from rashomon.nlp.quotes import Attribution, appositive_person, extract_paragraph
from rashomon.nlp.speakers import SpeakerBook

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span

log = logging.getLogger(__name__)

_DEFAULT: list[Language] = []
# Confidence of a continuation paragraph's speaker: the text names no one there.
CONTINUATION_CONFIDENCE = 0.6
_SUBJECT_DEPS = frozenset(("nsubj", "nsubjpass"))
_MENTION_LABELS = frozenset(
    ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART")
)


def default_pipeline() -> Language:
    """The default pipeline, loaded once per process."""
    if not _DEFAULT:
        _DEFAULT.append(load_pipeline())
    return _DEFAULT[0]


def annotate(article: Article, nlp: Language | None = None) -> Annotation:
    """Annotate one article: sentences, mentions, quotes with speakers, quantities."""
    return next(annotate_many([article], nlp))


def annotate_many(
    articles: Iterable[Article], nlp: Language | None = None, n_process: int = 1
) -> Iterator[Annotation]:
    """Annotate many articles in one spaCy stream, yielding Annotations in input order."""
    nlp = nlp or default_pipeline()
    settings = pipeline_settings(nlp)
    for article, chunks in parse_articles(articles, nlp, n_process=n_process):
        yield annotate_parsed(article, chunks, settings)


def annotate_parsed(article: Article, chunks: list[Chunk], settings: dict[str, str]) -> Annotation:
    """Steps 2-5 of the recipe over an article already parsed into chunks."""
    # 2. Sentences and mentions.
    sentences, mentions, subjects = _sentences_and_mentions(chunks)
    # 3. Attributions, then continuations across paragraphs.
    attributions, failures = _attributions(article, chunks)
    # 4. Speakers.
    quotes = _quotes(article.text, attributions, mentions, sentences, subjects)
    # 5. Quantities.
    quantities: list[Quantity] = []
    for chunk in chunks:
        quantities.extend(find_quantities(chunk.text, chunk.offset, article.published))
    extra = {"quote_failures": str(failures)} if failures else {}
    return Annotation(
        article=article.id,
        sentences=tuple(sentences),
        mentions=tuple(mentions),
        quotes=tuple(quotes),
        quantities=tuple(quantities),
        settings={**settings, **extra},
    )


def _sentences_and_mentions(
    chunks: list[Chunk],
) -> tuple[list[Sentence], list[Mention], list[tuple[int, str]]]:
    """The sentences, the entity mentions and the named person subjects (global
    start, name) of main clauses outside quotations: pronoun antecedents."""
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    subjects: list[tuple[int, str]] = []
    for chunk in chunks:
        base = chunk.offset
        inside: bytearray | None = None
        for sent in chunk.doc.sents:
            text = chunk.text[sent.start_char : sent.end_char]
            lead = len(text) - len(text.lstrip())
            trail = len(text) - len(text.rstrip())
            if lead == len(text):
                continue  # whitespace only
            sid = f"s{len(sentences) + 1}"
            sentences.append(
                Sentence(
                    sid,
                    base + sent.start_char + lead,
                    base + sent.end_char - trail,
                    chunk.paragraph,
                )
            )
            for ent in sent.ents:
                if ent.label_ in _MENTION_LABELS:
                    mentions.append(
                        Mention(
                            base + ent.start_char, base + ent.end_char, ent.text, ent.label_, sid
                        )
                    )
                if ent.label_ == "PERSON" and _main_subject(ent):
                    if inside is None:
                        inside = bytearray(len(chunk.text) + 1)
                        for qs, qe, _closed in find_quotations(chunk.text):
                            inside[qs:qe] = b"\x01" * (qe - qs)
                    if not inside[ent.start_char]:
                        subjects.append((base + ent.start_char, ent.text))
    return sentences, mentions, subjects


def _main_subject(ent: Span) -> bool:
    """Whether a PERSON entity is (or names, in apposition) the subject of its
    sentence's main verb: "Anna Berg, a nurse, stayed"; "The head of the ward,
    Anna Berg, stayed"."""
    tok = ent.root
    if tok.dep_ == "appos":
        subj = tok.head
        while subj.dep_ in ("pobj", "prep", "appos") and subj.head.i != subj.i:
            subj = subj.head
        if subj.dep_ not in _SUBJECT_DEPS or appositive_person(subj) != ent:
            return False
        tok = subj
    if tok.dep_ not in _SUBJECT_DEPS:
        return False
    verb = tok.head
    if verb.dep_ == "conj" and verb.head.dep_ == "ROOT":
        verb = verb.head
    return verb.dep_ == "ROOT"


def attributions_of(article: Article, chunks: list[Chunk]) -> list[Attribution]:
    """Step 3 alone: the attributions of a parsed article (for evaluation)."""
    return _attributions(article, chunks)[0]


def _attributions(article: Article, chunks: list[Chunk]) -> tuple[list[Attribution], int]:
    found: list[Attribution] = []
    failures = 0
    waiting: Attribution | None = None  # "X said:" whose content is the next paragraph
    previous_quoted: Attribution | None = None  # last quote of the previous paragraph
    open_quote = False  # the previous paragraph left a quote open
    last_paragraph = -1
    for chunk in chunks:
        text = chunk.text
        if (
            chunk.paragraph != last_paragraph
            and last_paragraph >= 0
            and chunk.paragraph != last_paragraph + 1
        ):
            previous_quoted, open_quote, waiting = None, False, None
        try:
            here, quotations, colon_waiting = extract_paragraph(
                chunk.doc, chunk.offset, chunk.paragraph, text
            )
        except Exception:  # one odd paragraph must not lose the article's other quotes
            log.warning(
                "quote extraction failed in %s, paragraph %d",
                article.id,
                chunk.paragraph,
                exc_info=True,
            )
            failures += 1
            here, quotations, colon_waiting = [], find_quotations(text), False
        if waiting is not None and not here:
            # 3a. The content announced by a colon at the previous paragraph's end.
            start = chunk.offset + len(text) - len(text.lstrip())
            end = chunk.offset + len(text.rstrip())
            waiting.content.append((start, end))
            waiting.kind = "direct" if leading_quote(text) else waiting.kind
            previous_quoted, open_quote = waiting, bool(quotations and not quotations[-1][2])
            waiting = None
            last_paragraph = chunk.paragraph
            continue
        waiting = None
        if (
            not here
            and leading_quote(text)
            and previous_quoted is not None
            and (open_quote or previous_quoted.kind != "indirect")
        ):
            # 3b. A quote paragraph with no cue carries on the last quoted speaker.
            spans = [(s + chunk.offset, e + chunk.offset) for s, e, _ in quotations] or [
                (chunk.offset, chunk.offset + len(text.rstrip()))
            ]
            cont = Attribution(
                kind="direct",
                content=spans,
                cue=None,
                source=None,
                paragraph=chunk.paragraph,
                name=previous_quoted.name,
                name_kind=previous_quoted.name_kind,
                confidence=CONTINUATION_CONFIDENCE,
                continuation=True,
                follows=previous_quoted,
            )
            cont.quote_ranges = spans
            found.append(cont)
            previous_quoted = cont
            open_quote = bool(quotations and not quotations[-1][2])
            last_paragraph = chunk.paragraph
            continue
        found.extend(here)
        for att in here:
            if not att.content and colon_waiting:
                waiting = att
        quoted = [a for a in here if a.content and a.kind != "indirect"]
        previous_quoted = quoted[-1] if quoted else (here[-1] if here else None)
        open_quote = bool(quotations and not quotations[-1][2])
        last_paragraph = chunk.paragraph
    return [a for a in found if a.content], failures


def _quotes(
    text: str,
    attributions: list[Attribution],
    mentions: list[Mention],
    sentences: list[Sentence],
    subjects: Sequence[tuple[int, str]] = (),
) -> list[Quote]:
    """One Quote per content piece, speakers resolved in reading order.

    subjects: named person subjects (start, name); those inside an attribution's
    content ("Berg said Holm had resigned") are reported, not the reporter's, and
    are no pronoun antecedents.
    """
    merged: list[list[int]] = []  # the content spans, overlapping ones joined
    for s, e in sorted(span for att in attributions for span in att.content):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    starts = [s for s, _ in merged]
    kept: list[tuple[int, str]] = []
    for pos, who in subjects:
        k = bisect.bisect_right(starts, pos) - 1
        if k < 0 or pos >= merged[k][1]:
            kept.append((pos, who))
    book = SpeakerBook(mentions, kept)
    quotes: list[Quote] = []
    resolved_of: dict[int, tuple[str | None, str | None]] = {}  # id(attribution) -> names
    sent_starts = [s.start for s in sentences]
    for att in attributions:
        if att.continuation:
            name, entity = resolved_of.get(id(att.follows), (None, None))
            penalty = 0.0
        else:
            position = (
                att.source[0] if att.source else (att.cue[0] if att.cue else att.content[0][0])
            )
            first = min([position] + [s for s, _ in att.content])
            k = max(0, bisect.bisect_right(sent_starts, first) - 2)
            since = sent_starts[k] if sent_starts else 0
            resolved = book.resolve(position, att.name, att.name_kind, since)
            name, entity, penalty = resolved.name, resolved.entity, resolved.penalty
        resolved_of[id(att)] = (name, entity)
        confidence = max(0.05, round(att.confidence - penalty, 2))
        for start, end in att.content:
            quotes.append(
                Quote(
                    kind=att.kind,
                    content_start=start,
                    content_end=end,
                    speaker=name,
                    speaker_start=att.source[0] if att.source else None,
                    speaker_end=att.source[1] if att.source else None,
                    speaker_entity=entity,
                    cue=text[att.cue[0] : att.cue[1]] if att.cue else None,
                    cue_start=att.cue[0] if att.cue else None,
                    cue_end=att.cue[1] if att.cue else None,
                    sentence=_sentence_at(sentences, sent_starts, start),
                    confidence=confidence,
                )
            )
    return quotes


def _sentence_at(sentences: list[Sentence], starts: list[int], char: int) -> str | None:
    i = bisect.bisect_right(starts, char) - 1
    return sentences[i].id if i >= 0 else None
