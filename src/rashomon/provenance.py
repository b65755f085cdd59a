"""Provenance: every finding rests on character spans of the articles' text; check them.

    from rashomon.provenance import check_spans
    problems = check_spans(comparison)        # [] when every span holds what it claims

A span is checked in two ways: it must lie inside its article's text (``0 <= start <= end
<= len(text)``), and wherever a text is recorded beside it (a mention's surface form, a
framing finding's words, a sentence's text in the JSON record, a conflict's differing
number), that text must be exactly ``Article.text[start:end]``. Both the ``Comparison``
and its JSON record (``report.json.comparison_record``) are walked, so a renderer that
shifts an offset or copies the wrong words is caught as surely as a stage that does.

What is walked (``spans``): the title span, kept paragraphs, removed lines and wire
credits of every article; sentences, entity mentions, quotes (speaker, cue, content) and
numbers and dates of every annotation; the mentions behind every entity label; the
sentences of every claim (which must be the annotation's sentences of that id); the
differing values of every conflict; every framing finding; the quotes behind every voice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rashomon.model import Comparison


@dataclass(frozen=True, slots=True)
class Span:
    """One span a finding rests on.

    where: what points at it ("quote q3 content", "record claims[4].sentences[0]").
    article: Article.id. start, end: the span. text: the words recorded beside it, or None
    where nothing is (then only the bounds are checked).
    """

    where: str
    article: str
    start: int
    end: int
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A span that does not hold what it claims: why, and what the text really says there."""

    span: Span
    reason: str
    found: str | None = None

    def __str__(self) -> str:
        s = self.span
        found = "" if self.found is None else f"; the text there is {self.found!r}"
        return f"{s.where} ({s.article} {s.start}-{s.end}): {self.reason}{found}"


def spans(comparison: Comparison, record: Mapping[str, Any] | None = None) -> Iterator[Span]:
    """Every span of ``comparison`` and of its JSON record (computed when not given)."""
    yield from _model_spans(comparison)
    if record is None:
        from rashomon.report.json import comparison_record

        record = comparison_record(comparison)
    yield from _record_spans(record)


def check_spans(comparison: Comparison, record: Mapping[str, Any] | None = None) -> list[Problem]:
    """Every span that lies outside its article or whose recorded text is not the text at
    that span (see the module docstring); [] when all hold."""
    texts = {a.id: a.text for a in comparison.articles}
    return [p for s in spans(comparison, record) if (p := check_span(s, texts)) is not None]


def check_span(span: Span, texts: Mapping[str, str]) -> Problem | None:
    """The problem with one span, or None."""
    text = texts.get(span.article)
    if text is None:
        return Problem(span, "names no article of the comparison")
    if not (0 <= span.start <= span.end <= len(text)):
        return Problem(span, f"lies outside the text (0-{len(text)})")
    if span.text is not None and text[span.start : span.end] != span.text:
        return Problem(span, f"records {span.text!r}", text[span.start : span.end])
    return None


