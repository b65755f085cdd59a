"""Invented articles for the story and copy tests: two earthquakes, a wire story carried
by two outlets, and unrelated news. Every name, place and figure here is made up."""

from __future__ import annotations

from rashomon.model import Article, Outlet, Paragraph


def make_article(
    article_id: str,
    title: str | None,
    paragraphs: list[str],
    published: str | None = None,
    outlet: str | None = None,
) -> Article:
    """An Article whose text is the title and paragraphs, with their spans."""
    text = f"{title}\n\n" if title else ""
    spans = []
    for paragraph in paragraphs:
        spans.append(Paragraph(len(text), len(text) + len(paragraph)))
        text += paragraph + "\n\n"
    return Article(
        id=article_id,
        path=article_id,
        text=text,
        title=title,
        title_span=(0, len(title)) if title else None,
        published=published,
        outlet=Outlet(outlet) if outlet else None,
        paragraphs=tuple(spans),
    )


# --- Event 1: an earthquake in Tarvona province, 12 May 2030 ----------------------------

QUAKE_TARVONA = [
    make_article(
        "quake1/harbour-post.txt",
        "Magnitude 6.4 earthquake kills at least 37 in Tarvona",
        [
            "A magnitude 6.4 earthquake struck Tarvona province before dawn on Sunday, killing at least 37 people and leaving hundreds homeless, the Tarvona emergency agency said.",
            "The quake's epicentre was near the mountain town of Elsk, about 40 km north of the provincial capital Brenmar, at a depth of 12 km.",
            "Governor Ilse Varnholt said rescue teams were searching the rubble of collapsed apartment blocks in Elsk and the nearby village of Oskvar.",
            "\"We are still counting, and I fear the number will rise,\" Varnholt told reporters in Brenmar.",
            "The emergency agency said 214 people had been injured and that 1,800 homes were damaged.",
        ],
        "2030-05-12",
        "Harbour Post",
    ),
    make_article(
        "quake1/daily-courier.txt",
        "Tarvona quake: rescuers dig through rubble in Elsk as toll rises",
        [
            "Rescuers in Elsk dug through the rubble of collapsed homes on Sunday after a powerful earthquake hit Tarvona province, killing 37 people.",
            "The magnitude 6.4 tremor was felt as far away as Brenmar, the provincial capital, where residents ran into the streets.",
            "Governor Ilse Varnholt warned that the toll was likely to rise as teams reached Oskvar and other remote villages.",
            "More than 200 people were hurt, according to the Tarvona emergency agency.",
        ],
        "2030-05-12",
        "Daily Courier",
    ),
    make_article(
        "quake1/evening-star.txt",
        "Elsk mourns its dead a day after the Tarvona earthquake",
        [
            "Families in Elsk buried their dead on Monday, a day after a 6.4 magnitude earthquake killed 37 people in Tarvona province.",
            "Tents for the homeless were set up on the football ground in Elsk, Governor Ilse Varnholt said, and aid convoys from Brenmar reached Oskvar overnight.",
            "The Tarvona emergency agency put the number of injured at 214.",
        ],
        "2030-05-13",
        "Evening Star",
    ),
]

# --- Event 2: another earthquake, in the Meskel valley, 3 September 2030 ------------------

QUAKE_MESKEL = [
    make_article(
        "quake2/harbour-post.txt",
        "Earthquake of magnitude 5.8 kills 12 in Meskel valley",
        [
            "An earthquake of magnitude 5.8 shook the Meskel valley on Tuesday afternoon, killing 12 people and injuring 90, the regional civil protection office said.",
            "Most of the victims were in the market town of Durrin, where the roof of a school gymnasium collapsed.",
            "Mayor Tomas Okkeli said rescue teams from Lindhaven had pulled nine survivors from the rubble.",
            "\"The school was empty, thank God, but the market was full,\" Okkeli said.",
        ],
        "2030-09-03",
        "Harbour Post",
    ),
    make_article(
        "quake2/daily-courier.txt",
        "Durrin counts its losses after Meskel valley quake",
        [
            "Residents of Durrin spent the night outdoors after a magnitude 5.8 earthquake killed 12 people in the Meskel valley on Tuesday.",
            "Mayor Tomas Okkeli said 90 people had been injured and that engineers from Lindhaven would inspect every school in the valley.",
            "The civil protection office said the quake struck at a depth of 9 km.",
        ],
        "2030-09-04",
        "Daily Courier",
    ),
]

