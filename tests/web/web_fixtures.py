"""The web tests' store, written here: two invented events (every name, place and figure
is made up).

- the Kessel dam breach in Valdora, 4-5 March 2031, told by three outlets: the Daily Beacon
  (XB, private), RTV Valdora (XA, state-controlled) and Alver Independent (XA, nonprofit),
  who disagree on the death toll and quote different people;
- a rail strike in Velmark a fortnight later, told by the Velmark Times (XC, private) only.
"""

from __future__ import annotations

from pathlib import Path

from rashomon.model import Article, Outlet, Paragraph
from rashomon.store import open_store
from rashomon.textnorm import digest

BEACON = Outlet("Daily Beacon", country="XB", ownership="private")
VALDORA = Outlet("RTV Valdora", country="XA", ownership="state-controlled")
ALVER = Outlet("Alver Independent", country="XA", ownership="nonprofit")
VELMARK = Outlet("Velmark Times", country="XC", ownership="private")


def make_article(article_id: str, outlet: Outlet | None, title: str, published: str | None,
                 paragraphs: list[str]) -> Article:
    """An Article whose text is the title, a blank line, and the paragraphs, with their spans."""
    text = title + "\n\n"
    spans = []
    for paragraph in paragraphs:
        spans.append(Paragraph(len(text), len(text) + len(paragraph)))
        text += paragraph + "\n\n"
    return Article(
        id=article_id, path=article_id, text=text, title=title, title_span=(0, len(title)),
        published=published, outlet=outlet, outlet_via="user", paragraphs=tuple(spans),
        content_hash=digest(outlet.name if outlet else None, title, text),
    )


DAM = [
    make_article(
        "dam/daily-beacon.txt", BEACON, "Kessel dam breach floods valley, 14 dead", "2031-03-04",
        [
            "The Kessel dam in northern Valdora burst before dawn on Tuesday, flooding the valley "
            "below the reservoir and killing 14 people, the Interior Ministry said.",
            "Rescue teams searched the villages of Orsk and Telen for survivors on Tuesday. "
            "Hundreds of families spent the night in schools.",
            "\"The dam was inspected last year and found safe,\" Interior Minister Ana Rell said.",
            "Engineers had warned in January that cracks in the Kessel dam wall were growing, "
            "according to documents seen by the Daily Beacon.",
        ],
    ),
    make_article(
        "dam/rtv-valdora.txt", VALDORA, "Kessel reservoir: authorities act swiftly after dam breach", "2031-03-04",
        [
            "The Kessel dam in northern Valdora gave way on Tuesday morning, flooding the valley "
            "below the reservoir; 14 people died, the Interior Ministry said.",
            "Interior Minister Ana Rell said rescue teams had reached every village in the valley. "
            "\"The state will rebuild every home,\" she told reporters.",
            "Troops delivered food and water to families in Orsk and Telen, while so-called "
            "activists spread rumours online.",
        ],
    ),
    make_article(
        "dam/alver-independent.txt", ALVER, "Dozens feared dead after Kessel dam bursts", "2031-03-05",
        [
            "At least 31 people died when the Kessel dam in northern Valdora burst on Tuesday, "
            "flooding the valley below the reservoir, doctors at Orsk hospital said.",
            "The regime says 14 died. \"They are hiding the dead,\" said Mira Doss, "
            "a nurse at Orsk hospital.",
            "Engineers had warned in January that cracks in the Kessel dam wall were growing.",
        ],
    ),
]
STRIKE = [
    make_article(
        "strike/velmark-times.txt", VELMARK, "Velmark rail workers strike over pay", "2031-03-19",
        [
            "Train drivers across Velmark walked out on Wednesday in a dispute over wages, "
            "halting commuter services in the capital.",
            "\"We have not had a raise in six years,\" union secretary Oskar Lind said.",
        ],
    ),
]
ARTICLES = DAM + STRIKE


def fill_store(db: Path, articles: list[Article]) -> str:
    with open_store(db) as store:
        for article in articles:
            assert store.add_article(article).is_new
    return str(db)
