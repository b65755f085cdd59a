"""The ``rashomon`` command line: parse options, call one library function, render its result.

Errors a user can cause (a bad file, a bad option, an unreadable database) become one line
on stderr and a non-zero exit, never a traceback: 1 when some input failed, 2 for a usage
or configuration error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from rashomon import __version__, settings
from rashomon.errors import ConfigError, InputError, RashomonError

EXIT_INPUT = 1
EXIT_USAGE = 2


def _outlet_pairs(values: Sequence[str] | None) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for value in values or ():
        path, sep, name = value.rpartition("=")
        if not sep or not path or not name.strip():
            raise ConfigError(f"--outlet {value!r}: expected PATH=NAME, e.g. --outlet article.txt='Press TV'")
        pairs[path] = name.strip()
    return pairs


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {value!r}")
    return n


def _err(message: str) -> None:
    print(f"rashomon: {message}", file=sys.stderr)


def _settings(args: argparse.Namespace) -> settings.Settings:
    overrides: settings.Settings = {"store": {"db": getattr(args, "db", None)}}
    return settings.load(getattr(args, "config", None), overrides)


def _registry(args: argparse.Namespace, conf: settings.Settings) -> Any:
    from rashomon.outlets import Registry

    files = list(conf["outlets"]["files"]) + list(getattr(args, "outlets", None) or [])
    return Registry.load(files)


# --- commands ---------------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from rashomon.engine import AnnotateOptions, local_ingest
    from rashomon.sandbox import Sandbox
    from rashomon.store import open_store

    conf = _settings(args)
    spark_ingest = _spark_engine() if args.engine == "spark" else None
    if args.engine == "spark" and spark_ingest is None:
        _err("--engine spark needs the spark extra: pip install 'rashomon[spark]'")
        return EXIT_USAGE
    registry = _registry(args, conf)
    outlet_names = _outlet_pairs(args.outlet)
    quiet = args.quiet or not sys.stderr.isatty()
    # The bar and the skip messages go to stderr, so stdout carries only the summary.
    console = Console(stderr=True, soft_wrap=True)
    limits = conf["limits"]
    with (
        open_store(conf["store"]["db"]) as store,
        # A page that hangs or bloats the extractor costs itself, not the run.
        Sandbox(seconds=limits["extract_seconds"], memory_mb=limits["extract_memory_mb"]) as sandbox,
        Progress(
            TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(),
            console=console, transient=True, disable=quiet,
        ) as progress,
    ):
        task = progress.add_task("", total=None)

        def say(message: str) -> None:
            if quiet:
                _err(message)
            else:
                console.print(f"rashomon: {message}", style="yellow", markup=False, highlight=False)

        def on_item(item: object) -> None:
            if isinstance(item, InputError):
                say(f"skipped {item}")
            progress.advance(task)

        if spark_ingest is not None:
            summary = spark_ingest(
                args.paths, store, registry=registry, outlet_names=outlet_names,
                min_recurring=conf["ingest"]["min_recurring"], master=args.master,
                on_item=on_item, annotate=not args.no_annotate,
                pipeline=conf["nlp"]["pipeline"] or None, sandbox=sandbox,
                on_annotation_failure=lambda e: say(f"failed {e}"), seconds=limits["annotate_seconds"],
            )
        else:
            workers = args.workers or conf["ingest"]["workers"] or None
            options = None if args.no_annotate else AnnotateOptions(
                workers=workers, seconds=limits["annotate_seconds"],
                memory_mb=limits["annotate_memory_mb"], pipeline=conf["nlp"]["pipeline"] or None,
            )
            summary = local_ingest(
                args.paths, store, registry=registry, outlet_names=outlet_names,
                min_recurring=conf["ingest"]["min_recurring"], on_item=on_item, sandbox=sandbox,
                annotate=options, on_annotation_failure=lambda e: say(f"failed {e}"),
            )
        for _kind, doc_id, message in summary.warnings:
            say(f"warning {doc_id}: {message}")
    print(
        f"read {summary.read}, new {summary.new}, duplicate {summary.duplicate}, "
        f"skipped {summary.skipped} -> {conf['store']['db']}"
    )
    # Scripts read the line above from stdout; the rest of the summary goes with the
    # other diagnostics to stderr.
    details = f"annotated {summary.annotated}, failed {len(summary.annotation_failures)}"
    if args.no_annotate:
        details = "not annotated (--no-annotate)"
    counts = summary.warning_counts()
    extra = f" ({', '.join(f'{n} {kind}' for kind, n in sorted(counts.items()))})" if counts else ""
    resumed = f"; resumed after {summary.resumed} already stored" if summary.resumed else ""
    _err(f"{details}; warnings: {sum(counts.values())}{extra}{resumed}")
    return EXIT_INPUT if summary.skipped or summary.annotation_failures else 0


def cmd_annotate(args: argparse.Namespace) -> int:
    from rashomon.engine import AnnotateOptions, annotate_stored
    from rashomon.store import open_store

    conf = _settings(args)
    limits = conf["limits"]
    options = AnnotateOptions(
        workers=args.workers or conf["ingest"]["workers"] or None, seconds=limits["annotate_seconds"],
        memory_mb=limits["annotate_memory_mb"], pipeline=conf["nlp"]["pipeline"] or None,
    )
    with open_store(conf["store"]["db"]) as store:
        done = annotate_stored(store, options, on_failure=lambda e: _err(f"failed {e}"))
    print(f"annotated {done.annotated}, failed {len(done.failed)}, already annotated {done.already} -> {conf['store']['db']}")
    return EXIT_INPUT if done.failed else 0


def _spark_engine() -> Callable[..., Any] | None:
    """``rashomon.engine.spark.spark_ingest``, or None when pyspark is not installed."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        return None
    from rashomon.engine.spark import spark_ingest

    return spark_ingest