# --- Event 3: a wire story carried by two outlets, and one outlet's own report ----------

_WIRE_BODY = [
    "KELDAR (Northwire) - The central bank of Keldar raised its main interest rate by half a percentage point to 7.25 percent on Thursday, its third increase this year, as inflation reached 9.4 percent in October.",
    "Governor Anneli Rask said the bank was ready to act again if prices kept rising faster than wages.",
    "\"We will not let inflation become a habit,\" Rask told a news conference in the capital, Sorvik.",
    "The decision was unanimous, the bank said in a statement, and took effect immediately.",
    "Economists polled by Northwire had expected a smaller increase of a quarter point.",
    "The Keldar krona rose 1.2 percent against the euro after the announcement.",
    "Finance Minister Jorin Vesk said the government supported the bank's independence and would present a tighter budget in December.",
    "Keldar's economy grew 0.3 percent in the third quarter, down from 0.9 percent in the second, official figures showed last week.",
]

RATE_RISE = [
    make_article(
        "rates/sorvik-herald.txt",
        "Keldar central bank raises rates to 7.25% as inflation bites",
        [*_WIRE_BODY, "(Reporting by Mira Holt; Editing by Sam Orr)"],
        "2030-11-14",
        "Sorvik Herald",
    ),
    make_article(
        "rates/coastal-times.txt",
        "Rask: 'We will not let inflation become a habit'",
        # the same wire copy under another headline, one paragraph trimmed, one added
        _WIRE_BODY[:5]
        + _WIRE_BODY[6:]
        + [
            "In Port Ensa, shop owners said the increase would make their loans dearer.",
            "(Reporting by Mira Holt; Editing by Sam Orr)",
        ],
        "2030-11-14",
        "Coastal Times",
    ),
    make_article(
        "rates/keldar-business.txt",
        "Third rate rise this year: what Rask's move means for borrowers",
        [
            "Mortgage holders in Keldar face higher payments after the central bank lifted its main rate to 7.25 percent on Thursday.",
            "Governor Anneli Rask, who has now raised rates three times this year, said inflation of 9.4 percent was hurting the poorest households most.",
            "Banks in Sorvik said they would pass the increase on to variable-rate loans from December.",
            "Finance Minister Jorin Vesk welcomed the decision and promised a tighter budget.",
        ],
        "2030-11-15",
        "Keldar Business",
    ),
]

# --- Unrelated news of the same week as the rate rise ------------------------------------

UNRELATED = [
    make_article(
        "misc/cup-final.txt",
        "Brenmar United win the cup after penalty shoot-out",
        [
            "Brenmar United beat FC Halden 5-4 on penalties to win the national cup on Saturday after a 2-2 draw in front of 41,000 fans.",
            "Goalkeeper Petra Lunde saved two penalties, and captain Erik Sand scored the winning kick.",
            "\"This club has waited 23 years for this night,\" coach Lars Fenholm said.",
        ],
        "2030-11-16",
        "Daily Courier",
    ),
    make_article(
        "misc/museum.txt",
        "Sorvik's new maritime museum opens its doors",
        [
            "A maritime museum built inside a disused shipyard hall opened in Sorvik on Friday, with the restored schooner Albatross as its centrepiece.",
            "Architect Noor Haddad said the hall's iron frame, built in 1887, had been kept as it was.",
            "Admission is free until the end of the year, the city council said.",
        ],
        "2030-11-15",
        "Sorvik Herald",
    ),
]

ALL = QUAKE_TARVONA + QUAKE_MESKEL + RATE_RISE + UNRELATED


def undated(article: Article) -> Article:
    """The same article without its publication date."""
    return make_article(
        article.id,
        article.title,
        article.paragraph_texts(),
        None,
        article.outlet.name if article.outlet else None,
    )