def _model_spans(c: Comparison) -> Iterator[Span]:
    sentence_of: dict[tuple[str, str], tuple[int, int]] = {}
    texts = {a.id: a.text for a in c.articles}
    for a in c.articles:
        if a.title_span is not None:
            yield Span(f"article {a.id} title", a.id, *a.title_span,
                       a.title if a.title is not None and a.title == a.text[slice(*a.title_span)] else None)
        for i, p in enumerate(a.paragraphs):
            yield Span(f"article {a.id} paragraph {i}", a.id, p.start, p.end)
        for r in a.removed:
            yield Span(f"article {a.id} removed line ({r.rule})", a.id, r.start, r.end, r.text)
        for w in a.wire:
            yield Span(f"article {a.id} wire credit {w.name}", a.id, w.start, w.end)
    for n in c.annotations:
        aid = n.article
        for s in n.sentences:
            sentence_of[(aid, s.id)] = (s.start, s.end)
            yield Span(f"sentence {s.id}", aid, s.start, s.end)
        for m in n.mentions:
            yield Span(f"mention {m.label} in {m.sentence}", aid, m.start, m.end, m.text)
        for x in n.quantities:
            yield Span(f"{x.kind} {x.value}", aid, x.start, x.end, x.text)
        for k, q in enumerate(n.quotes):
            yield Span(f"quote {k} content", aid, q.content_start, q.content_end)
            if q.speaker_start is not None and q.speaker_end is not None:
                yield Span(f"quote {k} speaker", aid, q.speaker_start, q.speaker_end)
            if q.cue_start is not None and q.cue_end is not None:
                yield Span(f"quote {k} cue", aid, q.cue_start, q.cue_end)
    for e in c.entities:
        for em in e.mentions:
            yield Span(f"entity {e.id} label", em.article, em.start, em.end, em.text)
    for cl in c.claims:
        for cs in cl.sentences:
            where = f"claim {cl.id} sentence {cs.sentence}"
            own = sentence_of.get((cs.article, cs.sentence))
            # a claim's member is the annotation's sentence of that id, span and all
            expected = texts.get(cs.article, "")[own[0] : own[1]] if own else f"<no sentence {cs.sentence}>"
            yield Span(where, cs.article, cs.start, cs.end, expected)
        for value in cl.values:
            yield Span(f"claim {cl.id} {value.kind} value", value.article, value.start, value.end, value.text)
    for f in c.framing:
        yield Span(f"framing {f.kind}", f.article, f.start, f.end, f.text)
    for voice in c.voices:
        for vq in voice.quotes:
            yield Span(f"voice {voice.speaker} quote", vq.article, vq.start, vq.end, vq.text)


def _record_spans(r: Mapping[str, Any]) -> Iterator[Span]:
    for a in r.get("articles", []):
        aid = a["id"]
        for s in a.get("sentences", []):
            yield Span(f"record sentence {s['id']}", aid, s["start"], s["end"], s["text"])
        for x in a.get("removed_lines", []):
            yield Span("record removed line", aid, x["start"], x["end"], x["text"])
        for w in a.get("wire_credits", []):
            yield Span(f"record wire credit {w['name']}", aid, w["start"], w["end"], w.get("text"))
    for q in r.get("quotes", []):
        aid, qid = q["article"], q.get("id")
        yield Span(f"record quote {qid} content", aid, q["start"], q["end"], q["content"])
        if q.get("speaker_start") is not None:
            yield Span(f"record quote {qid} speaker", aid, q["speaker_start"], q["speaker_end"], q.get("speaker_text"))
        if q.get("cue_start") is not None:
            yield Span(f"record quote {qid} cue", aid, q["cue_start"], q["cue_end"], q.get("cue_text"))
    for e in r.get("entities", []):
        for m in e.get("mentions", []):
            yield Span(f"record entity {e['id']} mention", m["article"], m["start"], m["end"], m["text"])
        # every label an outlet is said to use is the text of one of its mentions
        for aid, forms in e.get("labels", {}).items():
            used = {m["text"] for m in e.get("mentions", []) if m["article"] == aid}
            for form in forms:
                if form not in used:
                    yield Span(f"record entity {e['id']} label {form!r} (no such mention)", aid, -1, -1)
    for c in r.get("claims", []):
        for s in c.get("sentences", []):
            yield Span(f"record claim {c['id']} sentence {s['sentence']}", s["article"], s["start"], s["end"], s.get("text"))
        for v in c.get("values", []):
            yield Span(f"record claim {c['id']} {v['kind']} value", v["article"], v["start"], v["end"], v["text"])
    for f in r.get("framing", []):
        yield Span(f"record framing {f.get('id')} {f['kind']}", f["article"], f["start"], f["end"], f["text"])
    for v in r.get("voices", []):
        for q in v.get("quotes", []):
            yield Span(f"record voice {v['speaker']} quote {q.get('id')}", q["article"], q["start"], q["end"], q["text"])


__all__ = ["Problem", "Span", "check_span", "check_spans", "spans"]
