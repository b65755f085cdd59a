"""The nouns of Rashomon: plain frozen dataclasses shared by every stage.

Every span (``start``, ``end``) is a pair of character offsets (Python ``str``
indices) into :attr:`Article.text`, the article's original text as read: after
decoding, before any cleaning. Cleaning never rewrites that text; it only
records which spans are kept (:attr:`Article.paragraphs`) and which were dropped
(:attr:`Article.removed`), so every finding can be mapped back onto the source.

For HTML and WARC inputs the "text as read" is the main text that trafilatura
extracts from the page (markup offsets would be of no use to a reader); for
JSON and feeds it is the body field; for plain text it is the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Ownership values the outlet registry uses; anything else is refused on load.
OWNERSHIP_KINDS = ("state-controlled", "public", "private", "wire", "nonprofit")


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news outlet as the registry knows it.

    name: display name ("Press TV").
    domains: registrable domains the outlet publishes under ("presstv.ir", ...).
    country: ISO 3166-1 alpha-2 code of the country it is based in, or None.
    language: main language, ISO 639-1 code, or None.
    ownership: one of OWNERSHIP_KINDS, or None when the registry does not say.
    signatures: phrases that identify the outlet inside an article's text
        ("Press TV's website can also be accessed").
    source: where the registry's facts about this outlet come from.
    kind: "outlet" for a publisher, "wire" for a news agency whose copy others carry.
    """

    name: str
    domains: tuple[str, ...] = ()
    country: str | None = None
    language: str | None = None
    ownership: str | None = None
    signatures: tuple[str, ...] = ()
    source: str | None = None
    kind: str = "outlet"


@dataclass(frozen=True, slots=True)
class Removed:
    """A line dropped as boilerplate, kept verbatim with its span and the rule that dropped it.

    start, end: span of the line in Article.text (without its line break).
    text: the line as it stands in Article.text.
    rule: name of the rule that removed it ("promo", "related_links", "comments",
        "mirror_footer", "breadcrumb", "caption", "share_prompt", "outlet_recurring", ...).
    """

    start: int
    end: int
    text: str
    rule: str


