"""Report and export paths made from titles cannot leave the output directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rashomon.paths import UnsafePathError, safe_output_path, slugify


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("../../x", "x"),
        ("..", "untitled"),
        ("", "untitled"),
        ("/etc/passwd", "etc-passwd"),
        ("..\\..\\Windows\\win.ini", "Windows-win.ini"),
        ("C:\\evil", "C-evil"),
        (".bashrc", "bashrc"),
        ("a/../../b", "a-b"),
        ("..／..／etc", "etc"),  # fullwidth solidus, folded by NFKC
        ("x\x00y\n\tz", "xyz"),
        ("CON", "_CON"),
        ("nul.txt", "_nul.txt"),
        ("Kremlin: 'No talks' / Reuters", "Kremlin-No-talks-Reuters"),
        ("Переговоры в Стамбуле", "Переговоры-в-Стамбуле"),
        ("\ud800lone surrogate", "lone-surrogate"),
    ],
)
def test_titles_become_harmless_names(title: str, expected: str) -> None:
    assert slugify(title) == expected


def test_long_titles_are_cut_to_a_byte_budget() -> None:
    name = slugify("ж" * 1000)
    assert len(name.encode("utf-8")) <= 120 and name == "ж" * 60


@pytest.mark.parametrize("title", ["../../x", "/abs/path", "..", "a/../../../b", "~/.ssh/id_rsa"])
def test_output_paths_stay_inside(tmp_path: Path, title: str) -> None:
    path = safe_output_path(tmp_path, title, suffix=".html")
    assert path.parent == tmp_path and path.suffix == ".html"
    assert path.resolve().is_relative_to(tmp_path.resolve())


def test_a_symlink_inside_the_directory_pointing_out_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = tmp_path / "elsewhere.html"
    os.symlink(target, out / "story.html")
    with pytest.raises(UnsafePathError, match="outside"):
        safe_output_path(out, "story", suffix=".html")


@pytest.mark.parametrize("suffix", ["/../x", ".html/..", "..", ".h tml"])
def test_odd_suffixes_are_refused(tmp_path: Path, suffix: str) -> None:
    with pytest.raises(UnsafePathError):
        safe_output_path(tmp_path, "story", suffix=suffix)


@given(st.text(max_size=300))
def test_any_title_gives_one_file_name_inside(title: str) -> None:
    name = slugify(title)
    assert name and "/" not in name and "\\" not in name and "\x00" not in name
    assert not name.startswith(".") and ".." not in name
    assert len(name.encode("utf-8")) <= 120
    assert slugify(name) == name  # idempotent
    out = Path("/srv/reports")
    assert (out / name).parent == out
