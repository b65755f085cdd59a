"""The bundled examples (examples/README.md, "Boilerplate: removed, never a sentence")."""

from pathlib import Path

import pytest

from rashomon.ingest import read_articles
from rashomon.model import Article
from rashomon.outlets import Registry

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

REMOVED = {
    "esterby-gazette.txt": {
        "News / World": "breadcrumb",
        "Smoke rises over the Harbour Gate in Port Alver, Valdora, on March 4, 2031. (Photo: Meridian Press/Ilya Sorin)": "caption",
        "Get breaking World news": "promo",
        "(Reporting by Ana Kovac; Editing by Tom Reyes)": "credit",
        "- Esterby council votes to extend harbour tram line to Kellin Point": "related_links",
        "Comments": "comments",
        "© 2031 The Esterby Gazette, a division of Harrow Media Group. All rights reserved.": "copyright",
    },
    "rtv-valdora.xml#1": {
        "Follow RTV Valdora on Telegram and download the RTV News app for the latest updates.": "promo",
    },
    "velmark-times.json": {
        "Sign up to the Velmark Times World Briefing, our free daily newsletter.": "promo",
        "— With files from Meridian Press": "credit",
    },
    "daily-beacon.txt": {
        "By DANNY HOLLOWAY, Foreign Correspondent": "byline",
        "Published: 05:12, 5 March 2031 | Updated: 09:48, 5 March 2031": "timestamp",
        "Share this article: Facebook | X | WhatsApp | Email": "share_prompt",
        "Do you know someone caught up in the violence? Email news@dailybeacon.example": "contact_prompt",
        "Download the Daily Beacon app for breaking news alerts": "promo",
        "Comments (212)": "comments",
        "© Daily Beacon Media Ltd 2031": "copyright",
    },
    "alver-independent.txt": {
        "Thursday, 6 March 2031 · 11:20": "dateline",
        "Related:": "related_links",
        "- Who owns Castellan Terminals? The money behind the port deal": "related_links",
        "The Alver Independent is funded by its readers. Support independent journalism: alverindependent.example/support": "promo",
        "If our site is blocked in your area, you can read us at the following mirror addresses: alverindependent-mirror.example | alver-news.example": "mirror_footer",
        "© 2031 Alver Independent. Republication permitted with a link to the original.": "copyright",
    },
}

NEVER_IN_TEXT = {
    "vbc-news.html": ['"Armed rioters" my foot', "harbourmaster62", "The death toll is at least 30", "Most read",
                      "Holt & Varen shares slide", "Get the VBC News app"],
}

KEPT = {
    "alver-independent.txt": "Relatives of the missing can contact the union's support line",
    "daily-beacon.txt": "Velmark holidaymakers planning trips to the Valdoran coast have been told to check the latest travel advice before they go.",
}


@pytest.fixture(scope="module")
def articles() -> dict[str, Article]:
    registry = Registry.load([EXAMPLES / "outlets.csv"])
    out = {}
    for item in read_articles([str(EXAMPLES)], registry=registry):
        assert isinstance(item, Article), item
        out[item.id.rsplit("/", 1)[-1]] = item
    return out


def test_every_example_is_read_with_its_outlet(articles: dict[str, Article]) -> None:
    assert sorted(articles) == sorted(
        ["alver-independent.txt", "daily-beacon.txt", "esterby-gazette.txt", "rtv-valdora.xml#1",
         "rtv-valdora.xml#2", "vbc-news.html", "velmark-times.json"]
    )
    assert all(a.outlet is not None for a in articles.values())
    assert {a.outlet.name for a in articles.values() if a.outlet} == {
        "Alver Independent", "Daily Beacon", "The Esterby Gazette", "RTV Valdora", "VBC News", "The Velmark Times"
    }
    assert {k for k, a in articles.items() if a.wire_names == ("Meridian Press",)} == {
        "esterby-gazette.txt", "vbc-news.html", "velmark-times.json"
    }
    assert articles["daily-beacon.txt"].published == "2031-03-05"  # from its "Published:" line
    assert articles["alver-independent.txt"].published == "2031-03-06"  # from its date line


@pytest.mark.parametrize("name", sorted(REMOVED))
def test_boilerplate_is_removed(articles: dict[str, Article], name: str) -> None:
    got = {r.text: r.rule for r in articles[name].removed}
    for line, rule in REMOVED[name].items():
        assert got.get(line) == rule, line


@pytest.mark.parametrize("name", sorted(NEVER_IN_TEXT))
def test_page_furniture_never_reaches_the_text(articles: dict[str, Article], name: str) -> None:
    for text in NEVER_IN_TEXT[name]:
        assert text not in articles[name].text


@pytest.mark.parametrize(("name", "line"), sorted(KEPT.items()))
def test_service_like_reporting_is_kept(articles: dict[str, Article], name: str, line: str) -> None:
    assert line in articles[name].body
