"""The packaged outlet registry, its lookups, and users' registry files."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from rashomon.errors import ConfigError
from rashomon.model import OWNERSHIP_KINDS
from rashomon.outlets import COLUMNS, KINDS, Registry, name_key

# Every country the packaged registry uses, by region; a new country must be placed here,
# so that the regional balance stays visible.
REGIONS: dict[str, set[str]] = {
    "North America": {"US", "CA"},
    "Latin America": {"MX", "BR", "AR", "CL", "CO", "PE", "EC", "VE", "CU"},
    "Western Europe": {
        "GB", "IE", "FR", "DE", "IT", "ES", "PT", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI",
        "GR", "VA",
    },
    "Eastern Europe and Russia": {
        "PL", "CZ", "SK", "HU", "RO", "BG", "RS", "HR", "EE", "LV", "LT", "UA", "BY", "RU",
    },
    "Caucasus and Central Asia": {"AM", "AZ", "KZ"},
    "Middle East": {"IR", "IL", "PS", "QA", "AE", "SA", "KW", "JO", "SY", "LB", "IQ", "TR"},
    "Africa": {
        "EG", "MA", "DZ", "TN", "NG", "ZA", "KE", "UG", "TZ", "RW", "ZW", "GH", "ET", "CG",
    },
    "South Asia": {"IN", "PK", "BD", "LK", "NP", "AF"},
    "East Asia": {"CN", "HK", "TW", "JP", "KR", "KP", "MN"},
    "Southeast Asia": {"SG", "MY", "ID", "PH", "TH", "VN", "MM", "KH"},
    "Oceania": {"AU", "NZ"},
}


def packaged_rows() -> list[dict[str, str]]:
    text = resources.files("rashomon").joinpath("data/outlets.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.load()


# --- the packaged data -----------------------------------------------------------------


def test_packaged_file_has_the_documented_columns() -> None:
    text = resources.files("rashomon").joinpath("data/outlets.csv").read_text(encoding="utf-8")
    assert tuple(text.splitlines()[0].split(",")) == COLUMNS


def test_packaged_registry_is_large_and_valid(registry: Registry) -> None:
    assert len(registry) >= 170
    assert len(registry) == len(packaged_rows())
    for row in packaged_rows():
        assert row["ownership"] in (*OWNERSHIP_KINDS, ""), row["name"]
        assert row["kind"] in KINDS, row["name"]
        assert row["source"], f"{row['name']} says nowhere where its facts come from"
        assert row["domains"], f"{row['name']} has no domain"
        assert (row["country"] and row["language"]) or row["name"] in {
            "France 24", "RFI", "Deutsche Welle", "Swissinfo",  # multilingual by design
        }
    for outlet in registry:
        assert outlet.country is None or len(outlet.country) == 2
        assert outlet.language is None or len(outlet.language) == 2


def test_no_name_alias_or_domain_is_claimed_twice() -> None:
    keys: Counter[str] = Counter()
    domains: Counter[str] = Counter()
    for row in packaged_rows():
        own = {name_key(row["name"])} | {name_key(a) for a in row["aliases"].split("|") if a}
        keys.update(own)
        domains.update(d for d in row["domains"].split("|") if d)
    assert [k for k, n in keys.items() if n > 1] == []
    assert [d for d, n in domains.items() if n > 1] == []


def test_every_region_is_covered() -> None:
    placed = {code: region for region, codes in REGIONS.items() for code in codes}
    per_region: Counter[str] = Counter()
    for row in packaged_rows():
        assert row["country"] in placed or not row["country"], f"place {row['country']} in REGIONS"
        per_region[placed.get(row["country"], "")] += 1
    for region in REGIONS:
        floor = 3 if region != "Caucasus and Central Asia" else 1
        assert per_region[region] >= floor, region


@pytest.mark.parametrize(
    ("name", "country", "ownership", "wire"),
    [
        ("Press TV", "IR", "state-controlled", False),
        ("Global News", "CA", "private", False),
        ("RT", "RU", "state-controlled", False),
        ("Sputnik", "RU", "state-controlled", False),
        ("TASS", "RU", "state-controlled", True),
        ("RIA Novosti", "RU", "state-controlled", True),
        ("Xinhua", "CN", "state-controlled", True),
        ("CGTN", "CN", "state-controlled", False),
        ("China Daily", "CN", "state-controlled", False),
        ("Global Times", "CN", "state-controlled", False),
        ("IRNA", "IR", "state-controlled", True),
        ("Tasnim News Agency", "IR", "state-controlled", True),
        ("Fars News Agency", "IR", "state-controlled", True),
        ("KCNA", "KP", "state-controlled", True),
        ("Al Jazeera", "QA", "state-controlled", False),
        ("TRT World", "TR", "state-controlled", False),
        ("Anadolu Agency", "TR", "state-controlled", True),
        ("BBC News", "GB", "public", False),
        ("CBC News", "CA", "public", False),
        ("ABC News (Australia)", "AU", "public", False),
        ("NPR", "US", "public", False),
        ("PBS", "US", "public", False),
        ("Deutsche Welle", "DE", "public", False),
        ("France 24", "FR", "public", False),
        ("NHK", "JP", "public", False),
        ("Reuters", "GB", "wire", True),
        ("Associated Press", "US", "wire", True),
        ("AFP", "FR", "wire", True),
        ("dpa", "DE", "wire", True),
        ("EFE", "ES", "wire", True),
        ("ANSA", "IT", "wire", True),
        ("Kyodo News", "JP", "wire", True),
        ("Yonhap", "KR", "wire", True),
        ("PTI", "IN", "wire", True),
        ("ANI", "IN", "wire", True),
        ("IANS", "IN", "wire", True),
        ("Bloomberg News", "US", "wire", True),
        ("United Press International", "US", "wire", True),
        ("Interfax", "RU", "wire", True),
        ("The New York Times", "US", "private", False),
    ],
)
def test_well_known_outlets(registry: Registry, name: str, country: str, ownership: str, wire: bool) -> None:
    outlet = registry.by_name(name)
    assert outlet is not None and outlet.name == name
    assert (outlet.country, outlet.ownership) == (country, ownership)
    assert registry.is_wire(outlet) is wire
    assert (outlet in registry.wires()) is wire


def test_press_tv_facts(registry: Registry) -> None:
    outlet = registry.by_name("Press TV")
    assert outlet is not None
    assert set(outlet.domains) == {"presstv.ir", "presstv.com", "presstv.co.uk"}
    assert outlet.signatures


def test_registry_is_immutable(registry: Registry) -> None:
    with pytest.raises(AttributeError):
        registry.entries = ()  # type: ignore[misc]
    assert Registry.load() is registry  # the packaged load is cached


# --- lookups ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.presstv.ir/Detail/2022/04/05/680001/Russia-Lavrov", "Press TV"),
        ("presstv.ir", "Press TV"),  # news-please's source_domain
        ("www.presstv.co.uk", "Press TV"),
        ("presstv.com/Detail/1", "Press TV"),
        ("https://globalnews.ca/news/8737551/russia-ukraine-peace-talks/", "Global News"),
        ("http://m.cnn.com/en/article", "CNN"),
        ("https://edition.cnn.com/2022/04/06/europe/x", "CNN"),
        ("https://amp.theguardian.com/world/2022/apr/06/x", "The Guardian"),
        ("HTTPS://WWW.BBC.CO.UK/news/world-europe-1", "BBC News"),
        ("https://www.reuters.com:443/world/europe/x", "Reuters"),
        ("https://www1.folha.uol.com.br/mundo/x", "Folha de S.Paulo"),  # longest domain wins
        ("https://noticias.uol.com.br/x", "UOL"),
        ("https://english.news.cn/20220406/x", "Xinhua"),
        ("https://abcnews.go.com/International/x", "ABC News"),
        ("https://www.abc.net.au/news/x", "ABC News (Australia)"),
    ],
)
def test_by_url(registry: Registry, url: str, expected: str) -> None:
    outlet = registry.by_url(url)
    assert outlet is not None and outlet.name == expected


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "https://example.org/news",
        "https://cnn.com.example.org/",  # a domain inside another host is not that domain
        "https://notpresstv.ir/",
        "https://go.com/",  # the parent of abcnews.go.com is not ABC News
        "http://[::1",
        "file:///tmp/article.html",
    ],
)
def test_by_url_unknown(registry: Registry, url: str) -> None:
    assert registry.by_url(url) is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Press TV", "Press TV"),
        ("PRESS TV", "Press TV"),
        ("PressTV", "Press TV"),
        ("The Guardian", "The Guardian"),
        ("guardian", "The Guardian"),
        ("Associated Press", "Associated Press"),
        ("The Associated Press", "Associated Press"),
        ("AP", "Associated Press"),
        ("Agence France-Presse", "AFP"),
        ("agence france presse", "AFP"),
        ("Al-Jazeera", "Al Jazeera"),
        ("al jazeera", "Al Jazeera"),
        ("New York Times", "The New York Times"),
        ("Sueddeutsche Zeitung", "Süddeutsche Zeitung"),
        ("Suddeutsche Zeitung", "Süddeutsche Zeitung"),
        ("Clarin", "Clarín"),
        ("  Global News ", "Global News"),
        ("Russia Today", "RT"),
    ],
)
def test_by_name(registry: Registry, name: str, expected: str) -> None:
    outlet = registry.by_name(name)
    assert outlet is not None and outlet.name == expected


@pytest.mark.parametrize("name", ["", "The", "Some Blog", "presstv.ir", "Reuters Foundation"])
def test_by_name_unknown(registry: Registry, name: str) -> None:
    assert registry.by_name(name) is None


@pytest.mark.parametrize(
    "signature",
    [
        "Press TV’s website can also be accessed at the following alternate addresses:",
        "Press TV's website can also be accessed at the following alternate addresses:",
        "PRESS TV’S WEBSITE CAN ALSO BE ACCESSED AT THE FOLLOWING  ALTERNATE\nADDRESSES",
    ],
)
def test_by_signature(registry: Registry, signature: str) -> None:
    text = "Lavrov said the talks would go on.\n\n" + signature + "\n\nwww.presstv.ir"
    match = registry.by_signature(text)
    assert match is not None and match.outlet.name == "Press TV"
    assert text[match.start : match.end].casefold().startswith("press tv")
    assert text[match.start : match.end].casefold().rstrip(":").endswith("addresses")


@pytest.mark.parametrize(
    "text",
    ["", "Press TV reported that the talks would go on.", "The website can also be accessed in Farsi."],
)
def test_by_signature_absent(registry: Registry, text: str) -> None:
    assert registry.by_signature(text) is None


def test_by_signature_takes_the_first_in_the_text(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "name,signatures\n"
        "Alpha Gazette,Alpha Gazette is published daily by Alpha\n"
        "Beta Herald,Beta Herald is an independent newspaper\n",
        encoding="utf-8",
    )
    reg = Registry.load([path])
    text = "x Beta Herald is an independent newspaper. y Alpha Gazette is published daily by Alpha."
    match = reg.by_signature(text)
    assert match is not None and match.outlet.name == "Beta Herald"
    assert text[match.start : match.end] == "Beta Herald is an independent newspaper"


# --- users' registry files -------------------------------------------------------------


def test_user_file_adds_and_overrides(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "name,domains,country,ownership,kind,aliases\n"
        "# a comment line\n"
        "Press TV,presstv.ir,IR,public,,\n"
        "Kyiv Daily Wire,kdw.example.org,UA,wire,,KDW\n"
        "Local Bugle,localbugle.example.com,gb,private,outlet,\n",
        encoding="utf-8",
    )
    reg = Registry.load([str(path)])
    assert len(reg) == len(Registry.load()) + 2
    press = reg.by_name("Press TV")
    assert press is not None and press.ownership == "public" and press.domains == ("presstv.ir",)
    assert reg.by_url("presstv.com") is None  # the user's row replaced the packaged one whole
    bugle = reg.by_url("https://www.localbugle.example.com/a")
    assert bugle is not None and bugle.name == "Local Bugle" and bugle.country == "GB"
    assert bugle.language is None and bugle.source is None  # never filled in by guess
    assert reg.is_wire("KDW") and not reg.is_wire("Local Bugle")
    assert "Kyiv Daily Wire" in {w.name for w in reg.wires()}


def test_later_user_file_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("name,country\nLocal Bugle,GB\n", encoding="utf-8")
    second.write_text("name,country\nlocal bugle,IE\n", encoding="utf-8")
    outlet = Registry.load([first, second]).by_name("Local Bugle")
    assert outlet is not None and outlet.country == "IE"


def test_user_file_with_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_bytes("\ufeffname,domains\r\nÉcho du Nord,echo.example.fr\r\n".encode())
    outlet = Registry.load([path]).by_url("echo.example.fr")
    assert outlet is not None and outlet.name == "Écho du Nord"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,ownership\nX News,statefunded\n", "bad.csv:2: unknown ownership 'statefunded'"),
        ("name,ownership\nX News,statefunded\n", "allowed: state-controlled, public, private, wire, nonprofit"),
        ("name,country\nX News,UK\n", "bad.csv:2: unknown country 'UK'"),
        ("name,country\nX News,QA1\n", "bad.csv:2: unknown country 'QA1'"),
        ("name,country\nX News,GBR\n", "ISO 3166-1 alpha-2"),
        ("name,language\nX News,english\n", "bad.csv:2: unknown language 'english'"),
        ("name,kind\nX News,agency\n", "bad.csv:2: unknown kind 'agency' for 'X News'; allowed: outlet, wire"),
        ("name,ownership,kind\nX News,wire,outlet\n", "bad.csv:2: 'X News' has ownership 'wire' but kind 'outlet'"),
        ("name,domains\nX News,https://x.example.com/news\n", "bad.csv:2: bad domain"),
        ("name,domains\nX News,localhost\n", "bad.csv:2: bad domain 'localhost'"),
        ("name,signatures\nX News,X News\n", "bad.csv:2: signature 'X News' for 'X News' is too short"),
        ("name,country\n,GB\n", "bad.csv:2: the name is empty"),
        ("name,country\nX News,GB\nThe X News,FR\n", "bad.csv:3: 'The X News' is already named on line 2"),
        ("name,colour\nX News,red\n", "bad.csv:1: unknown column 'colour'; allowed: name, aliases"),
        ("country,domains\nGB,x.example.com\n", "bad.csv:1: the header has no 'name' column"),
        ("name,name\nX,Y\n", "bad.csv:1: column 'name' appears twice"),
        ("name,country\nX News,GB,extra\n", "bad.csv:2: 3 fields where the header has 2"),
        ("name,country\nX News\n", "bad.csv:2: 1 fields where the header has 2"),
        ("", "bad.csv: the file is empty"),
        ("# only a comment\n", "bad.csv: the file is empty"),
    ],
)
def test_bad_user_file(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        Registry.load([path])
    text = str(info.value)
    assert "\n" not in text
    assert message in text.replace(str(tmp_path) + "/", "")


def test_missing_and_binary_user_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the outlet registry file"):
        Registry.load([tmp_path / "nope.csv"])
    binary = tmp_path / "latin1.csv"
    binary.write_bytes("name\nCaf\xe9 News\n".encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        Registry.load([binary])


def test_user_assigned_country_codes_are_allowed(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("name,country\nKoha Ditore,XK\n", encoding="utf-8")
    outlet = Registry.load([path]).by_name("Koha Ditore")
    assert outlet is not None and outlet.country == "XK"
