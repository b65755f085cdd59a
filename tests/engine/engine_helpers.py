"""Inputs for the engine tests, generated (no shared files), and stand-in annotators
that run in the sandbox's worker processes (so they live at module level)."""

from __future__ import annotations

import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from rashomon.model import Article
from rashomon.store import Store

OUTLETS = ("Reuters", "BBC News", "Al Jazeera", "TASS")
PLACES = ("Port Alver", "Esterby", "Valdora", "Kestrel Bay", "Mornside", "Lindqvist")
VERBS = ("said", "told reporters", "announced", "warned", "confirmed")
PEOPLE = ("Maria Keane", "Tomas Varga", "Ana Ruiz", "the mayor", "officials", "a spokesman")
# A line each outlet prints under every article: learned as its boilerplate from recurrence
# within a chunk and across the store, which makes cleaning depend on chunk boundaries.
FURNITURE = {name: f"More from {name} desk" for name in OUTLETS}


@dataclass
class Corpus:
    """A generated JSONL file and what ingesting it must give.

    expected_ids: ids of the articles that must be stored (first copy of each content).
    bad_lines: line numbers (from 1) of the lines that must be reported as bad.
    good_lines: lines holding a readable article (stored or duplicate).
    """

    path: Path
    expected_ids: list[str] = field(default_factory=list)
    bad_lines: list[int] = field(default_factory=list)
    good_lines: int = 0


def article_text(rng: random.Random, i: int, outlet: str) -> str:
    place = rng.choice(PLACES)
    paragraphs = [
        f"Flood waters rose in {place} on day {i}, {rng.choice(PEOPLE)} {rng.choice(VERBS)}.",
        f'"We are doing everything we can," {rng.choice(PEOPLE)} {rng.choice(VERBS)} about report {i}.',
        f"About {rng.randint(2, 900)} people left their homes near {place} after the dam warning {i}.",
        FURNITURE[outlet],
    ]
    return "\n\n".join(paragraphs)


def make_jsonl(path: Path, n: int, seed: int = 7, slow_every: int = 0) -> Corpus:
    """Write ``n`` lines of JSONL: articles with some exact and same-URL duplicates, bad
    lines (invalid JSON, no text, not an object) and blank lines mixed in."""
    rng = random.Random(seed)
    corpus = Corpus(path)
    lines: list[str] = []
    written: list[str] = []  # good lines already written, for exact duplicates
    urls: list[str] = []
    n_item = 0  # non-blank lines, which number the ids
    for i in range(n):
        roll = rng.random()
        if roll < 0.02:
            lines.append("")  # blank: not an item, not an error
            continue
        n_item += 1
        lineno = len(lines) + 1
        if roll < 0.05:
            lines.append(rng.choice(['{"title": "cut', "not json at all", "[1, 2", '{"text": NaN}']))
            corpus.bad_lines.append(lineno)
        elif roll < 0.07:
            lines.append(json.dumps({"title": f"No body {i}", "text": "  "}))
            corpus.bad_lines.append(lineno)
        elif roll < 0.08:
            lines.append(json.dumps(["a list", i]))
            corpus.bad_lines.append(lineno)
        elif roll < 0.13 and written:
            lines.append(rng.choice(written))  # the very same article again
            corpus.good_lines += 1
        elif roll < 0.16 and urls:
            # Other text under a URL already stored: a duplicate by canonical URL.
            lines.append(json.dumps({"title": f"Update {i}", "text": f"Changed text {i}.", "url": rng.choice(urls)}))
            corpus.good_lines += 1
        else:
            outlet = rng.choice(OUTLETS)
            text = article_text(rng, i, outlet)
            if slow_every and i % slow_every == 0:
                text += "\n\nSLOW"
            url = f"https://news.example/{outlet.replace(' ', '-').lower()}/{i}"
            line = json.dumps({"title": f"Flood report {i}", "text": text, "outlet": outlet, "url": url})
            lines.append(line)
            written.append(line)
            urls.append(url)
            corpus.good_lines += 1
            corpus.expected_ids.append(f"{path}#{n_item}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return corpus


def all_articles(store: Store) -> list[Article]:
    """Every stored article, in ingest order."""
    out: list[Article] = []
    while page := store.articles(limit=1000, offset=len(out)):
        out.extend(page)
    return out[::-1]


# --- stand-in annotators (run in worker processes) -----------------------------------


def quick_annotate(article: Article) -> tuple[str, str]:
    """A cheap, deterministic 'annotation': the article's id and length."""
    return f"quick-{article.content_hash}", json.dumps({"id": article.id, "n": len(article.text)})


def sleepy_annotate(article: Article) -> tuple[str, str]:
    """Like quick_annotate, but an article holding "SLOW" hangs far past any limit."""
    if "SLOW" in article.text:
        time.sleep(600)
    return quick_annotate(article)


def hungry_annotate(article: Article) -> tuple[str, str]:
    """Like quick_annotate, but an article holding "SLOW" asks for 4 GiB."""
    if "SLOW" in article.text:
        return quick_annotate(article)[0], str(len(bytearray(4 * 2**30)))
    return quick_annotate(article)


def sleepy_many(articles: list[Article]) -> list[tuple[str, str]]:
    """sleepy_annotate over a group: a group holding a "SLOW" article hangs as a whole."""
    return [sleepy_annotate(a) for a in articles]
