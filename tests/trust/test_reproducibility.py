"""Reproducibility: the same inputs and settings give byte-identical JSON, in one process
and across processes (other hash seeds), and the JSON records what made it (Rashomon's
version, the settings, the models' names, versions and file hashes) and nothing of the
machine or the moment it was made on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from trust_helpers import EXAMPLES, ROOT, StoryOf, read_examples

from rashomon import __version__
from rashomon.compare import compare, pipeline_fingerprint
from rashomon.report.json import comparison_record, render_json

MODEL_KEYS = (
    "rashomon", "embedding_model", "embedding_model_version", "embedding_model_sha256", "tokenizer_sha256",
    "spacy.version", "spacy.pipeline", "spacy.pipeline_version", "spacy.pipeline_sha256",
    "align.threshold", "dedup.min_jaccard", "config.nlp.pipeline", "config.ingest.min_recurring",
    "report.low_confidence",
)


def test_the_result_records_versions_settings_and_model_hashes(story_of: StoryOf) -> None:
    settings = comparison_record(story_of("examples").comparison)["settings"]
    assert set(MODEL_KEYS) <= set(settings), set(MODEL_KEYS) - set(settings)
    assert settings["rashomon"] == __version__
    for key in ("embedding_model_sha256", "tokenizer_sha256", "spacy.pipeline_sha256"):
        assert re.fullmatch(r"[0-9a-f]{64}", settings[key]), key
    assert list(settings) == sorted(settings)


def test_the_pipeline_hash_covers_its_files(story_of: StoryOf, tmp_path: Path) -> None:
    from rashomon.compare import _folder_sha256

    nlp = story_of("examples").nlp
    first = pipeline_fingerprint(nlp)["spacy.pipeline_sha256"]
    assert first == pipeline_fingerprint(nlp)["spacy.pipeline_sha256"]
    (tmp_path / "meta.json").write_text("{}", encoding="utf-8")
    (tmp_path / "model").write_bytes(b"\x00weights")
    one = _folder_sha256(str(tmp_path))
    (tmp_path / "model").write_bytes(b"\x01weights")
    _folder_sha256.cache_clear()
    assert _folder_sha256(str(tmp_path)) != one
    _folder_sha256.cache_clear()


def test_no_machine_path_or_time_leaks_into_the_json(story_of: StoryOf) -> None:
    text = render_json(story_of("examples").comparison)
    for leak in (str(ROOT), os.path.expanduser("~"), sys.prefix, "site-packages"):
        assert leak not in text, leak
    # no ISO timestamps: dates in the record are publication dates of the articles
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", text)


def test_two_runs_give_identical_bytes(story_of: StoryOf) -> None:
    story = story_of("ferry")
    again = compare(story.articles, nlp=story.nlp)  # annotated and embedded afresh
    assert render_json(again) == render_json(story.comparison)


def test_the_cli_gives_identical_bytes_in_two_processes() -> None:
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-m", "rashomon", "compare", EXAMPLES, "--outlets", os.path.join(EXAMPLES, "outlets.csv"),
             "--format", "json"],
            capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed}, check=False,
        )
        assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    # and the library, in this process, writes the same bytes as the command
    assert outputs[0].decode("utf-8") == render_json(compare(read_examples()))


def test_the_trust_evaluation_skips_without_shared_data(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "eval" / "trust.py"), str(tmp_path / "absent"), "--check"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "skipping" in done.stdout
