"""The terminal and Markdown reports: the 30-second summary, 100 columns, inert text."""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from rich.console import Console

from rashomon.model import Comparison
from rashomon.report.markdown import md, render_markdown
from rashomon.report.terminal import (
    clean,
    independent_sources,
    print_report,
    render_text,
    summarise,
)

# --- the shared summary ------------------------------------------------------------------------


def test_summary_counts_sources_and_facts(story: Comparison) -> None:
    s = summarise(story)
    assert independent_sources(story) == s.independent_sources == 2
    assert (s.shared, s.unique, s.conflict) == (1, 3, 1)
    assert [(o.name, o.stated, o.unique, o.conflicts) for o in s.outlets] == [
        ("Esterby Gazette", 3, 1, 1), ("Daily Beacon", 3, 1, 1), ("RTV Valdora", 3, 1, 1)]
    assert s.outlets[0].copies == ("Daily Beacon",)
    assert [lab.entity.id for lab in s.labels] == ["e1", "e2"]  # "MARREN" vs "Marren" is no difference
    assert [f.kind for _, _, f in s.hedges] == ["scare_quote", "hedge"]
    assert s.low_confidence == 4


def test_same_outlet_twice_gets_distinct_names(story: Comparison) -> None:
    import dataclasses

    twin = dataclasses.replace(story.articles[1], outlet=story.articles[0].outlet)
    s = summarise(dataclasses.replace(story, articles=(story.articles[0], twin, story.articles[2])))
    assert [o.name for o in s.outlets] == ["Esterby Gazette", "Esterby Gazette (2)", "RTV Valdora"]


# --- terminal ---------------------------------------------------------------------------------


def test_terminal_report_says_it_all_in_100_columns(story: Comparison) -> None:
    out = render_text(story)
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert len(lines) <= 50
    for expected in (
        "3 articles from 3 outlets, 2 independent sources",
        "1 shared, 1 conflicting, 3 in one outlet only",
        "state-controlled",
        "wire copies (one source): Esterby Gazette = Daily Beacon",
        "c1: deaths: 12 (Esterby Gazette, Daily Beacon) vs 7 (RTV Valdora)",
        "“Kessel reservoir” (RTV Valdora)",
        "Ilse Varga",
        "2 direct, 1 indirect",
        "scare quote",
        "reportedly",
    ):
        assert expected in out, expected
    # The wire copies' identical sentence is shown once, for both.
    assert out.count("At least 12 people died") == 1


@pytest.mark.parametrize("width", [100, 80])
def test_outlet_table_wraps_words_and_keeps_every_count(story: Comparison, width: int) -> None:
    # A long unidentified file name must not squeeze the other columns: values are
    # never cut inside a word, and the counts column stays whole.
    import dataclasses

    long_name = dataclasses.replace(
        story.articles[0],
        outlet=None,
        path="archive/2031-03-04_000_9c6fa6baf7c6373c_the-long-file-name.html",
    )
    story = dataclasses.replace(story, articles=(long_name, *story.articles[1:]))
    table = render_text(story, width=width).split("Outlets", 1)[1].split("? = unknown", 1)[0]
    header = table.splitlines()[1]
    assert header.rstrip().endswith("only here  conflicts")
    if width == 100:
        assert "state-controlled" in table  # not "state-contro" / "lled"
    rows = [line for line in table.splitlines() if line.rstrip()[-1:].isdigit()]
    assert len(rows) == 3 and all(len(line.split()[-3:]) == 3 for line in rows)


def test_terminal_is_safe_from_escapes_and_markup(
    make_story: Callable[[str], Comparison], hostile_story: Comparison,
) -> None:
    out = render_text(hostile_story)
    assert "\x1b" not in out
    assert max(len(line) for line in out.splitlines()) <= 100
    # Short enough to survive truncation: shown literally, not taken as rich markup.
    assert "Esterby Gazette[bold]x[/bold]" in render_text(make_story("[bold]x[/bold]"))


def test_colour_console_gets_no_escape_from_the_text(hostile_story: Comparison) -> None:
    buffer = io.StringIO()
    print_report(hostile_story, Console(file=buffer, width=100, force_terminal=True, color_system="standard"))
    out = buffer.getvalue()
    assert "\x1b[2J" not in out  # rich's own colour codes are fine; the article's clear-screen is not
    assert "\x1b[" in out


@pytest.mark.parametrize(("raw", "expected"), [
    ("plain", "plain"),
    ("a\x1b[31mred", "a[31mred"),
    ("tab\tand\nnewline", "tab and newline"),
    ("\u202eevil", "evil"),
    (None, ""),
])
def test_clean(raw: str | None, expected: str) -> None:
    assert clean(raw) == expected


# --- Markdown ---------------------------------------------------------------------------------


def test_markdown_has_every_section_with_spans(story: Comparison) -> None:
    out = render_markdown(story)
    for heading in ("# Dam breach floods Marren valley", "## Outlets", "## Conflicting facts", "## Facts × outlets",
                    "## Facts only one outlet states", "## Named differently", "## Voices", "## Quotes",
                    "## Framing", "## Settings"):
        assert f"\n{heading}\n" in f"\n{out}", heading
    assert "| c5 | · | · | ● |" in out
    assert "| c1 | ◆ | ◆ | ◆ |" in out
    assert "| c2? |" in out  # low confidence
    assert "(s3, chars 203–298)" in out
    assert "| f2 | hedge | Esterby Gazette | reportedly |" in out


def _cells(row: str) -> int:
    """Table cells in a Markdown row: pipes not escaped with a backslash."""
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def test_markdown_escapes_untrusted_text(hostile_story: Comparison) -> None:
    out = render_markdown(hostile_story)
    assert "<" not in out and ">" not in out.replace("&gt;", "")
    assert "](" not in out  # no link can be formed
    assert "\x1b" not in out
    for block in out.split("\n\n"):
        rows = [r for r in block.splitlines() if r.startswith("|")]
        if rows:
            assert len({_cells(r) for r in rows}) == 1, block


@pytest.mark.parametrize(("raw", "expected"), [
    ("a|b", r"a\|b"),
    ("[x](javascript:y)", r"\[x\](javascript:y)"),
    ("<b>&", "&lt;b&gt;&amp;"),
    ("*_`~", r"\*\_\`\~"),
])
def test_md_escape(raw: str, expected: str) -> None:
    assert md(raw) == expected
