"""The terminal report: what a person takes in within 30 seconds, in 100 columns.

``summarise`` gathers the headline facts of a Comparison (who covered it and who owns them,
wire copies and independent sources, shared / unique / conflicting facts, labels that
differ, voices, hedges and scare quotes); ``print_report`` lays them out with rich, and
``render_text`` returns the same as plain text. The Markdown and HTML reports reuse
``summarise`` so every face tells the same story.

Article text is untrusted: it reaches the terminal only through ``clean``, which drops
control characters (an ANSI escape in an article must not recolour or rewrite the user's
terminal) and never through rich markup (a "[bold]" in an article stays literal).
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from dataclasses import dataclass

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from rashomon.model import Claim, Comparison, Entity, FramingFinding, Voice
from rashomon.report.json import (
    LOW_CONFIDENCE,
    entity_labels,
    is_low,
    ordered_framing,
    ordered_quotes,
)

WIDTH = 100
# How many lines each list may take: the report must stay a 30-second read.
TOP = 6

# C0/C1 controls, DEL, and the bidi overrides that can make text display other than it reads.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SPACE = re.compile(r"\s+")

STATUS_ORDER = {"conflict": 0, "shared": 1, "unique": 2}
HEDGE_KINDS = ("hedge", "scare_quote")


def clean(text: str | None) -> str:
    """One line of untrusted text, safe to print: controls dropped, whitespace collapsed."""
    if not text:
        return ""
    return _SPACE.sub(" ", _UNSAFE.sub("", text)).strip()


def short(text: str | None, limit: int) -> str:
    """``clean(text)`` cut to ``limit`` characters, with an ellipsis when cut."""
    line = clean(text)
    return line if len(line) <= limit else line[: max(limit - 1, 0)].rstrip() + "…"


# --- the summary every report shares -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class OutletLine:
    """One article as the summary shows it.

    article: Article.id. name: display name (the outlet, else the file name; unique within
    the comparison). stated: claims it states; unique: claims only it states (what the
    others omit); conflicts: conflicting claims it takes part in. copies: display names of
    the other articles in its wire group. country, ownership: the outlet registry's facts,
    None when unknown (never guessed). source: where the registry has them from.
    """

    article: str
    name: str
    outlet: str | None
    country: str | None
    ownership: str | None
    published: str | None
    title: str | None
    wire: tuple[str, ...]
    stated: int
    unique: int
    conflicts: int
    copies: tuple[str, ...]
    source: str | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """One article's sentence in a claim: whose, and what it says."""

    article: str
    name: str
    sentence: str
    text: str


@dataclass(frozen=True, slots=True)
class ConflictLine:
    claim: Claim
    statements: tuple[Statement, ...]


@dataclass(frozen=True, slots=True)
class LabelLine:
    """An entity that outlets name differently: forms per outlet display name."""

    entity: Entity
    forms: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """The headline facts of a Comparison, in the order a reader wants them."""

    title: str | None
    outlets: tuple[OutletLine, ...]
    independent_sources: int
    wire_groups: tuple[tuple[str, ...], ...]
    shared: int
    unique: int
    conflict: int
    conflicts: tuple[ConflictLine, ...]
    people: tuple[tuple[Entity, int], ...]
    labels: tuple[LabelLine, ...]
    voices: tuple[Voice, ...]
    framing_counts: tuple[tuple[str, int], ...]
    hedges: tuple[tuple[str, str, FramingFinding], ...]
    quotes: int
    low_confidence: int


def article_names(comparison: Comparison) -> dict[str, str]:
    """Article id -> display name: the outlet's name, else the file name; a number is added
    when two articles would show the same name, so columns never look alike."""
    names: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for a in comparison.articles:
        base = a.outlet.name if a.outlet else os.path.basename(a.id.rstrip("/\\")) or a.id
        base = clean(base) or a.id
        seen[base] += 1
        names.setdefault(a.id, base if seen[base] == 1 else f"{base} ({seen[base]})")
    return names


def independent_sources(comparison: Comparison) -> int:
    """Independent sources, as ``rashomon stories`` counts them: once per wire group and
    once per outlet (:func:`rashomon.dedup.independent_sources`)."""
    from rashomon.dedup import independent_sources as count

    members = [(a.id, a.outlet.name if a.outlet else None) for a in comparison.articles]
    return count(members, comparison.wire_groups)


def sorted_claims(claims: tuple[Claim, ...]) -> list[Claim]:
    """Conflicts first, then shared facts (most outlets first), then facts one outlet has."""
    order = {c.id: i for i, c in enumerate(claims)}
    return sorted(claims, key=lambda c: (STATUS_ORDER.get(c.status, 3), -len(c.articles), order[c.id]))


