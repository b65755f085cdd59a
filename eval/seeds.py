"""Check ingest on the two seed articles (../shared/corpus/seeds): outlet, wire credit, boilerplate.

    python eval/seeds.py ../shared/corpus/seeds [--check]

The expectations below are our reading of the two articles (which lines are furniture,
which outlet and wire each carries), stated as rule counts so that no article text is
copied into the project. Exits 1 under --check when any expectation fails; exits 0 with a
note when the folder is absent (a user's clone has no ../shared).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from rashomon.ingest import read_articles
from rashomon.model import Article

# file -> what a careful reader of the article expects
EXPECTED = {
    "000_9c6fa6baf7c6373c.txt": {
        "outlet": None,  # a Global News page, but nothing in this text names the outlet
        "wire": ("Reuters",),
        "removed": {"promo": 1, "credit": 1, "related_links": 4, "comments": 1},
        "title": False,
        "body_paragraphs": 10,
    },
    "004_94648e9496f67eb7.txt": {
        "outlet": ("Press TV", "IR", "state-controlled", "signature"),
        "wire": (),  # "(Photo by Reuters)" is a photo credit, not a wire credit
        "removed": {"breadcrumb": 1, "caption": 1, "mirror_footer": 1, "app_prompt": 1},
        "title": True,
        "body_paragraphs": 15,
    },
}


def check(article: Article, expected: dict[str, object]) -> list[str]:
    problems: list[str] = []
    o = article.outlet
    outlet = (o.name, o.country, o.ownership, article.outlet_via) if o else None
    if outlet != expected["outlet"]:
        problems.append(f"outlet {outlet} != {expected['outlet']}")
    if article.wire_names != expected["wire"]:
        problems.append(f"wire {article.wire_names} != {expected['wire']}")
    rules = dict(Counter(r.rule for r in article.removed))
    if rules != expected["removed"]:
        problems.append(f"removed {rules} != {expected['removed']}")
    if (article.title_span is not None) != expected["title"]:
        problems.append(f"title {article.title!r}")
    body = [p for p in article.paragraphs if p.kind == "body"]
    if len(body) != expected["body_paragraphs"]:
        problems.append(f"{len(body)} body paragraphs != {expected['body_paragraphs']}")
    for r in article.removed:
        if article.text[r.start : r.end] != r.text:
            problems.append(f"span of removed line {r.start}:{r.end} does not match its text")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", help="../shared/corpus/seeds")
    parser.add_argument("--check", action="store_true", help="exit 1 when an expectation fails")
    args = parser.parse_args()
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"seeds: {folder} not found; skipping (it exists in CI beside the project)")
        return 0
    failed = 0
    for item in read_articles([str(folder)]):
        if not isinstance(item, Article):
            print(f"seeds: {item}")
            failed += 1
            continue
        name = Path(item.path).name
        expected = EXPECTED.get(name)
        if expected is None:
            continue
        problems = check(item, expected)
        o = item.outlet
        print(
            f"{name}: outlet={o.name if o else None} ({o.country if o else '-'}, {o.ownership if o else '-'}) "
            f"wire={list(item.wire_names)} removed={dict(Counter(r.rule for r in item.removed))} "
            f"paragraphs={len(item.paragraphs)} {'OK' if not problems else 'FAIL'}"
        )
        for p in problems:
            print(f"  - {p}")
        failed += bool(problems)
    print(f"seeds: {len(EXPECTED) - failed} passed, {failed} failed")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
