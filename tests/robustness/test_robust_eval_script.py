"""eval/robustness.py on small corpora written here: counts, --check, skipping, detectors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "eval" / "robustness.py"

GOOD = b'<rss version="2.0"><channel><item><title>Dam</title><description>The dam failed.</description></item></channel></rss>'
BROKEN = b"<rss><channel><item><title>cut off"


def _corpus(root: Path) -> Path:
    feeds = root / "robustness" / "feedparser" / "wellformed"
    feeds.mkdir(parents=True)
    (feeds / "good.xml").write_bytes(GOOD)
    (feeds / "broken.xml").write_bytes(BROKEN)
    (feeds / "empty.xml").write_bytes(b"")
    return root


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=300)


def test_skips_with_exit_0_when_the_folder_is_missing(tmp_path: Path) -> None:
    done = _run(str(tmp_path / "nowhere"), "--check")
    assert done.returncode == 0 and "skipped" in done.stdout


def test_counts_files_entries_and_reasons(tmp_path: Path) -> None:
    done = _run(str(_corpus(tmp_path)), "--check", "--corpus", "feedparser")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "feedparser: 3 files" in done.stdout
    assert "1 with entries (1 entries" in done.stdout and "2 refused with a reason" in done.stdout
    assert "0 uncaught exceptions, 0 hangs" in done.stdout


def test_a_file_over_the_time_limit_counts_as_a_hang_and_fails_the_check(tmp_path: Path) -> None:
    done = _run(str(_corpus(tmp_path)), "--check", "--corpus", "feedparser", "--timeout", "0.001")
    assert done.returncode == 1
    assert "3 hangs" in done.stdout and "FAILED" in done.stdout


def test_the_audit_hook_flags_a_file_read_outside_the_input(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("secret")
    code = (
        f"import sys; sys.path.insert(0, {str(SCRIPT.parent)!r}); import robustness as r\n"
        "r._install_audit_hook(); r._seen.clear()\n"
        f"open({str(outside)!r}).read()\n"
        f"print([s for s in r._seen if r._outside(s, '/input.xml')])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert str(outside) in done.stdout, done.stderr