def summarise(comparison: Comparison) -> Summary:
    """The headline facts of ``comparison`` (see Summary)."""
    names = article_names(comparison)
    texts = {a.id: a.text for a in comparison.articles}
    stated: Counter[str] = Counter()
    unique: Counter[str] = Counter()
    conflicts: Counter[str] = Counter()
    for c in comparison.claims:
        for aid in c.articles:
            stated[aid] += 1
            if c.status == "unique":
                unique[aid] += 1
            elif c.status == "conflict":
                conflicts[aid] += 1
    groups = [tuple(g) for g in comparison.wire_groups if len(set(g)) > 1]
    copies: dict[str, tuple[str, ...]] = {}
    for g in groups:
        for aid in g:
            copies[aid] = tuple(names.get(o, o) for o in g if o != aid)

    outlets = tuple(
        OutletLine(
            article=a.id, name=names[a.id], outlet=a.outlet.name if a.outlet else None,
            country=a.outlet.country if a.outlet else None,
            ownership=a.outlet.ownership if a.outlet else None,
            published=a.published, title=a.title, wire=a.wire_names,
            stated=stated[a.id], unique=unique[a.id], conflicts=conflicts[a.id],
            copies=copies.get(a.id, ()),
            source=a.outlet.source if a.outlet else None,
        )
        for a in comparison.articles
    )
    statuses = Counter(c.status for c in comparison.claims)
    conflict_lines = tuple(
        ConflictLine(
            claim=c,
            statements=tuple(
                Statement(s.article, names.get(s.article, s.article), s.sentence,
                          texts.get(s.article, "")[s.start : s.end])
                for s in c.sentences
            ),
        )
        for c in comparison.claims
        if c.status == "conflict"
    )
    # Who is in the story: the entities most outlets mention, then the most mentioned.
    people = sorted(
        ((e, len(e.labels())) for e in comparison.entities),
        key=lambda t: (-t[1], -len(t[0].mentions), t[0].name),
    )
    labels = []
    for e in comparison.entities:
        forms = entity_labels(e, comparison)
        if differs(forms):
            labels.append(LabelLine(e, tuple((names.get(k, k), tuple(v)) for k, v in forms.items())))
    voices = sorted(comparison.voices, key=lambda v: (-v.words, -len(v.articles), v.speaker))
    framing = ordered_framing(comparison)
    kinds = Counter(f.kind for _, f in framing)
    hedges = tuple((fid, names.get(f.article, f.article), f) for fid, f in framing if f.kind in HEDGE_KINDS)
    quotes = ordered_quotes(comparison)
    low = (
        sum(is_low(c.confidence) for c in comparison.claims)
        + sum(is_low(e.confidence) for e in comparison.entities)
        + sum(is_low(f.confidence) for f in comparison.framing)
        + sum(is_low(q.confidence) for _, _, q in quotes)
    )
    titles = [a.title for a in comparison.articles if a.title]
    return Summary(
        title=titles[0] if titles else None,
        outlets=outlets,
        independent_sources=independent_sources(comparison),
        wire_groups=tuple(tuple(names.get(a, a) for a in g) for g in groups),
        shared=statuses["shared"], unique=statuses["unique"], conflict=statuses["conflict"],
        conflicts=conflict_lines,
        people=tuple(people),
        labels=tuple(labels),
        voices=tuple(voices),
        framing_counts=tuple(sorted(kinds.items())),
        hedges=hedges,
        quotes=len(quotes),
        low_confidence=low,
    )


def fact_sources(summary: Summary) -> list[str]:
    """Where the outlet facts shown (country, ownership) come from, one line per source:
    Rashomon rates no outlet itself; an unknown stays unknown ("?")."""
    by_source: dict[str, list[str]] = {}
    unsourced: list[str] = []
    unknown: list[str] = []
    for o in summary.outlets:
        # untrusted text (a user's registry file, a file name): one clean, short line each
        label = short(o.outlet or o.name, 40)
        if o.outlet is None:
            unknown.append(short(o.name, 40))
        elif o.source:
            source = short(o.source, 120)
            if label not in by_source.setdefault(source, []):
                by_source[source].append(label)
        elif label not in unsourced:
            unsourced.append(label)
    lines = [f"{', '.join(names)}: country and ownership from the outlet registry ({source})"
             for source, names in by_source.items()]
    if unsourced:
        lines.append(f"{', '.join(unsourced)}: the outlet registry names no source for these facts")
    if unknown:
        lines.append(f"{', '.join(unknown)}: outlet not identified; country and ownership unknown")
    return lines