def cmd_articles(args: argparse.Namespace) -> int:
    from rashomon.report.records import article_record
    from rashomon.store import open_store

    conf = _settings(args)
    with open_store(conf["store"]["db"]) as store:
        articles = store.articles(limit=args.limit, offset=args.offset, outlet=args.outlet_name)
        total = store.count()
    if args.format == "json":
        for article in articles:
            print(json.dumps(article_record(article), ensure_ascii=False))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(articles)} of {total} stored articles", title_justify="left")
    for column in ("id", "outlet", "published", "wire", "title", "removed"):
        table.add_column(column, overflow="fold")
    for a in articles:
        table.add_row(
            a.id,
            a.outlet.name if a.outlet else "(unknown)",
            a.published or "",
            ", ".join(a.wire_names),
            a.title or "",
            str(len(a.removed)),
        )
    Console(soft_wrap=False).print(table)
    return 0


def cmd_read(args: argparse.Namespace) -> int:
    """Read files without storing them: what ingest would store, as JSON lines."""
    from rashomon.report.records import article_record

    articles, failed = _read_inputs(args, _settings(args))
    for article in articles:
        print(json.dumps(article_record(article), ensure_ascii=False))
    return EXIT_INPUT if failed else 0


def _read_inputs(args: argparse.Namespace, conf: settings.Settings) -> tuple[list[Any], bool]:
    """The articles of ``args.paths`` (not stored), and whether any input failed."""
    from rashomon.ingest import read_articles
    from rashomon.model import Article

    articles: list[Article] = []
    failed = False
    for item in read_articles(
        args.paths,
        registry=_registry(args, conf),
        outlet_names=_outlet_pairs(args.outlet),
        min_recurring=conf["ingest"]["min_recurring"],
    ):
        if isinstance(item, Article):
            articles.append(item)
        else:
            failed = True
            _err(f"skipped {item}")
    return articles, failed


def _pipeline(conf: settings.Settings) -> Any:
    from rashomon.nlp import load_pipeline

    return load_pipeline(conf["nlp"]["pipeline"] or None)


def cmd_quotes(args: argparse.Namespace) -> int:
    from rashomon.nlp import annotate_many, quote_records

    conf = _settings(args)
    articles, failed = _read_inputs(args, conf)
    if articles:
        nlp = _pipeline(conf)
        for article, annotation in zip(articles, annotate_many(articles, nlp), strict=True):
            for record in quote_records(article, annotation):
                print(json.dumps(record, ensure_ascii=False))
    return EXIT_INPUT if failed else 0


