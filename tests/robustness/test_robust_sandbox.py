"""Killable workers: a document that hangs, eats memory or crashes costs itself, not the batch.

The worker functions live at module level so that the worker processes can import them.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator

import pytest

from rashomon.errors import FormatError
from rashomon.sandbox import Failed, Ok, Sandbox


def echo(value: object) -> object:
    return value


def sleep_then(seconds: float, value: object) -> object:
    time.sleep(seconds)
    return value


def allocate(n_bytes: int) -> int:
    return len(bytearray(n_bytes))


def segfault() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def refuse(doc_id: str) -> None:
    raise FormatError(doc_id, "no article text found")


def my_pid() -> int:
    return os.getpid()


@pytest.fixture
def box() -> Iterator[Sandbox]:
    with Sandbox(seconds=1.0, memory_mb=768, workers=1) as sandbox:
        yield sandbox


def test_result_comes_back(box: Sandbox) -> None:
    assert box.call(echo, {"text": "ok"}) == Ok({"text": "ok"})


def test_workers_are_reused_across_documents(box: Sandbox) -> None:
    pids = {box.call(my_pid).value for _ in range(5)}  # type: ignore[union-attr]
    assert len(pids) == 1 and box.started == 1


def test_a_hanging_document_is_killed_and_the_batch_goes_on(box: Sandbox) -> None:
    before = box.call(my_pid)
    start = time.monotonic()
    outcome = box.call(sleep_then, 30.0, "never")
    assert time.monotonic() - start < 10
    assert isinstance(outcome, Failed) and outcome.kind == "timeout"
    assert "1 s" in outcome.reason
    after = box.call(my_pid)
    assert isinstance(after, Ok) and after != before  # a fresh worker replaced the killed one


def test_memory_limit_stops_a_runaway_allocation(box: Sandbox) -> None:
    outcome = box.call(allocate, 4 * 1024**3)  # 4 GiB against a 768 MiB cap
    assert isinstance(outcome, Failed) and outcome.kind == "memory"
    assert box.call(allocate, 1024) == Ok(1024)


def test_a_crashing_worker_is_replaced(box: Sandbox) -> None:
    outcome = box.call(segfault)
    assert isinstance(outcome, Failed) and outcome.kind == "crash"
    assert "SIGSEGV" in outcome.reason
    assert box.call(echo, 7) == Ok(7)


def test_an_input_error_keeps_its_reason_and_class_name(box: Sandbox) -> None:
    outcome = box.call(refuse, "page.html")
    assert outcome == Failed("error", "FormatError: no article text found", "FormatError")
    assert box.started == 1  # an ordinary exception does not cost the worker


def test_map_keeps_input_order_and_isolates_failures() -> None:
    with Sandbox(seconds=1.0, memory_mb=None, workers=2) as sandbox:
        jobs = [(0.2, "a"), (30.0, "hang"), (0.0, "c"), (0.1, "d")]
        outcomes = list(sandbox.map(sleep_then, jobs))
    assert [o.value if isinstance(o, Ok) else o.kind for o in outcomes] == ["a", "timeout", "c", "d"]


def test_a_worker_killed_while_idle_is_replaced(box: Sandbox) -> None:
    box.call(echo, "start")
    [pid] = box.pids
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.2)
    assert box.call(echo, "after") == Ok("after")


def test_fork_is_refused() -> None:
    with pytest.raises(ValueError, match="fork"):
        Sandbox(start_method="fork")