def headline_parts(summary: Summary) -> tuple[str, str]:
    """How big the story is: who covered it, then what they said."""
    n, outlets = len(summary.outlets), len({o.outlet or o.name for o in summary.outlets})
    ind = summary.independent_sources
    facts = summary.shared + summary.unique + summary.conflict
    return (
        f"{n} article{'s' * (n != 1)} from {outlets} outlet{'s' * (outlets != 1)}, "
        f"{ind} independent source{'s' * (ind != 1)}",
        f"{facts} facts: {summary.shared} shared, {summary.conflict} conflicting, "
        f"{summary.unique} in one outlet only · {summary.quotes} quotes",
    )


def headline(summary: Summary) -> str:
    """The one line that says how big the story is."""
    return " · ".join(headline_parts(summary))


def differs(forms: dict[str, list[str]]) -> bool:
    """Whether outlets name an entity differently (case alone is no difference: "MARREN")."""
    return len(forms) > 1 and len({frozenset(f.casefold() for f in v) for v in forms.values()}) > 1


def grouped_forms(line: LabelLine) -> list[tuple[str, list[str]]]:
    """An entity's names with the outlets using each: [("Kessel dam", [Gazette, Beacon]), ...]."""
    groups: dict[str, list[str]] = {}
    for name, forms in line.forms:
        groups.setdefault(" / ".join(forms), []).append(name)
    return list(groups.items())


def conflict_note(line: ConflictLine) -> str:
    """The claim's note with each article id replaced by its outlet's display name ("14
    (The Esterby Gazette) vs at least 20 (Daily Beacon)"): the ids are for machines."""
    note = line.claim.note or ""
    for article, name in sorted({(st.article, st.name) for st in line.statements}, key=lambda t: -len(t[0])):
        note = note.replace(f"({article}", f"({name}").replace(f"; {article}", f"; {name}")
        note = note.replace(f" {article} ", f" {name} ").replace(f"{article},", f"{name},")
    return note


def merged_statements(line: ConflictLine) -> list[tuple[str, str]]:
    """A conflict's sentences, identical ones (wire copies) merged: (outlets, sentence)."""
    groups: dict[str, list[str]] = {}
    for st in line.statements:
        groups.setdefault(clean(st.text), []).append(st.name)
    return [(", ".join(dict.fromkeys(names)), text) for text, names in groups.items()]


def voice_names(voice: Voice, names: dict[str, str]) -> str:
    return ", ".join(names.get(a, a) for a in voice.articles)


def kinds_line(voice: Voice) -> str:
    parts = [(voice.direct, "direct"), (voice.indirect, "indirect"), (voice.mixed, "mixed")]
    return ", ".join(f"{n} {k}" for n, k in parts if n)


# --- rich layout ----------------------------------------------------------------------------


def _more(shown: int, total: int) -> Padding | None:
    return _line(f"… and {total - shown} more (see --format html)", style="dim") if total > shown else None


def _line(text: str, indent: int = 2, style: str = "") -> Padding:
    """An indented line whose wrapped continuation keeps the indent."""
    return Padding(Text(text, style=style), (0, 0, 0, indent))


def _section(title: str) -> Text:
    return Text(title, style="bold")


_OUTLET_COLUMNS = ("outlet", "country", "ownership", "date", "wire", "facts", "only here", "conflicts")


def _outlet_rows(s: Summary) -> list[tuple[str, ...]]:
    """The outlet table's cells, one tuple per outlet, in _OUTLET_COLUMNS order."""
    return [(short(o.name, 28), clean(o.country) or "?", clean(o.ownership) or "?",
             clean(o.published), short(", ".join(o.wire), 18), str(o.stated), str(o.unique),
             str(o.conflicts)) for o in s.outlets]