def _stored_articles(db: str) -> list[Any]:
    """Every article in the store, oldest first."""
    from rashomon.store import open_store

    out: list[Any] = []
    with open_store(db) as store:
        while page := store.articles(limit=1000, offset=len(out)):
            out.extend(page)
    return out[::-1]


def _stories_of(args: argparse.Namespace, conf: settings.Settings) -> tuple[list[Any], list[Any], bool]:
    """(articles, stories, failed) for the inputs given, or for the whole store with --db."""
    from rashomon.stories import cluster_articles

    if args.paths:
        articles, failed = _read_inputs(args, conf)
    else:
        articles, failed = _stored_articles(conf["store"]["db"]), False
    return articles, cluster_articles(articles), failed


def cmd_stories(args: argparse.Namespace) -> int:
    from rashomon.stories import stories_record

    conf = _settings(args)
    if not args.paths and args.db is None:
        raise ConfigError("give files or directories to group, or --db FILE to group the stored articles")
    _, stories, failed = _stories_of(args, conf)
    if args.format == "json":
        print(json.dumps(stories_record(stories, detail=args.detail), ensure_ascii=False, indent=1))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"{len(stories)} stories", title_justify="left")
        for column in ("id", "first", "articles", "sources", "outlets", "title"):
            table.add_column(column, overflow="fold")
        for st in stories:
            table.add_row(st.id, st.first or "", str(len(st.articles)), str(st.independent_sources),
                          ", ".join(st.outlets), st.title or "")
        Console().print(table)
    return EXIT_INPUT if failed else 0


def cmd_compare(args: argparse.Namespace) -> int:
    from rashomon.compare import compare
    from rashomon.report import render

    conf = _settings(args)
    if args.story:
        if args.db is None:
            raise ConfigError("--story needs --db FILE: stories are found among the stored articles")
        articles, stories, failed = _stories_of(argparse.Namespace(**{**vars(args), "paths": []}), conf)
        chosen = next((st for st in stories if st.id == args.story), None)
        if chosen is None:
            raise ConfigError(f"--story {args.story}: no such story in {conf['store']['db']}; see `rashomon stories --db`")
        by_id = {a.id: a for a in articles}
        articles = [by_id[i] for i in chosen.articles]
    else:
        if not args.paths:
            raise ConfigError("give the articles to compare, or --story ID with --db FILE")
        articles, failed = _read_inputs(args, conf)
    if not articles:
        _err("error: no readable article among the inputs; nothing to compare")
        return EXIT_INPUT
    nlp = _pipeline(conf)
    if args.story:
        from rashomon.compare import compare_stored
        from rashomon.store import open_store

        # Annotations stored by `rashomon ingest` are reused when every article has one.
        with open_store(conf["store"]["db"]) as store:
            comparison = compare_stored(store, articles, nlp=nlp, config=conf)
    else:
        comparison = compare(articles, nlp=nlp, config=conf)
    if args.format == "text" and args.output is None and sys.stdout.isatty():
        from rich.console import Console

        from rashomon.report.terminal import print_report

        print_report(comparison, Console())
    else:
        _write(render(comparison, args.format), args.output)
    return EXIT_INPUT if failed else 0


def cmd_export(args: argparse.Namespace) -> int:
    from rashomon.compare import compare_stored
    from rashomon.export import export_reports
    from rashomon.store import open_store

    conf = _settings(args)
    articles, stories, _ = _stories_of(argparse.Namespace(**{**vars(args), "paths": []}), conf)
    if args.story:
        stories = [st for st in stories if st.id in set(args.story)]
        missing = sorted(set(args.story) - {st.id for st in stories})
        if missing:
            raise ConfigError(f"--story {missing[0]}: no such story in {conf['store']['db']}; see `rashomon stories --db`")
    stories = [st for st in stories if len(st.articles) >= args.min_articles]
    by_id = {a.id: a for a in articles}
    nlp = _pipeline(conf)
    with open_store(conf["store"]["db"]) as store:
        written = export_reports(
            stories,
            lambda st: compare_stored(store, [by_id[i] for i in st.articles], nlp=nlp, config=conf),
            args.out_dir,
            args.format,
        )
    print(f"exported {len(written)} stor{'y' if len(written) == 1 else 'ies'} -> {args.out_dir}")
    return 0


