"""Run per-document work in worker processes that can be killed.

Extraction (trafilatura, lxml) and annotation (spaCy) are C code fed with hostile input:
a page can make them loop for minutes, allocate gigabytes or crash outright. A thread
cannot be stopped and an exception cannot be raised inside C code, so the only reliable
limit is a process that the parent kills. A :class:`Sandbox` keeps a few such workers:

- each worker caps its own address space (``RLIMIT_AS``) when it starts, so an allocation
  beyond the cap fails inside the worker (MemoryError, or the process dies) and never
  takes the machine down;
- the parent waits for each result at most ``seconds``; a worker that overruns is killed
  (SIGKILL) and the document is reported as failed, with the reason;
- workers are reused across documents (starting a Python process with spaCy loaded costs
  seconds; a document costs milliseconds), and a worker that dies or is killed is
  replaced on the next call, so the batch goes on;
- workers start with 'forkserver' (or 'spawn' where that is missing), never 'fork': a
  forked copy of a multi-threaded parent (onnxruntime, tokenizers) can deadlock.

Functions and arguments travel by pickle, so a function must be importable at module
level, and its arguments and result picklable.

    >>> with Sandbox(seconds=5, memory_mb=1024) as box:       # doctest: +SKIP
    ...     outcome = box.call(extract, html_bytes)
    ...     if isinstance(outcome, Failed): print(outcome.reason)
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import time
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from rashomon.errors import InputError, RashomonError

__all__ = ["Failed", "Ok", "Outcome", "Sandbox", "SandboxError"]

R = TypeVar("R")


class SandboxError(RashomonError):
    """A worker could not be started (its initializer failed or took too long)."""


@dataclass(frozen=True, slots=True)
class Ok(Generic[R]):
    """The function returned ``value``."""

    value: R


@dataclass(frozen=True, slots=True)
class Failed:
    """The function did not return.

    kind: "timeout" (killed after the time limit), "memory" (went over the memory limit),
        "crash" (the worker died: a segfault, an abort, the OOM killer) or "error" (the
        function raised).
    reason: one line saying what happened, fit for a batch log.
    error_type: the exception's class name when kind is "error" or "memory", else None.
    """

    kind: str
    reason: str
    error_type: str | None = None


Outcome = Ok[Any] | Failed


# --- the worker side --------------------------------------------------------------------


def _limit_memory(memory_bytes: int | None) -> None:
    """Cap this process's address space. Virtual, not resident, memory is what
    RLIMIT_AS counts (thread stacks and mapped libraries too), so the cap must leave
    room for the interpreter and its libraries: hundreds of MB, not tens."""
    if memory_bytes is None:
        return
    import resource

    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _worker_main(conn: Connection, memory_bytes: int | None, initializer: Callable[[], object] | None) -> None:
    """Loop of one worker: receive (function, args), send back the outcome."""
    # The parent handles Ctrl-C and kills workers itself; a worker interrupted mid-document
    # would only print a second traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _limit_memory(memory_bytes)
        if initializer is not None:
            initializer()
    except BaseException as exc:
        conn.send(("init-error", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if message is None:
            return
        func, args = message
        try:
            reply: tuple[Any, ...] = ("ok", func(*args))
        except MemoryError:
            reply = ("memory", "MemoryError")
        except InputError as exc:
            reply = ("error", type(exc).__name__, exc.reason)
        except BaseException as exc:
            reply = ("error", type(exc).__name__, _one_line(str(exc)))
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", "MemoryError"))
        except Exception as exc:  # an unpicklable result
            conn.send(("error", type(exc).__name__, f"the result could not be sent back: {_one_line(str(exc))}"))
        if reply[0] == "memory":
            return  # a process that ran out of memory may be half-broken: start afresh


def _one_line(text: str, limit: int = 300) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# --- the parent side --------------------------------------------------------------------


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, ctx: Any, memory_bytes: int | None, initializer: Callable[[], object] | None, startup_seconds: float) -> None:
        parent_end, child_end = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(
            target=_worker_main, args=(child_end, memory_bytes, initializer), name="rashomon-sandbox", daemon=True
        )
        self.proc.start()
        child_end.close()  # so that the parent sees EOF when the worker dies
        self.conn: Connection = parent_end
        self.deadline = 0.0
        self.task = -1
        if not self.conn.poll(startup_seconds):
            self.kill()
            raise SandboxError(f"a sandbox worker did not start within {startup_seconds:g} s")
        try:
            status, detail = self.conn.recv()
        except (EOFError, OSError):
            self.kill()
            raise SandboxError(f"a sandbox worker died while starting ({_exit_reason(self.proc)})") from None
        if status != "ready":
            self.kill()
            raise SandboxError(f"a sandbox worker could not start: {detail}")
        self.pid: int = detail

    def send(self, func: Callable[..., Any], args: tuple[Any, ...], task: int, seconds: float) -> None:
        self.conn.send((func, args))
        self.deadline = time.monotonic() + seconds
        self.task = task

    def receive(self) -> tuple[Outcome, bool]:
        """The outcome of the task sent, and whether this worker may be reused."""
        try:
            reply = self.conn.recv()
        except (EOFError, OSError):
            self.proc.join(1.0)
            reason = _exit_reason(self.proc)
            # The kernel's OOM killer sends SIGKILL; C++ code that cannot allocate aborts.
            hint = " (out of memory?)" if reason.endswith(("SIGKILL", "SIGABRT")) else ""
            return Failed("crash", f"the worker died: {reason}{hint}"), False
        if reply[0] == "ok":
            return Ok(reply[1]), True
        if reply[0] == "memory":
            return Failed("memory", "went over the memory limit", reply[1]), False
        return Failed("error", f"{reply[1]}: {reply[2]}" if reply[2] else reply[1], reply[1]), True

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5.0)
        self.conn.close()

    def stop(self) -> None:
        """Ask the worker to exit; kill it if it does not."""
        with contextlib.suppress(OSError, ValueError):
            self.conn.send(None)
        self.proc.join(1.0)
        self.kill()


def _exit_reason(proc: Any) -> str:
    code = proc.exitcode
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exited with status {code}"


def _default_start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


class Sandbox:
    """A small pool of killable worker processes with per-call time and memory limits.

    workers: how many processes run calls at once (``map``); ``call`` uses one.
    seconds: the longest a single call may take before its worker is killed.
    memory_mb: the address-space cap of each worker in MiB, or None for none.
    initializer: run once in each new worker (load a model there, not per document).
    start_method: "forkserver" (default where available) or "spawn".
    startup_seconds: how long a new worker (initializer included) may take to start.
    """

    def __init__(
        self,
        *,
        workers: int = 1,
        seconds: float = 60.0,
        memory_mb: int | None = 2048,
        initializer: Callable[[], object] | None = None,
        start_method: str | None = None,
        startup_seconds: float = 120.0,
    ) -> None:
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if start_method == "fork":
            raise ValueError("'fork' is refused: a forked multi-threaded parent can deadlock; use 'forkserver' or 'spawn'")
        self.seconds = seconds
        self.memory_bytes = None if memory_mb is None else int(memory_mb) * 1024 * 1024
        self.initializer = initializer
        self.startup_seconds = startup_seconds
        self._ctx = multiprocessing.get_context(start_method or _default_start_method())
        self._size = workers
        self._idle: list[_Worker] = []
        self._all: list[_Worker] = []
        self.started = 0  # workers started so far: replacements show up here
        # Workers are daemons, but a pool dropped without close() should not leave them
        # running until the interpreter exits.
        self._finalizer = weakref.finalize(self, Sandbox._kill_all, self._all)

    # -- public API --

    def call(self, func: Callable[..., R], *args: Any) -> Ok[R] | Failed:
        """Run ``func(*args)`` in a worker; its result, or why there is none."""
        return next(self.map(func, [args]))

    def map(self, func: Callable[..., R], arg_tuples: Iterable[tuple[Any, ...]]) -> Iterator[Ok[R] | Failed]:
        """``func(*args)`` for each tuple, run on up to ``workers`` processes at once,
        outcomes yielded in input order. A failure costs its own item, never the batch."""
        pending = iter(arg_tuples)
        done: dict[int, Outcome] = {}
        busy: dict[Connection, _Worker] = {}
        next_task = 0  # index of the next item to send
        next_out = 0  # index of the next outcome to yield
        exhausted = False
        lookahead = 4 * self._size  # bounds the outcomes held back for ordering
        try:
            while True:
                while not exhausted and len(busy) < self._size and next_task - next_out < lookahead:
                    try:
                        args = next(pending)
                    except StopIteration:
                        exhausted = True
                        break
                    worker = self._dispatch(func, tuple(args), next_task)
                    busy[worker.conn] = worker
                    next_task += 1
                while next_out in done:
                    yield done.pop(next_out)
                    next_out += 1
                if not busy:
                    if exhausted:
                        return
                    continue
                now = time.monotonic()
                wait_for = max(0.0, min(w.deadline for w in busy.values()) - now)
                ready = multiprocessing.connection.wait(list(busy), timeout=wait_for)
                for conn in ready:
                    worker = busy.pop(conn)  # type: ignore[call-overload]
                    outcome, reusable = worker.receive()
                    done[worker.task] = outcome
                    self._release(worker, reusable)
                now = time.monotonic()
                for conn, worker in list(busy.items()):
                    if worker.deadline <= now:
                        del busy[conn]
                        done[worker.task] = Failed("timeout", f"took longer than {self.seconds:g} s; stopped")
                        self._release(worker, False)
        finally:
            # An abandoned iteration (an exception, a break) leaves calls in flight:
            # their workers cannot be reused, since their answers would arrive later.
            for worker in busy.values():
                self._release(worker, False)

    def close(self) -> None:
        """Stop every worker."""
        for worker in list(self._all):
            worker.stop()
        self._all.clear()
        self._idle.clear()

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers (for tests and diagnostics)."""
        return [w.pid for w in self._all]

    # -- workers --

    def _dispatch(self, func: Callable[..., Any], args: tuple[Any, ...], task: int) -> _Worker:
        """Send a task to a live worker; one that died while idle is replaced (once)."""
        for attempt in (1, 2):
            worker = self._take()
            try:
                worker.send(func, args, task, self.seconds)
                return worker
            except (OSError, EOFError):
                self._release(worker, False)
                if attempt == 2:
                    raise SandboxError("could not send work to a fresh sandbox worker") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _take(self) -> _Worker:
        while self._idle:
            worker = self._idle.pop()
            if worker.proc.is_alive():
                return worker
            self._release(worker, False)  # killed from outside while idle
        worker = _Worker(self._ctx, self.memory_bytes, self.initializer, self.startup_seconds)
        self._all.append(worker)
        self.started += 1
        return worker

    def _release(self, worker: _Worker, reusable: bool) -> None:
        if reusable and worker.proc.is_alive():
            self._idle.append(worker)
            return
        worker.kill()
        if worker in self._all:
            self._all.remove(worker)

    @staticmethod
    def _kill_all(workers: list[_Worker]) -> None:
        for worker in workers:
            worker.kill()
