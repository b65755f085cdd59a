"""``rashomon export``: one report per story, named after the story, never outside --out-dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rashomon.cli import main
from rashomon.errors import ConfigError
from rashomon.export import export_reports
from rashomon.model import Article, Comparison, Paragraph, Story

HOSTILE_TITLES = [
    "../../escaped",
    "/etc/cron.d/evil",
    "..\\..\\windows",
    "CON",
    "",
    ".hidden",
    "<script>alert(1)</script>",
    "x" * 5000,
]


def _article(n: int, text: str) -> Article:
    return Article(id=f"a{n}.txt", path=f"a{n}.txt", text=text, paragraphs=(Paragraph(0, len(text)),))


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    from rashomon.compare import compare

    return compare(
        [
            _article(1, "The council said the dam failed on Tuesday."),
            _article(2, "The dam failed on Tuesday, the council said."),
        ]
    )


def _story(n: int, title: str | None) -> Story:
    return Story(id=f"s{n}", title=title, articles=("a1.txt", "a2.txt"), independent_sources=2)


def test_hostile_titles_stay_inside_the_output_directory(tmp_path: Path, comparison: Comparison) -> None:
    out = tmp_path / "out"
    stories = [_story(n, t) for n, t in enumerate(HOSTILE_TITLES)]
    written = export_reports(stories, lambda _st: comparison, out, "json")
    assert len(written) == len(stories)
    files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    # Every file is directly inside out/: one per story plus the index, no partial files.
    assert all(p.parent == out for p in files)
    assert len(files) == len(stories) + 1
    assert len({e.path for e in written}) == len(stories)
    assert not any(p.name.startswith(".") for p in files)
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [r["story"] for r in index["stories"]] == [st.id for st in stories]
    assert all((out / r["file"]).exists() for r in index["stories"])
    assert json.loads(written[0].path.read_text(encoding="utf-8"))["claims"]


def test_titles_that_slug_alike_do_not_overwrite(tmp_path: Path, comparison: Comparison) -> None:
    stories = [_story(1, "Dam fails"), _story(2, "Dam: fails!"), _story(3, "Dam fails"), _story(4, "index")]
    written = export_reports(stories, lambda _st: comparison, tmp_path, "md")
    names = [e.path.name for e in written]
    assert names == ["Dam-fails.md", "Dam-fails-2.md", "Dam-fails-3.md", "index-2.md"]


def test_index_escapes_titles(tmp_path: Path, comparison: Comparison) -> None:
    export_reports([_story(1, '<img src=x onerror="alert(1)">')], lambda _st: comparison, tmp_path, "html")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<img" not in index and "&lt;img" in index


def test_unknown_format_is_a_config_error(tmp_path: Path, comparison: Comparison) -> None:
    with pytest.raises(ConfigError, match="--format pdf"):
        export_reports([], lambda _st: comparison, tmp_path, "pdf")


def test_cli_exports_the_stored_stories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for n, outlet in enumerate(("Reuters", "Press TV")):
        body = "Dam bursts above Port Alver\n\nThe council said the dam failed on Tuesday, flooding 40 homes."
        (src / f"{n}.json").write_text(
            json.dumps({"title": "../../Dam bursts above Port Alver", "text": body, "outlet": outlet}), encoding="utf-8"
        )
    db = tmp_path / "r.db"
    assert main(["ingest", str(src), "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    out = tmp_path / "reports"
    assert main(["export", "--db", str(db), "--out-dir", str(out)]) == 0
    assert capsys.readouterr().out.strip() == f"exported 1 story -> {out}"
    assert sorted(p.name for p in out.iterdir()) == ["Dam-bursts-above-Port-Alver.html", "index.html"]
    assert main(["export", "--db", str(db), "--out-dir", str(out), "--story", "nope"]) == 2
    assert "--story nope: no such story" in capsys.readouterr().err