def _write(text: str, output: str | None) -> None:
    """Write a report to ``output`` (a path the user chose), or to stdout."""
    if output is None or output == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    from pathlib import Path

    try:
        Path(output).write_text(text, encoding="utf-8", errors="surrogateescape")
    except OSError as exc:
        raise ConfigError(f"-o {output}: cannot write the report ({exc.strerror or exc})") from None


def cmd_outlets(args: argparse.Namespace) -> int:
    conf = _settings(args)
    registry = _registry(args, conf)
    outlets = registry.all()
    if args.query:
        q = args.query.casefold()
        outlets = [o for o in outlets if q in o.name.casefold() or any(q in d for d in o.domains)]
    if args.format == "json":
        for o in outlets:
            record = {
                "name": o.name, "domains": list(o.domains), "country": o.country,
                "language": o.language, "ownership": o.ownership, "source": o.source,
            }
            print(json.dumps(record, ensure_ascii=False))
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(outlets)} outlets", title_justify="left")
    for column in ("name", "country", "ownership", "domains"):
        table.add_column(column)
    for o in outlets:
        table.add_row(o.name, o.country or "", o.ownership or "", " ".join(o.domains))
    Console().print(table)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from rashomon.web import serve

    conf = _settings(args)
    if not 0 < args.port < 65536:
        raise ConfigError(f"--port {args.port}: a port is a number from 1 to 65535")
    serve(conf["store"]["db"], host=args.host, port=args.port, warm_cache=args.warm,
          hosts=args.allow_host or (), nlp_pipeline=conf["nlp"]["pipeline"] or None)
    return 0


# --- parser -----------------------------------------------------------------------------


def _add_common(p: argparse.ArgumentParser, *, db: bool = False, outlets: bool = False) -> None:
    p.add_argument("--config", metavar="FILE", help="settings file (TOML) overriding the packaged defaults")
    if db:
        p.add_argument("--db", metavar="FILE", help="the store (SQLite file; default rashomon.db)")
    if outlets:
        p.add_argument(
            "--outlet", action="append", metavar="PATH=NAME",
            help="name the outlet of an input (file or directory) where nothing inside it does; repeatable",
        )
        p.add_argument(
            "--outlets", action="append", metavar="FILE",
            help="extra outlet registry (CSV with the packaged registry's columns); repeatable",
        )


