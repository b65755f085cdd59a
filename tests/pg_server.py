"""A real PostgreSQL server for the tests: the one named in $RASHOMON_TEST_POSTGRES, or a
throwaway cluster made with Debian's binaries in a temporary directory.

Why a real server rather than a fake: the PostgreSQL backend's risks are PostgreSQL's own
behaviour (text that cannot hold NUL, transactions aborted by an error, tsquery parsing,
statement timeouts), which only the server itself reproduces.

The throwaway cluster
    ``initdb`` refuses to run as root, so when the tests run as root (CI, the dev
    machines) the cluster belongs to the ``postgres`` system user that Debian's package
    creates, or to a ``rashomon-pg`` user made with ``useradd`` when there is none. It
    listens on 127.0.0.1 on a free port and on a Unix socket in its own directory, trusts
    local connections (nothing but this machine can reach it), and runs with fsync off:
    a crash loses only a test database. It is stopped and deleted when the session ends.

Fresh stores
    Each test gets a store of its own as a schema of its own (``CREATE SCHEMA`` is
    milliseconds; ``CREATE DATABASE`` is far slower, and the property tests open hundreds
    of stores): :meth:`Server.fresh_url` returns the server's URL with
    ``options=-csearch_path=<schema>``, so every table the store creates lands there.
    Schemas made on an outside server are dropped when the session ends.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path

ENV_URL = "RASHOMON_TEST_POSTGRES"
ENV_REQUIRE = "RASHOMON_REQUIRE_POSTGRES"
_BINARIES = ("initdb", "pg_ctl", "postgres")


_current: Server | None = None


def current() -> Server:
    """The server of the running session (the ``postgres_server`` fixture starts it)."""
    if _current is None:
        raise RuntimeError("no PostgreSQL server started: request the postgres_server fixture")
    return _current


class Unavailable(Exception):
    """No PostgreSQL server can be had; the message says why."""


class Server:
    """A reachable PostgreSQL server that hands out fresh, empty schemas."""

    def __init__(self, url: str, *, drop_schemas: bool) -> None:
        self.url = url
        self._drop_schemas = drop_schemas
        self._schemas: list[str] = []

    def fresh_url(self) -> str:
        """A URL whose search_path is a new, empty schema: a store of its own."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:16]
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')
        self._schemas.append(name)
        return with_options(self.url, f"-csearch_path={name}")

    def close(self) -> None:
        if not (self._drop_schemas and self._schemas):
            return
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            for name in self._schemas:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        self._schemas.clear()


def with_options(url: str, options: str) -> str:
    """``url`` with libpq's ``options`` parameter set (replacing one already there)."""
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "options"]
    query.append(("options", options))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


@contextlib.contextmanager
def server() -> Iterator[Server]:
    """The server to test against; raises :class:`Unavailable` when there is none."""
    global _current
    with _server() as s:
        _current = s
        try:
            yield s
        finally:
            _current = None


@contextlib.contextmanager
def _server() -> Iterator[Server]:
    try:
        import psycopg  # noqa: F401
    except ImportError as e:
        raise Unavailable("psycopg is not installed: pip install 'rashomon[postgres]'") from e
    url = os.environ.get(ENV_URL)
    if url:
        s = Server(url, drop_schemas=True)
        try:
            yield s
        finally:
            s.close()
        return
    with _throwaway_cluster() as url:
        yield Server(url, drop_schemas=False)


def find_binaries() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres: Debian's newest, else PATH's."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda d: [int(p) if p.isdigit() else 0 for p in Path(d).parent.name.split(".")],
        reverse=True,
    )
    for d in candidates:
        if all(os.access(Path(d) / b, os.X_OK) for b in _BINARIES):
            return Path(d)
    found = [shutil.which(b) for b in _BINARIES]
    if all(found):
        # Debian links these into PATH at most; pg_ctl finds postgres beside its real path.
        return Path(os.path.realpath(found[1] or "")).parent
    return None


def _server_user() -> tuple[str | None, int, int]:
    """Who runs the cluster: (user name or None for ourselves, uid, gid)."""
    if os.geteuid() != 0:
        return None, os.getuid(), os.getgid()
    for name in ("postgres", "rashomon-pg"):
        with contextlib.suppress(KeyError):
            pw = pwd.getpwnam(name)
            return name, pw.pw_uid, pw.pw_gid
    try:
        subprocess.run(
            [
                "useradd",
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                "rashomon-pg",
            ],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError) as e:
        raise Unavailable(f"running as root and cannot create a user for PostgreSQL: {e}") from e
    pw = pwd.getpwnam("rashomon-pg")
    return "rashomon-pg", pw.pw_uid, pw.pw_gid


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def _throwaway_cluster() -> Iterator[str]:
    bindir = find_binaries()
    if bindir is None:
        raise Unavailable(
            "no PostgreSQL server: set RASHOMON_TEST_POSTGRES to a URL, or install "
            "Debian's postgresql package (initdb, pg_ctl and postgres not found)"
        )
    user, uid, gid = _server_user()
    # /tmp rather than $TMPDIR: the server's user must be able to reach the directory,
    # and a Unix socket's path must stay under ~100 bytes.
    base = "/tmp" if os.access("/tmp", os.W_OK) else None
    root = Path(tempfile.mkdtemp(prefix="rashomon-pg-", dir=base))
    data, log = root / "data", root / "server.log"
    try:
        os.chown(root, uid, gid)
        os.chmod(root, 0o700)

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            # cwd: the server's own directory, which its user can always enter.
            # As the server's user, without root's group and supplementary groups.
            return subprocess.run(
                [str(bindir / args[0]), *args[1:]],
                user=None if user is None else uid,
                group=None if user is None else gid,
                extra_groups=None if user is None else [],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=120,
                env={**os.environ, "LC_ALL": "C.UTF-8", "PGTZ": "UTC"},
            )

        done = run(
            "initdb", "-D", str(data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        if done.returncode != 0:
            raise Unavailable(f"initdb failed: {(done.stderr or done.stdout).strip()[-500:]}")
        port = started = 0
        for _ in range(5):  # another process may take the free port before the server does
            port = _free_port()
            opts = (
                f"-c listen_addresses=127.0.0.1 -c port={port} "
                f"-c unix_socket_directories={root} -c fsync=off "
                "-c full_page_writes=off -c synchronous_commit=off"
            )
            done = run(
                "pg_ctl", "start", "-w", "-t", "60", "-D", str(data), "-l", str(log), "-o", opts
            )
            if done.returncode == 0:
                started = port
                break
            time.sleep(0.2)
        if not started:
            tail = log.read_text(errors="replace")[-800:] if log.exists() else done.stderr
            raise Unavailable(f"PostgreSQL did not start: {tail.strip()}")
        try:
            yield f"postgresql://postgres@127.0.0.1:{started}/postgres"
        finally:
            run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", str(data))
    finally:
        shutil.rmtree(root, ignore_errors=True)
