"""End to end: files of every kind -> cleaned Articles -> the store, with bad inputs mixed in."""

import json
from pathlib import Path

import pytest

from rashomon.ingest import ingest_paths, read_articles
from rashomon.model import Article
from rashomon.outlets import Registry
from rashomon.store import open_store

REGISTRY_CSV = """name,aliases,domains,country,language,ownership,signatures,source,kind
Valdora TV,VTV,valdoratv.example,XA,en,state-controlled,Valdora TV’s website can also be accessed at,"test fixture",outlet
Esterby Gazette,,esterbygazette.example,XB,en,private,,"test fixture",outlet
Meridian Press,MP,meridianpress.example,XB,en,wire,,"test fixture",wire
"""

VALDORA = """News   /   Valdora

West seeks to blame Valdora for dam 'disaster:' minister

Interior Minister Ilya Marek attends a news conference in Portalver on March 3, 2031. (Photo by Meridian Press)

Interior Minister Ilya Marek has accused foreign media of fuelling "panic" over the failure of the Alver dam.

"We are inclined to think the reason is a desire to embarrass the government," he said.

Talks the only way forward: Marek

The minister said the so-called "disaster" had been exaggerated.

Valdora TV’s website can also be accessed at the following alternate addresses:

www.valdoratv.example

Valdora TV News Roku
"""

GAZETTE = """The council said on Tuesday that the dam above Port Alver had failed after days of rain.
Foreign governments say there is evidence, including images gathered by Meridian Press and other media organizations, of neglect.
“The only thing I can say is that work is continuing,” council spokesman Petr Halas told reporters.
Get breaking World news
The dam was built in 1962, and 14 people died when it failed on March 4.
(Reporting by Meridian Press; Editing by Tom Reyes)
- Call the plumber: 4 charged in alleged ‘pipe’ scam
- How the council may bypass the assembly
- ‘It’s the best week’: fisherman walks free
Comments"""


@pytest.fixture()
def corpus(tmp_path: Path) -> tuple[Path, Registry]:
    reg = tmp_path / "outlets.csv"
    reg.write_text(REGISTRY_CSV, encoding="utf-8")
    d = tmp_path / "in"
    d.mkdir()
    (d / "valdora.txt").write_text(VALDORA, encoding="utf-8")
    (d / "gazette.txt").write_text(GAZETTE, encoding="utf-8")
    (d / "dump.jsonl").write_text(
        json.dumps({"title": "Flood", "maintext": "Water rose overnight in the valley.", "source_domain": "esterbygazette.example"})
        + "\n{\"title\": \"cut"
        + "\n",
        encoding="utf-8",
    )
    (d / "empty.txt").write_bytes(b"")
    (d / "binary.txt").write_bytes(b"\x00\x01binary\x00" * 20)
    (d / "broken.txt").write_bytes("Kyiv “x” and more words".encode() + b"\xff")
    return d, Registry.load([reg])


def _by_name(articles: list[Article], name: str) -> Article:
    return next(a for a in articles if a.id.endswith(name))


def test_outlets_wire_and_boilerplate(corpus: tuple[Path, Registry]) -> None:
    d, registry = corpus
    items = list(read_articles([str(d)], registry=registry))
    articles = [a for a in items if isinstance(a, Article)]
    valdora = _by_name(articles, "valdora.txt")
    assert valdora.outlet is not None and valdora.outlet.name == "Valdora TV"
    assert (valdora.outlet.country, valdora.outlet.ownership, valdora.outlet_via) == ("XA", "state-controlled", "signature")
    assert valdora.title == "West seeks to blame Valdora for dam 'disaster:' minister"
    assert valdora.wire_names == ()  # a photo credit is not a wire credit
    removed = {r.text: r.rule for r in valdora.removed}
    assert removed == {
        "News   /   Valdora": "breadcrumb",
        "Interior Minister Ilya Marek attends a news conference in Portalver on March 3, 2031. (Photo by Meridian Press)": "caption",
        "Valdora TV’s website can also be accessed at the following alternate addresses:": "mirror_footer",
        "www.valdoratv.example": "mirror_footer",
        "Valdora TV News Roku": "app_prompt",
    }
    kinds = [(valdora.text[p.start : p.end][:20], p.kind) for p in valdora.paragraphs]
    assert ("Talks the only way f", "heading") in kinds
    assert len(valdora.paragraphs) == 4

    gazette = _by_name(articles, "gazette.txt")
    assert gazette.outlet is None and gazette.outlet_via is None  # nothing names it: unknown stays unknown
    assert gazette.wire_names == ("Meridian Press",)
    rules = sorted(r.rule for r in gazette.removed)
    assert rules == ["comments", "credit", "promo", "related_links", "related_links", "related_links"]
    kept = gazette.body
    assert "14 people died" in kept and "Petr Halas told reporters" in kept
    for r in gazette.removed + valdora.removed:
        assert valdora.text[r.start : r.end] == r.text or gazette.text[r.start : r.end] == r.text


