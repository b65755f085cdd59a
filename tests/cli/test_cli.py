"""The command line: thin over the library, one-line errors, exit codes, documented commands."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from rashomon.cli import COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in COMMANDS:
        assert sub.choices[name].description, name  # type: ignore[index]
        assert re.search(rf"`rashomon {name}\b", readme), f"README does not document `rashomon {name}`"


def test_python_dash_m_is_the_same_entry_point() -> None:
    out = subprocess.run([sys.executable, "-m", "rashomon", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("rashomon ")


def _write_inputs(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("Dam bursts above Port Alver\n\nThe council said the dam failed on Tuesday.\n", encoding="utf-8")
    (d / "b.json").write_text(json.dumps({"title": "Flood", "text": "Water rose overnight.", "outlet": "Reuters"}), encoding="utf-8")
    (d / "empty.txt").write_bytes(b"")
    (d / "bad.jsonl").write_text('{"title": "ok", "text": "Fine text."}\n{"title": "cut', encoding="utf-8")
    return d


def test_ingest_reports_each_bad_input_on_one_line_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = _write_inputs(tmp_path)
    db = tmp_path / "r.db"
    code = main(["ingest", str(d), str(tmp_path / "missing.txt"), "--db", str(db), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.strip() == f"read 3, new 3, duplicate 0, skipped 3 -> {db}"
    *lines, details = err.strip().splitlines()
    assert details == "rashomon: annotated 3, failed 0; warnings: 0"
    assert len(lines) == 3 and all(line.startswith("rashomon: skipped ") for line in lines)
    assert any(f"{d / 'empty.txt'}: the file is empty" in line for line in lines)
    assert any(f"{d / 'bad.jsonl'}:2: truncated or invalid JSON" in line for line in lines)
    assert "Traceback" not in err

    assert main(["ingest", str(d / "a.txt"), str(d / "b.json"), "--db", str(db), "--quiet"]) == 0
    out, _ = capsys.readouterr()
    assert "new 0, duplicate 2, skipped 0" in out

    assert main(["articles", "--db", str(db), "--format", "json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 3
    by_path = {r["id"]: r for r in records}
    assert by_path[str(d / "b.json")]["outlet"]["name"] == "Reuters"
    assert by_path[str(d / "a.txt")]["title"] == "Dam bursts above Port Alver"


def test_usage_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text("Some words here.", encoding="utf-8")
    assert main(["read", str(tmp_path / "a.txt"), "--outlet", "no-equals-sign"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "expected PATH=NAME" in err

    bad = tmp_path / "bad.toml"
    bad.write_text("[nlp]\npipelin = 'x'\n", encoding="utf-8")
    assert main(["read", str(tmp_path / "a.txt"), "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "unknown setting nlp.pipelin" in err and err.count("\n") == 1

    notdb = tmp_path / "notdb.db"
    notdb.write_text("this is not sqlite" * 100, encoding="utf-8")
    assert main(["articles", "--db", str(notdb)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rashomon: error: ") and err.count("\n") == 1


def test_outlet_flag_names_an_unknown_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "a.txt"
    f.write_text("The council said the dam failed on Tuesday.\n", encoding="utf-8")
    assert main(["read", str(f), "--outlet", f"{f}=Alver Daily"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["outlet"] == {"name": "Alver Daily", "country": None, "ownership": None, "via": "user"}


def test_outlets_lists_the_registry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["outlets", "presstv", "--format", "json"]) == 0
    [record] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (record["name"], record["country"], record["ownership"]) == ("Press TV", "IR", "state-controlled")


def _two_reports(tmp_path: Path) -> list[str]:
    a = tmp_path / "a.txt"
    a.write_text(
        "Dam bursts above Port Alver\n\nThe dam above Port Alver failed on Tuesday, the council said.\n\n"
        "“We are doing everything we can,” Mayor Ana Berg told reporters.\n",
        encoding="utf-8",
    )
    b = tmp_path / "b.txt"
    b.write_text(
        "Flood hits Port Alver\n\nThe council said the Port Alver dam failed on Tuesday.\n\n"
        "Fourteen people died, police said.\n",
        encoding="utf-8",
    )
    return [str(a), str(b)]


def test_compare_json_and_stories(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = _two_reports(tmp_path)
    assert main(["compare", *paths, str(tmp_path / "missing.txt"), "--format", "json"]) == 1  # one input failed
    captured = capsys.readouterr()
    assert "missing.txt: no such file or directory" in captured.err
    record = json.loads(captured.out)
    assert [a["id"] for a in record["articles"]] == paths
    sentence_ids = {(a["id"], s["id"]) for a in record["articles"] for s in a["sentences"]}
    claimed = [(s["article"], s["sentence"]) for c in record["claims"] for s in c["sentences"]]
    assert sorted(claimed) == sorted(sentence_ids)  # every sentence in exactly one claim
    assert any(q["speaker"] == "Ana Berg" for q in record["quotes"])

    out = tmp_path / "report.html"
    assert main(["compare", *paths, "--format", "html", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")

    assert main(["stories", *paths]) == 0
    stories = json.loads(capsys.readouterr().out)["stories"]
    assert sorted(i for st in stories for i in st["articles"]) == sorted(paths)


def test_compare_needs_inputs_or_a_story(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare"]) == 2
    assert "give the articles to compare" in capsys.readouterr().err
    assert main(["compare", "--story", "st-x"]) == 2
    assert "--story needs --db" in capsys.readouterr().err