def _outlet_widths(rows: list[tuple[str, ...]], width: int) -> list[int]:
    """Column widths of the outlet table in ``width`` columns: the codes, dates and counts
    keep their full width, the outlet and wire names share the rest and wrap at spaces; a
    word is folded only where the terminal is too narrow for the table."""
    natural = [max([len(col), *(len(r[i]) for r in rows)]) for i, col in enumerate(_OUTLET_COLUMNS)]
    room = width - 2 * (len(natural) - 1)  # a separator and a blank before each later column
    fixed = sum(natural[1:4]) + sum(natural[5:])
    names = room - fixed
    outlet, wire = natural[0], natural[4]
    if outlet + wire > names:
        wire = max(len("wire"), min(wire, names * 2 // 5))
        outlet = max(len("outlet"), names - wire)
    widths = [outlet, *natural[1:4], wire, *natural[5:]]
    over = sum(widths) - room
    if over > 0:  # too narrow even so: the ownership words fold
        widths[2] = max(len("ownership"), widths[2] - over)
    return widths


def renderables(comparison: Comparison, width: int = WIDTH) -> list[RenderableType]:
    """The terminal report as rich renderables, top to bottom, for ``width`` columns."""
    s = summarise(comparison)
    names = article_names(comparison)
    out: list[RenderableType] = [
        Rule(Text(short(s.title, 80) or "Rashomon comparison", style="bold"), align="left"),
        *(Text(part) for part in headline_parts(s)),
    ]

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False, padding=(0, 0, 0, 1))
    rows = _outlet_rows(s)
    for col, w in zip(_OUTLET_COLUMNS, _outlet_widths(rows, width), strict=True):
        numeric = col in ("facts", "only here", "conflicts")
        table.add_column(col, width=w, overflow="fold", justify="right" if numeric else "left",
                         no_wrap=numeric)
    for o, row in zip(s.outlets, rows, strict=True):
        *cells, conflicts = row
        table.add_row(*(Text(c) for c in cells), Text(conflicts, style="red" if o.conflicts else ""))
    out += [Text(""), _section("Outlets"), table]
    out += [_line(f"? = unknown. {line}", style="dim") if i == 0 else _line(line, style="dim")
            for i, line in enumerate(fact_sources(s))]
    if s.wire_groups:
        for g in s.wire_groups:
            out.append(_line(f"wire copies (one source): {' = '.join(short(n, 30) for n in g)}", style="yellow"))

    if s.conflicts:
        out += [Text(""), _section(f"Conflicting facts ({s.conflict})")]
        for line in s.conflicts[:TOP]:
            flag = " (low confidence)" if is_low(line.claim.confidence) else ""
            out.append(_line(f"{clean(line.claim.id)}: {short(conflict_note(line), 300) or 'details disagree'}{flag}",
                             style="red"))
            grid = Table.grid(padding=(0, 1))
            grid.add_column(width=3)
            grid.add_column(max_width=30, overflow="fold", style="bold")
            grid.add_column(overflow="fold")
            for names_, text in merged_statements(line)[:4]:
                grid.add_row("", Text(short(names_, 60)), Text(f"“{short(text, 200)}”"))
            out.append(grid)
        if more := _more(min(len(s.conflicts), TOP), len(s.conflicts)):
            out.append(more)

    if s.people:
        out += [Text(""), _section("Who is in the story")]
        shown = s.people[: TOP + 2]
        out.append(_line(" · ".join(
            f"{short(e.name, 30)}{'?' * is_low(e.confidence)} ({clean(e.type)}, {n} outlet{'s' * (n != 1)})"
            for e, n in shown)))
        if more := _more(len(shown), len(s.people)):
            out.append(more)

    if s.labels:
        out += [Text(""), _section("Named differently")]
        for lab in s.labels[:TOP]:
            forms = " · ".join(f"“{short(f, 30)}” ({short(', '.join(n), 50)})" for f, n in grouped_forms(lab))
            out.append(_line(f"{short(lab.entity.name, 24)}: {forms}"))
        if more := _more(min(len(s.labels), TOP), len(s.labels)):
            out.append(more)

    if s.voices:
        out += [Text(""), _section("Voices (who is quoted, by whom, how much)")]
        vt = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
        for col in ("speaker", "quoted by", "how", "words"):
            vt.add_column(col, justify="right" if col == "words" else "left", overflow="fold")
        for v in s.voices[:TOP]:
            vt.add_row(Text(short(v.speaker, 28)), Text(short(voice_names(v, names), 60)),
                       Text(kinds_line(v)), str(v.words))
        out.append(vt)
        if more := _more(min(len(s.voices), TOP), len(s.voices)):
            out.append(more)

    if s.framing_counts:
        counts = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in s.framing_counts)
        out += [Text(""), _section("Framing"), _line(counts)]
        for fid, name, f in s.hedges[:TOP]:
            flag = " (low confidence)" if is_low(f.confidence) else ""
            note = f" — {short(f.note, 40)}" if f.note else ""
            out.append(_line(f"{fid} {f.kind.replace('_', ' ')}, {short(name, 18)}: “{short(f.text, 30)}”{note}{flag}"))
        if more := _more(min(len(s.hedges), TOP), len(s.hedges)):
            out.append(more)

    if s.low_confidence:
        out += [Text(""), Text(f"{s.low_confidence} finding(s) scored below confidence {LOW_CONFIDENCE} are marked "
                               "“?” or “low confidence”:\ncheck them against the text (--format html links each "
                               "to its words).", style="dim")]
    return out


def print_report(comparison: Comparison, console: Console | None = None) -> None:
    """Print the terminal report (in colour where the console supports it)."""
    console = console or Console(width=min(Console().width, WIDTH))
    console.print(Group(*renderables(comparison, console.width)), soft_wrap=False, highlight=False)


def render_text(comparison: Comparison, *, width: int = WIDTH) -> str:
    """The terminal report as plain text (no colour codes), ``width`` columns wide."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, no_color=True,
                      color_system=None, highlight=False, emoji=False, legacy_windows=False)
    print_report(comparison, console)
    # rich pads table cells to the column width; trailing blanks are noise in a file.
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
