"""``rashomon serve``: its options, its refusals, and a real server in a subprocess."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from web_fixtures import STRIKE, fill_store

from rashomon.cli import COMMANDS, build_parser, main
from rashomon.store import open_store


def test_serve_is_a_command_with_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert "serve" in COMMANDS
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--help"])
    out = capsys.readouterr().out
    for option in ("--db", "--host", "--port", "--warm", "--allow-host", "--config"):
        assert option in out
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.warm) == ("127.0.0.1", 8000, False)


def test_serve_refuses_a_missing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.db"
    assert main(["serve", "--db", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rashomon: error: ") and "no such store" in err and "rashomon ingest" in err
    assert not missing.exists()


@pytest.mark.parametrize("port", ["0", "70000"])
def test_serve_refuses_a_bad_port(tmp_path: Path, port: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = fill_store(tmp_path / "s.db", STRIKE)
    assert main(["serve", "--db", db, "--port", port]) == 2
    assert "--port" in capsys.readouterr().err


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """``rashomon serve --warm`` over a one-story store; (base URL, store path)."""
    db = fill_store(tmp_path / "served.db", STRIKE)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "rashomon", "serve", "--db", db, "--port", str(port), "--warm"],
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/api/outlets", timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"rashomon serve did not start: {log.read_text(errors='replace')}")
                time.sleep(0.2)
        yield base, db
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def test_serve_answers_over_http_warms_the_cache_and_checks_the_host(served: tuple[str, str]) -> None:
    base, db = served
    with urllib.request.urlopen(base + "/api/stories", timeout=10) as r:
        assert r.status == 200 and b"Velmark rail workers strike over pay" in r.read()
        assert r.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert r.headers.get("Server") is None  # nothing to fingerprint
    rebound = urllib.request.Request(base + "/api/stories", headers={"Host": "attacker.example"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(rebound, timeout=10)
    assert refused.value.code == 400
    # --warm compares the one story in the background
    deadline = time.monotonic() + 120
    while True:
        with open_store(db, read_only=True) as store:
            if store.get_derived("comparison-digest", _only_key(store)) is not None:
                break
        assert time.monotonic() < deadline, "the cache was not warmed"
        time.sleep(0.5)


def _only_key(store: object) -> str:
    from rashomon.web.data import Site, comparison_key
    from rashomon.web.views import render_comparison

    site = Site(":memory:", render=render_comparison)
    index = site._cluster(store, "k")  # type: ignore[arg-type]
    return comparison_key(index.stories[0], site.settings)
