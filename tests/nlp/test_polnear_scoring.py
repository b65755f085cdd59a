"""eval/polnear.py's scoring and its annotator-agreement line, on brat files written here."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "eval" / "polnear.py"

TEXT = "Peskov said the talks failed. Lavrov told reporters that sanctions would stay.\n"


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("polnear_eval", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["polnear_eval"] = module
    spec.loader.exec_module(module)
    return module


def _ann(source: tuple[int, int], rest: str = "") -> str:
    """Two attributions: Peskov's (source as given) and Lavrov's (same in both files)."""
    lines = [
        f"T1\tSource {source[0]} {source[1]}\t{TEXT[source[0] : source[1]]}",
        "T2\tCue 7 11\tsaid",
        "T3\tContent 12 28\tthe talks failed",
        "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3",
        "T4\tSource 30 36\tLavrov",
        "T5\tCue 37 41\ttold",
        "T6\tContent 56 77\tsanctions would stay",
        "E2\tAttribution:T5 Source:T4 Cue:T5 Content:T6",
    ]
    return "\n".join(lines) + "\n" + rest


def _folder(root: Path) -> Path:
    for sub in ("text", "attributions"):
        (root / "train" / sub).mkdir(parents=True)
    (root / "train" / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    (root / "train" / "text" / "b.txt").write_text(TEXT, encoding="utf-8")
    # Article a: two annotators who disagree on Peskov's source span ("Peskov"
    # against "Peskov said" is a different span). Article b: one annotator only.
    (root / "train" / "attributions" / "a_01.ann").write_text(_ann((0, 6)), encoding="utf-8")
    (root / "train" / "attributions" / "a_02.ann").write_text(_ann((0, 4)), encoding="utf-8")
    (root / "train" / "attributions" / "b_01.ann").write_text(_ann((0, 6)), encoding="utf-8")
    return root


def test_reads_the_first_annotator_file_of_each_article(tmp_path: Path) -> None:
    polnear = _module()
    articles = polnear.read_split(_folder(tmp_path), "train")
    assert [a.name for a in articles] == ["a", "b"]
    assert [TEXT[s:e] for a in articles[0].attrs for s, e in a.source] == ["Peskov", "Lavrov"]


def test_agreement_scores_the_second_annotator_against_the_first(tmp_path: Path) -> None:
    polnear = _module()
    n, counts = polnear.agreement(_folder(tmp_path), "train")
    assert n == 1  # article b has one file: it is not counted
    f = polnear.figures(counts)
    # One of two sources differs: exact P = R = 0.5; the cues and contents agree.
    assert f["source_exact_f1"] == 0.5
    assert f["cue_exact_f1"] == 1.0 and f["content_overlap_f1"] == 1.0
    # Overlap is counted in whole tokens (\w+ runs): "Pesk" touches the token
    # "Peskov", so both sides hold the same token.
    assert f["source_overlap_f1"] == 1.0


def test_the_agreement_line_is_printed_per_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    polnear = _module()
    polnear.print_agreement(_folder(tmp_path))
    out = capsys.readouterr().out
    assert "annotators agree (train, 1 articles with two files, F1): source exact 0.500" in out
