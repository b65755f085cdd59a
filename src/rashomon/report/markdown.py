"""The Markdown report: the terminal summary in full, for an issue, a wiki or a notebook.

Every finding names the article and the character span it rests on ("chars 120–184"), so a
reader can check it against the source. Untrusted text is escaped for Markdown and for the
HTML that Markdown renderers let through (``md``), so an article cannot add a link, an
image, a table cell or a tag to the report.
"""

from __future__ import annotations

import re

from rashomon.model import Comparison
from rashomon.report.json import (
    LOW_CONFIDENCE,
    entity_labels,
    is_low,
    ordered_framing,
    ordered_quotes,
)
from rashomon.report.terminal import (
    article_names,
    clean,
    conflict_note,
    fact_sources,
    headline,
    kinds_line,
    short,
    sorted_claims,
    summarise,
    voice_names,
)

# Markdown's inline punctuation (emphasis, code, links, table cells, strikethrough), escaped
# with a backslash; "<", ">" and "&" become entities, since a backslash does not stop raw
# HTML everywhere. Line-start markup ("# ", "- ", "1. ") cannot arise: untrusted text never
# starts a line here.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_CELL = 120
MARK = {"stated": "●", "conflict": "◆", "absent": "·"}


def md(text: str | None, limit: int | None = None) -> str:
    """Untrusted text as one inert line of Markdown."""
    line = short(text, limit) if limit else clean(text)
    line = line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", line)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows), ""]


def _low(confidence: float) -> str:
    return " *(low confidence)*" if is_low(confidence) else ""


def render_markdown(comparison: Comparison) -> str:
    """``rashomon compare --format md``."""
    s = summarise(comparison)
    names = article_names(comparison)
    texts = {a.id: a.text for a in comparison.articles}
    out = [f"# {md(s.title) or 'Rashomon comparison'}", "", f"_{md(headline(s))}_", ""]

    out += ["## Outlets", ""]
    out += _table(
        ["outlet", "country", "ownership", "date", "wire", "facts", "only here", "conflicting", "article"],
        [[md(o.name), md(o.country) or "?", md(o.ownership) or "?", md(o.published), md(", ".join(o.wire)),
          str(o.stated), str(o.unique), str(o.conflicts), md(o.article)] for o in s.outlets],
    )
    if s.outlets:
        out += [f"_Outlet facts (? = unknown): {'; '.join(md(line) for line in fact_sources(s))}_", ""]
    for g in s.wire_groups:
        out += [f"Wire copies, counted as one source: {' = '.join(md(n) for n in g)}", ""]

    claims = sorted_claims(comparison.claims)
    if s.conflicts:
        out += ["## Conflicting facts", ""]
        for line in s.conflicts:
            out.append(f"- **{md(line.claim.id)}**: {md(conflict_note(line)) or 'details disagree'}{_low(line.claim.confidence)}")
            for st in line.statements:
                out.append(f"  - {md(st.name)} ({md(st.sentence)}): “{md(st.text, 300)}”")
            if line.claim.values:
                out.append("  - differing: " + ", ".join(
                    f"“{md(v.text, 60)}” ({md(names.get(v.article, v.article))}, chars {v.start}–{v.end})"
                    for v in line.claim.values))
        out.append("")

    if claims:
        out += ["## Facts × outlets", "", "● stated · ◆ stated but conflicting · `·` absent", ""]
        header = ["fact", *(md(names[a.id]) for a in comparison.articles), "first stated as"]
        rows = []
        for c in claims:
            present = set(c.articles)
            state = "conflict" if c.status == "conflict" else "stated"
            first = c.sentences[0] if c.sentences else None
            said = texts.get(first.article, "")[first.start : first.end] if first else ""
            rows.append([
                f"{md(c.id)}{'?' * is_low(c.confidence)}",
                *(MARK[state] if a.id in present else MARK["absent"] for a in comparison.articles),
                md(said, _CELL),
            ])
        out += _table(header, rows)

    unique = [c for c in claims if c.status == "unique"]
    if unique:
        out += ["## Facts only one outlet states", ""]
        for a in comparison.articles:
            mine = [c for c in unique if a.id in c.articles]
            if not mine:
                continue
            out += [f"### {md(names[a.id])}", ""]
            for c in mine:
                for sent in c.sentences:
                    out.append(f"- {md(c.id)} ({md(sent.sentence)}, chars {sent.start}–{sent.end}): "
                               f"{md(texts[a.id][sent.start : sent.end], 300)}{_low(c.confidence)}")
            out.append("")

    if s.labels:
        out += ["## Named differently", ""]
        out += _table(
            ["entity", *(md(names[a.id]) for a in comparison.articles)],
            [[md(lab.entity.name) + _low(lab.entity.confidence),
              *(md(" / ".join(entity_labels(lab.entity, comparison).get(a.id, []))) or "—"
                for a in comparison.articles)]
             for lab in s.labels],
        )

    if s.voices:
        out += ["## Voices", ""]
        out += _table(
            ["speaker", "quoted by", "how", "words"],
            [[md(v.speaker), md(voice_names(v, names)), kinds_line(v), str(v.words)]
             for v in s.voices],
        )

    quotes = ordered_quotes(comparison)
    if quotes:
        out += ["## Quotes", ""]
        out += _table(
            ["id", "outlet", "speaker", "cue", "kind", "quote", "chars"],
            [[qid + ("?" if is_low(q.confidence) else ""), md(names[a.id]), md(q.speaker) or "—", md(q.cue) or "—",
              md(q.kind), md(a.text[q.content_start : q.content_end], _CELL), f"{q.content_start}–{q.content_end}"]
             for qid, a, q in quotes],
        )

    framing = ordered_framing(comparison)
    if framing:
        out += ["## Framing", ""]
        out += _table(
            ["id", "kind", "outlet", "words", "note", "chars"],
            [[fid + ("?" if is_low(f.confidence) else ""), md(f.kind.replace("_", " ")),
              md(names.get(f.article, f.article)), md(f.text, 60), md(f.note, _CELL), f"{f.start}–{f.end}"]
             for fid, f in framing],
        )

    if s.low_confidence:
        out += [f"_Findings marked ? or “low confidence” scored below {LOW_CONFIDENCE}: check them against the text._", ""]
    if comparison.settings:
        out += ["## Settings", ""]
        out += _table(["setting", "value"], [[md(k), md(v)] for k, v in sorted(comparison.settings.items())])
    return "\n".join(out).rstrip("\n") + "\n"
