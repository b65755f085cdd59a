"""Run hostile and broken inputs through the real readers, in killable workers.

    python eval/robustness.py ../shared [--check] [--timeout S] [--memory-mb N] [--workers N]

Corpora (../shared/robustness, see ../shared/eval/README.md):
- feedparser/: feedparser's 2,106 test feeds (ill-formed, encodings, entities, ...);
- defusedxml/xmltestdata/: XML bombs, external entities, DTD tricks.

Each file goes through ``rashomon.ingest.readers.read_file`` and then
``rashomon.ingest.read_articles`` (the whole pipeline: outlets, cleaning) in a sandbox
worker with a per-file time limit and an address-space cap. An audit hook in the worker
records every file opened and every network call made while the file is read: anything
outside the input itself and the installed code is an "outside read".

Prints, per corpus: files, files with entries and entries read, files refused with a
stated reason (by category), uncaught exceptions (with where they were raised), hangs
(killed at the time limit), crashes / memory-limit hits, outside reads, and files that
yielded nothing at all. Under --check, exits 1 if any of the last five is non-zero. Exits
0 with a note when the folder is absent (a user's clone has no ../shared).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPORA = {"feedparser": "robustness/feedparser", "defusedxml": "robustness/defusedxml/xmltestdata"}

# --- the worker side --------------------------------------------------------------------

_seen: list[str] = []
_hooked: list[bool] = []
_allowed: tuple[str, ...] = ()
_registry: list[Any] = []


def _install_audit_hook() -> None:
    """Record opens outside the installed code and any network use (once per worker)."""
    global _allowed
    if _hooked:
        return
    import rashomon

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, str(Path(rashomon.__file__).parent)}
    roots |= {p for p in sys.path if p and os.path.isdir(p)}
    # Read-only system data libraries consult (time zones, locales, MIME and SSL tables).
    roots |= {"/usr/share/zoneinfo", "/usr/lib/locale", "/etc/localtime", "/etc/mime.types", "/dev/null", "/dev/urandom"}
    _allowed = tuple(sorted(os.path.realpath(r) for r in roots))

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and args and isinstance(args[0], str):
            _seen.append(args[0])
        elif event.startswith(("socket.", "urllib.Request", "http.client")):
            _seen.append(f"{event} {args[:2]!r}")

    sys.addaudithook(hook)
    _hooked.append(True)


def probe(path: str) -> dict[str, Any]:
    """Read one file both ways; never raises (exceptions are the finding, so they are
    caught here, where the traceback is, and described)."""
    _install_audit_hook()
    from rashomon.errors import InputError
    from rashomon.ingest import read_articles
    from rashomon.ingest.readers import RawDocument, read_file
    from rashomon.model import Article
    from rashomon.outlets import Registry

    if not _registry:
        _registry.append(Registry.load())
    _seen.clear()
    result: dict[str, Any] = {"docs": 0, "reasons": [], "uncaught": None, "articles": 0, "pipeline_reasons": 0}
    start = time.perf_counter()
    try:
        for item in read_file(path):
            if isinstance(item, RawDocument):
                result["docs"] += 1
            elif isinstance(item, InputError):
                result["reasons"].append(f"{type(item).__name__}: {item.reason}")
            else:  # pragma: no cover - a reader yielding anything else is a bug too
                result["uncaught"] = f"yielded a {type(item).__name__}"
        for article in read_articles([path], registry=_registry[0]):
            if isinstance(article, Article):
                result["articles"] += 1
            else:
                result["pipeline_reasons"] += 1
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"
        result["uncaught"] = f"{type(exc).__name__}: {_one_line(str(exc))} (at {where})"
    result["seconds"] = time.perf_counter() - start
    real_input = os.path.realpath(path)
    result["outside"] = sorted(
        {s for s in _seen if not s.startswith(("socket", "urllib", "http")) and _outside(s, real_input)}
        | {s for s in _seen if s.startswith(("socket", "urllib", "http"))}
    )
    import resource

    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return result


def _outside(opened: str, real_input: str) -> bool:
    real = os.path.realpath(opened)
    return real != real_input and not any(real == r or real.startswith(r.rstrip("/") + "/") for r in _allowed)


def _one_line(text: str, limit: int = 160) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


# --- the parent side --------------------------------------------------------------------


@dataclass
class Tally:
    """Counts over one corpus."""

    files: int = 0
    with_entries: int = 0
    entries: int = 0
    articles: int = 0
    refused: int = 0
    silent: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    uncaught: list[tuple[str, str]] = field(default_factory=list)
    hangs: list[tuple[str, str]] = field(default_factory=list)
    crashes: list[tuple[str, str]] = field(default_factory=list)
    outside: list[tuple[str, str]] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)
    maxrss_mb: int = 0

    @property
    def bad(self) -> int:
        return len(self.uncaught) + len(self.hangs) + len(self.crashes) + len(self.outside) + self.silent


def category(reason: str) -> str:
    """A reason with the file-specific details cut off: what, not where."""
    cls, _, text = reason.partition(": ")
    text = re.split(r"[:(\[]", text, maxsplit=1)[0]
    text = re.sub(r"'[^']*'", "'…'", text)  # names of entities, hosts, fields
    text = re.sub(r"\d[\d,.]*", "N", text).strip(" ;,.")
    return f"{cls}: {text}"


def run_corpus(name: str, root: Path, box: Any, verbose: bool) -> Tally:
    from rashomon.sandbox import Failed

    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name not in ("LICENSE", "README", "README.md"))
    tally = Tally(files=len(files))
    for path, outcome in zip(files, box.map(probe, ((str(p),) for p in files)), strict=True):
        rel = str(path.relative_to(root))
        if isinstance(outcome, Failed):
            (tally.hangs if outcome.kind == "timeout" else tally.crashes).append((rel, outcome.reason))
            continue
        r = outcome.value
        tally.maxrss_mb = max(tally.maxrss_mb, r["maxrss_mb"])
        tally.slowest = sorted([*tally.slowest, (r["seconds"], rel)], reverse=True)[:3]
        if r["uncaught"]:
            tally.uncaught.append((rel, r["uncaught"]))
        if r["outside"]:
            tally.outside.append((rel, ", ".join(r["outside"][:3])))
        if r["docs"]:
            tally.with_entries += 1
            tally.entries += r["docs"]
        elif r["reasons"]:
            tally.refused += 1
        elif not r["uncaught"]:
            tally.silent += 1
        tally.articles += r["articles"]
        if not r["uncaught"] and r["articles"] != r["docs"]:
            tally.mismatched.append(rel)
        tally.reasons.update(category(x) for x in r["reasons"])
        if verbose:
            what = f"{r['docs']} entries" if r["docs"] else (r["reasons"][0] if r["reasons"] else r["uncaught"])
            print(f"  {rel}: {_one_line(str(what), 120)} ({r['seconds']:.2f} s)")
    return tally


def report(name: str, tally: Tally, seconds: float) -> None:
    print(
        f"{name}: {tally.files} files in {seconds:.1f} s: {tally.with_entries} with entries "
        f"({tally.entries} entries; {tally.articles} articles through the pipeline), "
        f"{tally.refused} refused with a reason, {len(tally.uncaught)} uncaught exceptions, "
        f"{len(tally.hangs)} hangs, {len(tally.crashes)} crashes/over memory, "
        f"{len(tally.outside)} outside reads, {tally.silent} silent"
    )
    print("  reasons (entries or files refused), by category:")
    for reason, n in tally.reasons.most_common(12):
        print(f"    {n:6d}  {reason}")
    if len(tally.reasons) > 12:
        print(f"    {sum(tally.reasons.values()) - sum(n for _, n in tally.reasons.most_common(12)):6d}  (other categories)")
    for label, items in (("uncaught", tally.uncaught), ("hang", tally.hangs), ("crash", tally.crashes), ("outside read", tally.outside)):
        for rel, what in items[:20]:
            print(f"  {label}: {rel}: {what}")
    if tally.mismatched:
        print(f"  read_file and read_articles disagree on {len(tally.mismatched)} files, e.g. {tally.mismatched[:3]}")
    slow = ", ".join(f"{rel} {s:.2f} s" for s, rel in tally.slowest)
    print(f"  slowest: {slow}; peak worker memory {tally.maxrss_mb} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("shared", help="the shared folder (holding robustness/)")
    parser.add_argument("--check", action="store_true", help="exit 1 on any uncaught exception, hang, crash or outside read")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per file before its worker is killed")
    parser.add_argument("--memory-mb", type=int, default=2048, help="address-space cap per worker, MiB")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--corpus", choices=sorted(CORPORA), action="append", help="run only this corpus (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="one line per file")
    args = parser.parse_args(argv)

    roots = {name: Path(args.shared) / rel for name, rel in CORPORA.items() if not args.corpus or name in args.corpus}
    present = {name: root for name, root in roots.items() if root.is_dir()}
    if not present:
        print(f"robustness: skipped, no corpus under {Path(args.shared) / 'robustness'}")
        return 0
    from rashomon.sandbox import Sandbox

    bad = 0
    with Sandbox(workers=args.workers, seconds=args.timeout, memory_mb=args.memory_mb) as box:
        for name, root in present.items():
            start = time.perf_counter()
            tally = run_corpus(name, root, box, args.verbose)
            report(name, tally, time.perf_counter() - start)
            bad += tally.bad
    for name in roots.keys() - present.keys():
        print(f"{name}: skipped, {roots[name]} is absent")
    if args.check and bad:
        print(f"robustness: FAILED ({bad} files with an uncaught exception, hang, crash, outside read or no outcome)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