def test_user_outlet_is_last_resort(corpus: tuple[Path, Registry]) -> None:
    d, registry = corpus
    names = {str(d / "gazette.txt"): "Esterby Gazette", str(d / "valdora.txt"): "Someone Else"}
    articles = [a for a in read_articles([str(d)], registry=registry, outlet_names=names) if isinstance(a, Article)]
    gazette = _by_name(articles, "gazette.txt")
    assert gazette.outlet is not None and (gazette.outlet.name, gazette.outlet.country, gazette.outlet_via) == ("Esterby Gazette", "XB", "user")
    assert _by_name(articles, "valdora.txt").outlet.name == "Valdora TV"  # type: ignore[union-attr]
    jsonl = _by_name(articles, "dump.jsonl#1")
    assert jsonl.outlet is not None and (jsonl.outlet.name, jsonl.outlet_via) == ("Esterby Gazette", "metadata")


def test_batch_goes_on_and_reingest_adds_nothing(corpus: tuple[Path, Registry], tmp_path: Path) -> None:
    d, registry = corpus
    db = tmp_path / "r.db"
    with open_store(db) as store:
        first = ingest_paths([str(d), str(tmp_path / "nope.txt")], store, registry=registry)
        assert (first.read, first.new, first.duplicate) == (3, 3, 0)
        reasons = sorted(str(f) for f in first.failures)
        assert len(reasons) == 5
        assert any("empty.txt: the file is empty" in r for r in reasons)
        assert any("binary.txt: binary data" in r for r in reasons)
        assert any("broken.txt: invalid UTF-8" in r for r in reasons)
        assert any("dump.jsonl:2: truncated or invalid JSON" in r for r in reasons)
        assert any("nope.txt: no such file or directory" in r for r in reasons)
        assert store.count() == 3
    with open_store(db) as store:
        again = ingest_paths([str(d)], store, registry=registry)
        assert (again.new, again.duplicate, store.count()) == (0, 3, 3)
        stored = store.get(str(d / "valdora.txt"))
        assert stored is not None and stored.outlet is not None and stored.outlet.name == "Valdora TV"
        assert stored.removed == _by_name([stored], "valdora.txt").removed


def test_outlet_furniture_is_learned_from_the_store(tmp_path: Path) -> None:
    reg = tmp_path / "outlets.csv"
    reg.write_text(REGISTRY_CSV, encoding="utf-8")
    registry = Registry.load([reg])
    furniture = "Watch Esterby Gazette live every evening"
    db = tmp_path / "r.db"
    with open_store(db) as store:
        for n in range(4):
            f = tmp_path / f"g{n}.json"
            f.write_text(json.dumps({
                "title": f"Story {n}",
                "text": f"Officials said {n} bridges were closed on day {n}.\n{furniture}\nThe river kept rising.",
                "url": f"https://esterbygazette.example/{n}",
            }), encoding="utf-8")
            ingest_paths([str(f)], store, registry=registry)
        latest = store.get(str(tmp_path / "g3.json"))
        first = store.get(str(tmp_path / "g0.json"))
    assert latest is not None and first is not None
    assert [r.rule for r in latest.removed] == ["outlet_recurring"]
    assert first.removed == ()
    # the long sentence shared by every article is never learned as furniture
    assert "The river kept rising." in latest.body
