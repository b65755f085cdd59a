"""A small fictional story, built by hand, for the report tests.

Three articles about a dam breach: the Esterby Gazette and the Daily Beacon run one
Reuters story (a wire group), RTV Valdora (state-controlled) tells it differently. The
findings are written out here rather than computed, so the reports are tested on their
own, whatever the stages that will produce them do.

``make_story(payload)`` puts ``payload`` into every field a report prints (article text,
titles, outlet names, paths, quotes, notes, entity names, settings), to test that
untrusted text stays inert.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from rashomon.model import (
    Annotation,
    Article,
    Claim,
    ClaimSentence,
    Comparison,
    Entity,
    EntityMention,
    FramingFinding,
    Outlet,
    Paragraph,
    Quote,
    Sentence,
    Voice,
    WireCredit,
)

# Markup, script, template syntax, terminal escapes and Markdown punctuation in one string.
HOSTILE = (
    '<script>alert(1)</script>"><img src=x onerror=alert(1)></textarea>'
    "<a href=\"javascript:alert(1)\">x</a><svg onload=alert(2)><iframe src=\"javascript:alert(3)\">"
    "{{ 7*7 }}{% raw %}[bold]\x1b[2J|*_`"
)


@dataclass
class Draft:
    """An article being written: its text grows paragraph by paragraph, spans recorded."""

    id: str
    outlet: Outlet | None
    title: str
    published: str | None = None
    text: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    wire: list[WireCredit] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.text = self.title + "\n\n"

    def para(self, *sentences: str) -> None:
        start = len(self.text)
        for i, s in enumerate(sentences):
            if i:
                self.text += " "
            self.sentences.append(Sentence(f"s{len(self.sentences) + 1}", len(self.text), len(self.text) + len(s),
                                           len(self.paragraphs)))
            self.text += s
        self.paragraphs.append(Paragraph(start, len(self.text)))
        self.text += "\n\n"

    def span(self, needle: str, nth: int = 0) -> tuple[int, int]:
        at = -1
        for _ in range(nth + 1):
            at = self.text.index(needle, at + 1)
        return at, at + len(needle)

    def article(self) -> Article:
        return Article(
            id=self.id, path=self.id, text=self.text, title=self.title, title_span=(0, len(self.title)),
            published=self.published, outlet=self.outlet, outlet_via="user" if self.outlet else None,
            wire=tuple(self.wire), paragraphs=tuple(self.paragraphs),
        )


def build_story(payload: str = "") -> Comparison:
    """The dam-breach story; ``payload`` (may be "") is added to every printed field."""
    p = payload
    gazette = Draft("gazette.txt", Outlet(f"Esterby Gazette{p}", country="EB", ownership="private"),
                    f"Dam breach floods Marren valley{p}", "2031-05-06")
    gazette.para(
        f"MARREN (Reuters) - At least 12 people died when the Kessel dam gave way on Tuesday, officials said{p}.",
        f"\"We are doing everything we can{p},\" said Interior Minister Ilse Varga.",
    )
    gazette.para("Critics called the response \"chaotic\", and engineers had reportedly warned of cracks last year.")
    gazette.wire.append(WireCredit("Reuters", *gazette.span("(Reuters) -")))

    beacon = Draft(f"beacon{p}.txt", Outlet("Daily Beacon", country="EB", ownership="private"),
                   "Twelve dead as Kessel dam fails", "2031-05-06")
    beacon.para(
        f"MARREN (Reuters) - At least 12 people died when the Kessel dam gave way on Tuesday, officials said{p}.",
        f"\"We are doing everything we can{p},\" said Interior Minister Ilse Varga.",
    )
    beacon.para("The Daily Beacon could not reach the dam's operator for comment.")
    beacon.wire.append(WireCredit("Reuters", *beacon.span("(Reuters) -")))

    rtv = Draft("rtv.xml#1", Outlet("RTV Valdora", country="VL", ownership="state-controlled"),
                "Authorities act swiftly after Kessel reservoir incident", "2031-05-07")
    rtv.para("Seven people died after the Kessel reservoir overflowed on Tuesday, the ministry said.",
             "Minister Varga said rescue teams reached the area within an hour.")
    rtv.para(f"So-called activists spread rumours online{p}, the ministry said.")

    def direct(d: Draft, sid: str) -> Quote:
        content = d.span(f"\"We are doing everything we can{p},\"")
        speaker = d.span("Ilse Varga")
        cue = d.span("said", 1)
        return Quote("direct", *content, speaker=f"Ilse Varga{p}", speaker_start=speaker[0], speaker_end=speaker[1],
                     speaker_entity="Ilse Varga", cue="said", cue_start=cue[0], cue_end=cue[1], sentence=sid)

    rtv_quote = Quote("indirect", *rtv.span("rescue teams reached the area within an hour"),
                      speaker="Varga", speaker_start=rtv.span("Varga")[0], speaker_end=rtv.span("Varga")[1],
                      speaker_entity="Minister Varga", cue="said", cue_start=rtv.span("said", 1)[0],
                      cue_end=rtv.span("said", 1)[1], sentence="s2", confidence=0.5)

    def mention(d: Draft, needle: str, nth: int = 0) -> EntityMention:
        return EntityMention(d.id, *d.span(needle, nth), needle)

    entities = (
        Entity("e1", f"Ilse Varga{p}", "PERSON", (
            mention(gazette, "Ilse Varga"), mention(beacon, "Ilse Varga"), mention(rtv, "Minister Varga"))),
        Entity("e2", "Kessel dam", "FAC", (
            mention(gazette, "Kessel dam"), mention(beacon, "Kessel dam", 0), mention(beacon, "Kessel dam", 1),
            mention(rtv, "Kessel reservoir", 0), mention(rtv, "Kessel reservoir", 1))),
        Entity("e3", "Marren", "GPE", (mention(gazette, "Marren"), mention(gazette, "MARREN"),
                                       mention(beacon, "MARREN")), confidence=0.55),
    )

    def cs(d: Draft, sid: str, score: float = 1.0) -> ClaimSentence:
        s = next(x for x in d.sentences if x.id == sid)
        return ClaimSentence(d.id, sid, s.start, s.end, score)

    claims = (
        Claim("c1", "conflict", (cs(gazette, "s1", 0.9), cs(beacon, "s1", 0.9), cs(rtv, "s1", 0.7)),
              note=f"deaths: 12 (Esterby Gazette, Daily Beacon) vs 7 (RTV Valdora){p}"),
        Claim("c2", "shared", (cs(gazette, "s2"), cs(beacon, "s2"), cs(rtv, "s2", 0.62)), confidence=0.58),
        Claim("c3", "unique", (cs(gazette, "s3"),)),
        Claim("c4", "unique", (cs(beacon, "s3"),)),
        Claim("c5", "unique", (cs(rtv, "s3"),)),
    )
    framing = (
        # Given out of text order on purpose: reports must order them themselves.
        FramingFinding("hedge", gazette.id, *gazette.span("reportedly"), "reportedly",
                       note="unattributed claim of a warning"),
        FramingFinding("scare_quote", gazette.id, *gazette.span("\"chaotic\""), "\"chaotic\"",
                       note=f"distances the paper from the word{p}"),
        FramingFinding("label", rtv.id, *rtv.span("Kessel reservoir incident"), "Kessel reservoir incident",
                       note="others: 'dam breach'", entity="e2", confidence=0.4),
        FramingFinding("loaded", rtv.id, *rtv.span("So-called activists"), "So-called activists",
                       note="dismissive label", claim="c5"),
    )
    voices = (
        Voice(f"Ilse Varga{p}", "e1", (gazette.id, beacon.id, rtv.id), direct=2, indirect=1, words=20),
    )
    drafts = (gazette, beacon, rtv)
    annotations = (
        Annotation(gazette.id, tuple(gazette.sentences), quotes=(direct(gazette, "s2"),)),
        Annotation(beacon.id, tuple(beacon.sentences), quotes=(direct(beacon, "s2"),)),
        Annotation(rtv.id, tuple(rtv.sentences), quotes=(rtv_quote,)),
    )
    return Comparison(
        articles=tuple(d.article() for d in drafts),
        annotations=annotations,
        entities=entities,
        claims=claims,
        framing=framing,
        voices=voices,
        wire_groups=((gazette.id, beacon.id),),
        settings={"rashomon": "0.1.0", "embedding_model": f"all-MiniLM-L6-v2{p}", "align.threshold": "0.5"},
    )


@pytest.fixture
def story() -> Comparison:
    return build_story()


@pytest.fixture
def make_story() -> Callable[[str], Comparison]:
    return build_story


@pytest.fixture
def hostile() -> str:
    return HOSTILE


@pytest.fixture
def hostile_story() -> Comparison:
    return build_story(HOSTILE)