@dataclass(frozen=True, slots=True)
class WireCredit:
    """A wire service credited in the text ("(Reuters) -", "Reporting by Reuters", "(AP)").

    name: the wire service's canonical name ("Reuters", "Associated Press", "AFP").
    start, end: span of the credit in Article.text.
    """

    name: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A kept paragraph of reporting: a span of Article.text (title and boilerplate excluded).

    kind: "body" for reporting, "heading" for a crosshead inside the article (a short
        line without final punctuation between paragraphs), which later stages treat
        as a headline rather than as a statement of fact.
    """

    start: int
    end: int
    kind: str = "body"


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from one input, cleaned but never rewritten.

    id: the path as given, or "PATH#N" for the N-th article (from 1) of a file holding several.
    path: the input path as given on the command line.
    text: the original text as read (after decoding, before cleaning); all spans index it.
    title: the title, from metadata or the first line of a text file, or None.
    title_span: span of the title inside ``text`` when the title is part of it, else None.
    published: publication date "YYYY-MM-DD", or None when unknown.
    url: the article's canonical URL when known.
    outlet: the outlet, identified against the registry, or None (never guessed).
    outlet_via: how the outlet was identified: "metadata", "url", "signature" or "user".
    wire: wire services credited in the text, in order of first credit.
    removed: boilerplate lines dropped from the analysis, in text order.
    paragraphs: the kept paragraphs of reporting, in text order.
    language: ISO 639-1 code from metadata, or None.
    authors: bylines from metadata.
    encoding: how the bytes were decoded: "utf-8 (bom)", "cp1252 (declared)", ...
    source_format: "text", "html", "json", "feed" or "warc".
    content_hash: sha256 hex of the normalised kept text; equal content, equal hash.
    """

    id: str
    path: str
    text: str
    title: str | None = None
    title_span: tuple[int, int] | None = None
    published: str | None = None
    url: str | None = None
    outlet: Outlet | None = None
    outlet_via: str | None = None
    wire: tuple[WireCredit, ...] = ()
    removed: tuple[Removed, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    language: str | None = None
    authors: tuple[str, ...] = ()
    encoding: str | None = None
    source_format: str = "text"
    content_hash: str = ""

    @property
    def wire_names(self) -> tuple[str, ...]:
        """The distinct wire services credited, in order of first credit."""
        return tuple(dict.fromkeys(w.name for w in self.wire))

    def paragraph_texts(self) -> list[str]:
        """The kept paragraphs' text, in order (a convenience for readers of the body)."""
        return [self.text[p.start : p.end] for p in self.paragraphs]

    @property
    def body(self) -> str:
        """The kept reporting as one string, paragraphs separated by blank lines."""
        return "\n\n".join(self.paragraph_texts())


# --- Annotation layer (one article at a time; see rashomon.nlp) -----------------------


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence of reporting.

    id: stable id within the article ("s1", "s2", ... in text order).
    start, end: span in Article.text.
    paragraph: index of its paragraph in Article.paragraphs.
    """

    id: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention.

    start, end: span in Article.text.
    text: the surface form as it stands in the text.
    label: the NER label (PERSON, ORG, GPE, ...), which may be wrong: never rely on it alone.
    sentence: id of the sentence holding it.
    """

    start: int
    end: int
    text: str
    label: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Quote:
    """One attribution: who said what, with which cue.

    kind: "direct" (all quoted), "indirect" (reported speech), or "mixed" (partly quoted).
    content_start, content_end: span of what was said.
    speaker: the resolved speaker's name (a pronoun resolved to the person), or None.
    speaker_start, speaker_end: span of the mention in this attribution (the pronoun
        itself if that is what the text says), or None when the text names no source.
    speaker_entity: the within-article canonical name of the speaker ("Dmitry Peskov").
    cue: the cue word or phrase ("said", "told reporters", "according to"), or None.
    cue_start, cue_end: its span, or None.
    sentence: id of the (first) sentence holding the content.
    confidence: 0..1, how sure the extractor is of the speaker.
    """

    kind: str
    content_start: int
    content_end: int
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_entity: str | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    sentence: str | None = None
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number, quantity or date found in the text, normalised.

    start, end: span in Article.text.
    text: the surface form ("Feb. 24", "nearly 10", "hundreds").
    kind: "date", "number" or "approximate".
    value: normalised value: ISO date "2022-02-24" (or "--02-24" when the year is unknown)
        for dates; a decimal string for numbers; a range "100-999" for vague amounts.
    qualifier: "nearly", "about", "more than", ... or None.
    """

    start: int
    end: int
    text: str
    kind: str
    value: str
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class Annotation:
    """Everything the annotation stage found in one article (a pure function of it).

    article: the Article.id annotated.
    sentences, mentions, quotes, quantities: in text order.
    settings: the pipeline name, version and options that produced it.
    """

    article: str
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    settings: dict[str, str] = field(default_factory=dict)


# --- Cross-article layer (stories and comparison; see rashomon.stories, rashomon.compare) ---


@dataclass(frozen=True, slots=True)
class EntityMention:
    """One surface form of a cross-article entity in one article.

    article: Article.id. start, end: span in that article's text. text: the surface form.
    """

    article: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Entity:
    """A person, organisation, place or event, canonicalised across articles (Kiev = Kyiv).

    id: stable id within the comparison ("e1", ...).
    name: the canonical name (the most common full form across outlets).
    type: "PERSON", "ORG", "GPE", "EVENT", ... (a vote over mentions, never trusted alone).
    mentions: every mention in every article, in (article, start) order.
    confidence: 0..1, how sure the canonicaliser is that the mentions co-refer.
    """

    id: str
    name: str
    type: str
    mentions: tuple[EntityMention, ...] = ()
    confidence: float = 1.0

    def labels(self) -> dict[str, list[str]]:
        """Surface forms per article, distinct, in order of first use."""
        out: dict[str, list[str]] = {}
        for m in self.mentions:
            forms = out.setdefault(m.article, [])
            if m.text not in forms:
                forms.append(m.text)
        return out


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A stretch of one article's text that a finding rests on (a conflict's differing
    number, the content of a quote counted for a voice).

    article: Article.id. start, end: span in that article's text. text: the words there
    (always ``Article.text[start:end]``). kind: what it is ("number", "date", "quote").
    """

    article: str
    start: int
    end: int
    text: str
    kind: str = ""


@dataclass(frozen=True, slots=True)
class ClaimSentence:
    """A sentence taking part in a claim.

    article: Article.id. sentence: Sentence.id. start, end: its span in the article text.
    score: how closely it matches the claim's other sentences (1.0 for a lone sentence).
    """

    article: str
    sentence: str
    start: int
    end: int
    score: float = 1.0


@dataclass(frozen=True, slots=True)
class Claim:
    """A fact as stated by one or more articles.

    id: stable id ("c1", ...). status: "shared" (two or more articles), "unique" (one
    article only: an omission by the others) or "conflict" (shared, but details such as
    numbers, dates or actors disagree). sentences: the sentences stating it.
    note: what conflicts, or None. confidence: 0..1 for the alignment decision.
    values: for a conflict, the numbers and dates that disagree, each with its span.
    """

    id: str
    status: str
    sentences: tuple[ClaimSentence, ...]
    note: str | None = None
    confidence: float = 1.0
    values: tuple[TextSpan, ...] = ()

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.article for s in self.sentences))


