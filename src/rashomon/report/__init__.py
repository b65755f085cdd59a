"""Stage 6, report: renderers over one ``Comparison``, all from the same data.

    from rashomon.report import render
    text = render(comparison, "html")      # or "json", "md", "text"

- ``json``: the record of ../shared/INTERFACE.md (``report.json.comparison_record``), byte-
  identical across runs, with the settings that produced it.
- ``text``: the 30-second terminal summary (``report.terminal``; ``print_report`` prints it
  in colour to a rich console).
- ``md``: the summary in full, every finding with its character span.
- ``html``: one self-contained page, the articles side by side with every finding highlighted
  and linked both ways, and a facts x outlets matrix (``report.html``; the web app reuses its
  views and templates).

Findings with confidence below 0.6 are marked as such in every format.
"""

from __future__ import annotations

from collections.abc import Callable

from rashomon.errors import ConfigError
from rashomon.model import Comparison

FORMATS = ("json", "md", "html", "text")


def _renderer(fmt: str) -> Callable[[Comparison], str]:
    # Imported on demand: the JSON path should not pay for Jinja2 or rich.
    if fmt == "json":
        from rashomon.report.json import render_json

        return render_json
    if fmt == "md":
        from rashomon.report.markdown import render_markdown

        return render_markdown
    if fmt == "html":
        from rashomon.report.html import render_html

        return render_html
    if fmt == "text":
        from rashomon.report.terminal import render_text

        return render_text
    raise ConfigError(f"unknown report format {fmt!r}: choose one of {', '.join(FORMATS)}")


def render(comparison: Comparison, fmt: str) -> str:
    """``comparison`` as a report in ``fmt``: one of "json", "md", "html", "text"."""
    return _renderer(fmt)(comparison)


__all__ = ["FORMATS", "render"]
