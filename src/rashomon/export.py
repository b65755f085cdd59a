"""Export: one report file per story, named after the story, all inside one directory.

``rashomon export --db FILE --out-dir DIR`` writes ``DIR/<story title>.<ext>`` for every
story in the store and an index (``index.html`` or ``index.json``) linking them. File
names come from story titles, which come from the web: every name goes through
:func:`rashomon.paths.safe_output_path`, so a title like ``../../.bashrc`` or ``CON``
gives a harmless file inside ``DIR``, never a path outside it. Two stories whose titles
slug alike get ``-2``, ``-3``, ... in story order, and the story id is written in the
index, so nothing is overwritten and every file can be traced to its story.

Files are written whole to a temporary name and renamed into place, so an interrupted
export never leaves a half-written report under a final name.
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rashomon.errors import ConfigError
from rashomon.model import Comparison, Story
from rashomon.paths import safe_output_path

__all__ = ["Exported", "export_reports"]

SUFFIX = {"html": ".html", "json": ".json", "md": ".md", "text": ".txt"}


@dataclass(frozen=True, slots=True)
class Exported:
    """One written report: the story it shows and the file it went to."""

    story: Story
    path: Path


def export_reports(
    stories: Iterable[Story],
    comparison_of: Callable[[Story], Comparison],
    out_dir: str | os.PathLike[str],
    fmt: str = "html",
) -> list[Exported]:
    """Write one ``fmt`` report per story into ``out_dir`` (created if missing), and an index.

    comparison_of: computes (or fetches) the comparison of one story.
    Raises ConfigError for an unknown format or an output directory that cannot be made.
    """
    from rashomon.report import render

    if fmt not in SUFFIX:
        raise ConfigError(f"--format {fmt}: exports are one of {', '.join(sorted(SUFFIX))}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"--out-dir {out}: cannot create it ({exc.strerror or exc})") from None
    written: list[Exported] = []
    taken: set[str] = {"index"}
    for story in stories:
        name = _free_name(story.title or story.id, taken)
        path = safe_output_path(out, name, suffix=SUFFIX[fmt])
        taken.add(path.name[: -len(SUFFIX[fmt])])
        _write_atomic(path, render(comparison_of(story), fmt))
        written.append(Exported(story, path))
    _write_index(out, written, fmt)
    return written


def _free_name(title: str, taken: set[str]) -> str:
    """``title``'s slug, or the first of ``slug-2``, ``slug-3``, ... not yet used."""
    from rashomon.paths import slugify

    base = slugify(title)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.partial")
    try:
        tmp.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8", errors="surrogateescape")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ConfigError(f"{path}: cannot write the report ({exc.strerror or exc})") from None


def _write_index(out: Path, written: list[Exported], fmt: str) -> None:
    """index.json for JSON exports, index.html otherwise: every story, its file, its sources."""
    rows: list[dict[str, Any]] = [
        {
            "story": e.story.id,
            "title": e.story.title,
            "first": e.story.first,
            "articles": len(e.story.articles),
            "independent_sources": e.story.independent_sources,
            "outlets": list(e.story.outlets),
            "file": e.path.name,
        }
        for e in written
    ]
    if fmt == "json":
        _write_atomic(out / "index.json", json.dumps({"stories": rows}, ensure_ascii=False, indent=1))
        return
    items = "\n".join(
        f'<li><a href="{html.escape(r["file"], quote=True)}">{html.escape(r["title"] or r["story"])}</a> '
        f"<small>{html.escape(r['first'] or '')} · {r['articles']} articles, "
        f"{r['independent_sources']} independent sources · {html.escape(', '.join(r['outlets']))} · "
        f"story {html.escape(r['story'])}</small></li>"
        for r in rows
    )
    page = (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
        f"<title>Rashomon: {len(rows)} stories</title></head>\n<body><h1>{len(rows)} stories</h1>\n"
        f"<ul>\n{items}\n</ul></body></html>"
    )
    _write_atomic(out / "index.html", page)