COMMANDS: dict[str, tuple[str, Callable[[argparse.Namespace], int]]] = {
    "ingest": ("read articles from files or directories and add them to the store", cmd_ingest),
    "annotate": ("annotate the stored articles that have no stored annotation (after ingest --no-annotate)", cmd_annotate),
    "read": ("read articles and print them as JSON lines, without storing them", cmd_read),
    "compare": ("compare the given articles as one story: shared, unique and conflicting facts, quotes, labels, framing", cmd_compare),
    "stories": ("group articles into stories (events), wire copies collapsed", cmd_stories),
    "quotes": ("who said what: every attribution in the given articles, as JSON lines", cmd_quotes),
    "articles": ("list the articles in the store", cmd_articles),
    "outlets": ("list the outlet registry (packaged plus your own files)", cmd_outlets),
    "export": ("write one report per stored story into a directory, named after the story, with an index", cmd_export),
    "serve": ("run the local web app and JSON API over the store: stories, comparisons, articles, outlets, search", cmd_serve),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rashomon",
        description="See one news event through every outlet that covered it.",
    )
    parser.add_argument("--version", action="version", version=f"rashomon {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("ingest", help=COMMANDS["ingest"][0], description=COMMANDS["ingest"][0])
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories (txt, html, json, jsonl[.gz], rss/atom, warc)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.add_argument(
        "--workers", type=_positive_int, metavar="N",
        help="annotate in N worker processes (default: settings [ingest] workers, else one per CPU core)",
    )
    p.add_argument("--no-annotate", action="store_true", help="store the articles without annotating them")
    p.add_argument(
        "--engine", choices=("local", "spark"), default="local",
        help="local process pool (default) or Apache Spark (needs the spark extra)",
    )
    p.add_argument("--master", default="local[*]", metavar="URL", help="Spark master URL with --engine spark (default local[*])")
    _add_common(p, db=True, outlets=True)

    p = sub.add_parser("annotate", help=COMMANDS["annotate"][0], description=COMMANDS["annotate"][0])
    p.add_argument(
        "--workers", type=_positive_int, metavar="N",
        help="annotate in N worker processes (default: settings [ingest] workers, else one per CPU core)",
    )
    _add_common(p, db=True)

    p = sub.add_parser("read", help=COMMANDS["read"][0], description=COMMANDS["read"][0])
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories")
    _add_common(p, outlets=True)

    p = sub.add_parser("compare", help=COMMANDS["compare"][0], description=COMMANDS["compare"][0])
    p.add_argument("paths", nargs="*", metavar="FILE", help="files or directories: the articles of one story")
    p.add_argument("--story", metavar="ID", help="compare a story of the store (with --db; ids from `rashomon stories --db`)")
    p.add_argument("--db", metavar="FILE", help="the store, for --story")
    p.add_argument("--format", choices=("json", "md", "html", "text"), default="text", help="report format (default text)")
    p.add_argument("-o", "--output", metavar="OUT", help="write the report here instead of to stdout")
    _add_common(p, outlets=True)

    p = sub.add_parser("stories", help=COMMANDS["stories"][0], description=COMMANDS["stories"][0])
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or directories (or none, with --db)")
    p.add_argument("--db", metavar="FILE", help="group the articles stored here instead")
    p.add_argument("--format", choices=("json", "text"), default="json", help="JSON (INTERFACE.md) or a table")
    p.add_argument("--detail", action="store_true", help="add time span, outlets, wire groups and source counts")
    _add_common(p, outlets=True)

    p = sub.add_parser("quotes", help=COMMANDS["quotes"][0], description=COMMANDS["quotes"][0])
    p.add_argument("paths", nargs="+", metavar="FILE", help="files or directories")
    p.add_argument("--format", choices=("jsonl",), default="jsonl", help="JSON lines (INTERFACE.md)")
    _add_common(p, outlets=True)

    p = sub.add_parser("articles", help=COMMANDS["articles"][0], description=COMMANDS["articles"][0])
    p.add_argument("--limit", type=int, default=50, help="how many to list (default 50)")
    p.add_argument("--offset", type=int, default=0, help="skip this many first")
    p.add_argument("--outlet", dest="outlet_name", metavar="NAME", help="only this outlet's articles")
    p.add_argument("--format", choices=("text", "json"), default="text", help="table (text) or JSON lines")
    _add_common(p, db=True)

    p = sub.add_parser("export", help=COMMANDS["export"][0], description=COMMANDS["export"][0])
    p.add_argument("--out-dir", required=True, metavar="DIR", help="where the reports go (created if missing)")
    p.add_argument("--format", choices=("html", "json", "md", "text"), default="html", help="report format (default html)")
    p.add_argument("--story", action="append", metavar="ID", help="only this story; repeatable (default: all)")
    p.add_argument("--min-articles", type=int, default=1, metavar="N", help="only stories of at least N articles")
    _add_common(p, db=True)

    p = sub.add_parser("serve", help=COMMANDS["serve"][0], description=COMMANDS["serve"][0])
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--warm", action="store_true", help="compare every story not cached yet, in the background, while serving")
    p.add_argument("--allow-host", action="append", metavar="NAME",
                   help="another name the server answers to in the Host header (besides localhost and --host); repeatable")
    _add_common(p, db=True)

    p = sub.add_parser("outlets", help=COMMANDS["outlets"][0], description=COMMANDS["outlets"][0])
    p.add_argument("query", nargs="?", help="only outlets whose name or domain contains this")
    p.add_argument("--format", choices=("text", "json"), default="text", help="table (text) or JSON lines")
    p.add_argument("--outlets", action="append", metavar="FILE", help="extra outlet registry file; repeatable")
    _add_common(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        return COMMANDS[args.command][1](args)
    except ConfigError as exc:
        _err(f"error: {exc}")
        return EXIT_USAGE
    except RashomonError as exc:
        _err(f"error: {exc}")
        return EXIT_INPUT
    except KeyboardInterrupt:
        _err("interrupted; everything committed so far is kept")
        return 130
    except BrokenPipeError:
        return 0