@dataclass(frozen=True, slots=True)
class FramingFinding:
    """A framing choice in one article, with the span it rests on.

    kind: "label" (an entity or event named differently from other outlets), "hedge",
    "scare_quote", "loaded", "attribution_verb", "prominence".
    article, start, end: where (span in Article.text). text: the words themselves.
    note: what it means in context ("calls it 'rioters'; others: 'protesters'").
    entity: the Entity.id it concerns, if any. claim: the Claim.id it concerns, if any.
    confidence: 0..1.
    """

    kind: str
    article: str
    start: int
    end: int
    text: str
    note: str | None = None
    entity: str | None = None
    claim: str | None = None
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Voice:
    """Someone quoted in a comparison: who, by which outlets, how much and how.

    speaker: canonical name. entity: Entity.id when the speaker is one.
    articles: Article.ids quoting them. direct, indirect, mixed: counts of quotes by kind.
    words: words of quoted content, all articles together.
    quotes: the quoted content counted, each a span, in (article, start) order.
    """

    speaker: str
    entity: str | None
    articles: tuple[str, ...]
    direct: int = 0
    indirect: int = 0
    mixed: int = 0
    words: int = 0
    quotes: tuple[TextSpan, ...] = ()


@dataclass(frozen=True, slots=True)
class Story:
    """An event: articles grouped together, precision first.

    id: stable id. title: a representative headline. articles: Article.ids in time order.
    first, last: publication dates "YYYY-MM-DD" (None when no article is dated).
    outlets: distinct outlet names. wire_groups: sets of article ids that are copies of
    one wire story or syndicated reprints. independent_sources: articles counted once per
    wire group. confidence: 0..1 for the weakest merge that formed the story.
    """

    id: str
    title: str | None
    articles: tuple[str, ...]
    first: str | None = None
    last: str | None = None
    outlets: tuple[str, ...] = ()
    wire_groups: tuple[tuple[str, ...], ...] = ()
    independent_sources: int = 0
    confidence: float = 1.0


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything ``rashomon compare`` found for one story; every report renders this.

    articles, annotations: the articles compared and their annotations, in the same order.
    entities, claims, framing, voices: the cross-article findings (see their classes).
    wire_groups: sets of article ids that are copies of one wire story.
    settings: the Rashomon version, settings, and model names/versions/hashes used.
    """

    articles: tuple[Article, ...]
    annotations: tuple[Annotation, ...]
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    framing: tuple[FramingFinding, ...] = ()
    voices: tuple[Voice, ...] = ()
    wire_groups: tuple[tuple[str, ...], ...] = ()
    settings: dict[str, str] = field(default_factory=dict)
