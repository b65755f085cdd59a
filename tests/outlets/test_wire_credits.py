"""Wire credits: which wire services a text credits, where, and which lines are pure credits."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.outlets import Registry, find_wire_credits, is_credit_line


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


def credits(text: str, registry: Registry) -> list[tuple[str, str]]:
    found = find_wire_credits(text, registry)
    for credit in found:
        assert 0 <= credit.start < credit.end <= len(text)
    return [(c.name, text[c.start : c.end]) for c in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # datelines
        ("KYIV, Ukraine (Reuters) - Russia said on Wednesday", [("Reuters", "(Reuters)")]),
        ("LONDON, April 6 (Reuters) - Britain said", [("Reuters", "(Reuters)")]),
        ("WASHINGTON (AP) — President Joe Biden said", [("Associated Press", "(AP)")]),
        ("Paris (AFP) - France said", [("AFP", "(AFP)")]),
        ("Paris (AFP) France said on Tuesday", [("AFP", "(AFP)")]),
        ("The talks went on.\n(AFP)\n", [("AFP", "(AFP)")]),
        ("The talks went on, the minister said. (AFP)", [("AFP", "(AFP)")]),
        ("BERLIN (dpa) - Die Regierung", [("dpa", "(dpa)")]),
        ("Madrid, 6 abr (EFE).- El Gobierno", [("EFE", "(EFE)")]),
        ("(Bloomberg) -- Stocks fell", [("Bloomberg News", "(Bloomberg)")]),
        ("BEIJING, April 6 (Xinhua) -- China said", [("Xinhua", "(Xinhua)")]),
        ("MOSCOW, April 6 (TASS) - Russia", [("TASS", "(TASS)")]),
        ("TEHRAN (IRNA) – Iran said", [("IRNA", "(IRNA)")]),
        ("ANKARA (AA) - Turkey", [("Anadolu Agency", "(AA)")]),
        ("OTTAWA (CP) — The federal government", [("The Canadian Press", "(CP)")]),
        ("NEW DELHI (PTI) - India", [("PTI", "(PTI)")]),
        ("SEOUL, April 6 (Yonhap) -- South Korea", [("Yonhap", "(Yonhap)")]),
        ("KYIV (AP/AFP) — Ukraine", [("Associated Press", "(AP/AFP)"), ("AFP", "(AP/AFP)")]),
        ("GENEVA (REUTERS) - The U.N.", [("Reuters", "(REUTERS)")]),
        # reporting lines
        ("(Reporting by Reuters; Editing by Conor Humphries)", [("Reuters", "Reporting by Reuters")]),
        ("Additional reporting by AFP", [("AFP", "Additional reporting by AFP")]),
        (
            "Reporting by Jane Doe in Kyiv and Reuters TV; Writing by John Roe",
            [("Reuters", "Reporting by Jane Doe in Kyiv and Reuters")],
        ),
        (
            "(Reporting by Jane Doe; additional reporting by Reuters in Moscow; Editing by Alex Richardson)",
            [("Reuters", "additional reporting by Reuters")],
        ),
        ("Reporting by Reuters. Editing by John Smith", [("Reuters", "Reporting by Reuters")]),
        # files from
        ("with files from The Associated Press", [("Associated Press", "with files from The Associated Press")]),
        ("— With files from Reuters", [("Reuters", "With files from Reuters")]),
        (
            "With files from The Canadian Press and The Associated Press",
            [
                ("The Canadian Press", "With files from The Canadian Press"),
                ("Associated Press", "With files from The Canadian Press and The Associated Press"),
            ],
        ),
        # source, copyright, sign-off, byline, contributed
        ("Source: Reuters", [("Reuters", "Source: Reuters")]),
        ("Sources: AFP, Reuters", [("AFP", "Sources: AFP"), ("Reuters", "Sources: AFP, Reuters")]),
        (
            "Copyright 2022 The Associated Press. All rights reserved.",
            [("Associated Press", "Copyright 2022 The Associated Press")],
        ),
        ("© 2022 AFP", [("AFP", "© 2022 AFP")]),
        ("The talks went on.\n— Associated Press", [("Associated Press", "— Associated Press")]),
        ("The talks went on.\n-- REUTERS\n", [("Reuters", "-- REUTERS")]),
        ("By Jane Doe, AFP\nThe talks went on.", [("AFP", "By Jane Doe, AFP")]),
        ("By Reuters\nThe talks went on.", [("Reuters", "By Reuters")]),
        ("By Reuters Staff", [("Reuters", "By Reuters")]),
        (
            "By JANE DOE and JOHN ROE | Associated Press",
            [("Associated Press", "By JANE DOE and JOHN ROE | Associated Press")],
        ),
        (
            "The Associated Press contributed to this report.",
            [("Associated Press", "The Associated Press contributed to this report")],
        ),
        (
            "He spoke. Jane Doe and Reuters contributed to this report.",
            [("Reuters", "Jane Doe and Reuters contributed to this report")],
        ),
    ],
)
def test_credits(registry: Registry, text: str, expected: list[tuple[str, str]]) -> None:
    assert credits(text, registry) == expected


@pytest.mark.parametrize(
    "text",
    [
        # picture and video credits
        "Lavrov attends a news conference in Moscow. (Photo by Reuters)",
        "Photo: AFP",
        "Reuters/Jane Doe",
        "Smoke rises over Kyiv. Reuters/Jane Doe",
        "A man walks past a destroyed building. AFP via Getty Images",
        "A destroyed building in Bucha (Reuters photo)",
        "(AP Photo/Evan Vucci)",
        "Image source: Reuters",
        "Photo source: AFP",
        "Source: Reuters/Jane Doe",
        "Source: AFP via Getty Images",
        "Photo: © 2022 AFP",
        "Photo: Copyright AFP",
        "Soldiers stand guard in Karachi. — AFP",
        "Video: Reuters",
        "Source: Reuters graphic",
        # mentions, not credits
        "images and witness testimony gathered by Reuters and other media organizations",
        "Kyiv and the West say there is evidence gathered by Reuters that Russia committed war crimes.",
        "He told Reuters on Tuesday that the talks had stalled.",
        "Reuters reported — citing three sources — that the talks had stalled.",
        "According to reporting by Reuters, the talks had stalled.",
        "Reporting by Reuters showed that the army had withdrawn.",
        "Investigative reporting by the Associated Press found dozens of cases.",
        "Agence France-Presse (AFP) reported that the talks had stalled.",
        "Officials in Andhra Pradesh (AP) said the talks had stalled.",
        "The ministry said (Reuters) would be barred.\nMore text follows.",
        "By the time Reuters arrived, the town was empty.",
        "By Tuesday, Reuters had learned of the plan.",
        "By Jane Doe\nThe talks went on.",
        "The Reuters Institute published its annual report.",
        "The APT group (AP) attacked",
        "She works with files from the archive.",
        "Copyright law protects AFP photographs.",
        "",
    ],
)
def test_not_credits(registry: Registry, text: str) -> None:
    assert credits(text, registry) == []


def test_credits_are_in_text_order(registry: Registry) -> None:
    text = (
        "KYIV (AP) — Ukraine said talks went on.\n\n"
        "Officials spoke on Tuesday.\n\n"
        "(Reporting by Reuters; Editing by Conor Humphries)\n"
        "Additional reporting by AFP\n"
    )
    assert credits(text, registry) == [
        ("Associated Press", "(AP)"),
        ("Reuters", "Reporting by Reuters"),
        ("AFP", "Additional reporting by AFP"),
    ]


def test_a_users_wire_is_recognised(tmp_path: Path) -> None:
    path = tmp_path / "wires.csv"
    path.write_text("name,aliases,kind\nKyiv Daily Wire,KDW,wire\nLocal Bugle,,outlet\n", encoding="utf-8")
    reg = Registry.load([path])
    text = "KYIV (KDW) - The talks went on.\nReporting by Local Bugle\n"
    assert credits(text, reg) == [("Kyiv Daily Wire", "(KDW)")]
    assert credits(text, Registry.load()) == []


def test_global_news_style_article(registry: Registry) -> None:
    # Written for this test after the pattern of a Global News article carrying Reuters copy.
    text = (
        "The Kremlin said on Wednesday that peace talks were not progressing quickly.\n"
        "Kyiv and the West say there is evidence, including images and witness testimony gathered "
        "by Reuters and other media organizations, of war crimes.\n"
        "Get breaking National news\n"
        "Ukrainian forces have mounted stiff resistance.\n"
        "(Reporting by Reuters; Editing by Conor Humphries)\n"
        "- How Trump may bypass U.S. Senate to appoint cabinet picks\n"
        "Comments"
    )
    assert credits(text, registry) == [("Reuters", "Reporting by Reuters")]


def test_press_tv_style_article(registry: Registry) -> None:
    # Written for this test after the pattern of a Press TV article with a Reuters photo.
    text = (
        "News   /   Russia\n\n"
        "West seeks to derail talks: Lavrov\n\n"
        "Lavrov attends a news conference in Moscow, Russia, on March 24, 2022. (Photo by Reuters)\n\n"
        "Lavrov has accused the West of seeking to sabotage negotiations.\n\n"
        "Press TV’s website can also be accessed at the following alternate addresses:\n"
    )
    assert credits(text, registry) == []


@pytest.mark.parametrize(
    "line",
    [
        "(Reporting by Reuters; Editing by Conor Humphries)",
        "Reporting by Jane Doe; Editing by John Smith",
        "Reporting by Jane Doe in Kyiv and John Roe in Moscow; Writing by Tom Balmforth; Editing by Alex Richardson",
        "Additional reporting by AFP",
        "[Editing by Mark Heinrich]",
        "Writing by Jane Doe. Editing by John F. Smith.",
        "— With files from Reuters",
        "With files from The Canadian Press",
        "Copyright 2022 The Associated Press. All rights reserved.",
        "The Associated Press contributed to this report.",
        "Compiled by Jane Doe",
    ],
)
def test_credit_lines(line: str, registry: Registry) -> None:
    assert is_credit_line(line)
    assert is_credit_line(line, registry)


@pytest.mark.parametrize("line", ["(AFP)", "— Associated Press", "Source: Reuters", "By Reuters", "(AP/AFP)"])
def test_wire_only_lines_need_the_registry(line: str, registry: Registry) -> None:
    assert not is_credit_line(line)
    assert is_credit_line(line, registry)


@pytest.mark.parametrize(
    "line",
    [
        "",
        "(Photo by Reuters)",
        "Reuters/Jane Doe",
        "Reporting by Reuters showed that the army had withdrawn.",
        "Editing by hand is slow.",
        "The Kremlin said on Wednesday that peace talks were not progressing.",
        "Kyiv and the West say there is evidence gathered by Reuters.",
        "(Reporting by Reuters; Editing by Conor Humphries) The Kremlin said the talks were slow.",
        "KYIV (Reuters) - Russia said on Wednesday",
        "Get breaking National news",
        "Source: the Ministry of Health said",
    ],
)
def test_not_credit_lines(line: str, registry: Registry) -> None:
    assert not is_credit_line(line, registry)
