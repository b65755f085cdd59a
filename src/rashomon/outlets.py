"""The outlet registry: who published an article, and which wire services it credits.

The registry is a CSV table (``data/outlets.csv``, packaged) that users extend with their
own files of the same shape (``Registry.load(["mine.csv"])``). Columns, in any order:

    name        display name, unique ("Press TV"); the only required column
    aliases     other names, ``|``-separated ("PressTV")
    domains     registrable host names it publishes under, ``|``-separated
                ("presstv.ir|presstv.com"); subdomains match too, a leading "www." is dropped
    country     ISO 3166-1 alpha-2 code of the country it is based in ("IR")
    language    ISO 639-1 code of its main language ("en")
    ownership   one of model.OWNERSHIP_KINDS: state-controlled, public, private, wire, nonprofit
    kind        "outlet" or "wire" (a news agency whose copy other outlets run);
                empty means "wire" when ownership is "wire", else "outlet"
    signatures  phrases that identify the outlet inside an article's text, ``|``-separated,
                20 characters or more; straight and curly quotes, dashes and runs of
                spaces match one another, and case is ignored
    source      where the row's facts come from

Every field but ``name`` may be empty, and empty means unknown: nothing is ever filled in
by guess. ``ownership`` says who controls the editorial line. A news agency run by its
government (Xinhua, TASS, IRNA, Anadolu) is ``state-controlled`` with ``kind`` ``wire``; a
commercial, cooperative or statutorily independent agency (Reuters, AP, AFP, dpa) is
``wire`` with ``kind`` ``wire``. Lines whose first cell starts with ``#`` are comments.

A user row whose name (or an alias of it) matches a packaged row's name replaces that row
whole; user rows also win any alias or domain they share with a packaged row.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from rashomon.errors import ConfigError
from rashomon.model import OWNERSHIP_KINDS, Outlet, WireCredit

__all__ = [
    "COLUMNS",
    "KINDS",
    "Registry",
    "RegistryEntry",
    "SignatureMatch",
    "find_wire_credits",
    "identify_outlet",
    "is_credit_line",
    "name_key",
]

COLUMNS = ("name", "aliases", "domains", "country", "language", "ownership", "kind", "signatures", "source")
KINDS = ("outlet", "wire")
# A signature shorter than this would match articles that merely quote the outlet.
MIN_SIGNATURE_CHARS = 20

def _words(text: str) -> frozenset[str]:
    """The space-separated words of ``text``: long code tables read better as one string."""
    return frozenset(text.split())


# ISO 3166-1 alpha-2 and ISO 639-1 codes (as in Debian's iso-codes package), so that a typo in a
# user's file is refused rather than shown as a country nobody has heard of.
_COUNTRIES = _words(
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ "
    "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM "
    "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS "
    "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN "
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ "
    "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM "
    "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV "
    "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI "
    "VN VU WF WS YE YT ZA ZM ZW"
    # The user-assigned elements (AA, QM-QZ, XA-XZ, ZZ): "XK" is how most data sets write
    # Kosovo, and test fixtures use them for places that do not exist.
    " AA ZZ " + " ".join(f"Q{c}" for c in "MNOPQRSTUVWXYZ") + " " + " ".join(f"X{c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
)
_LANGUAGES = _words(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv "
    "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr "
    "ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw "
    "ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv "
    "ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr "
    "ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi "
    "yo za zh zu"
)
_DOMAIN = re.compile(r"^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$")


def name_key(name: str) -> str:
    """The lookup key of a name: case, accents, punctuation, spacing and a leading "The" ignored.

    "The Associated Press", "associated press" and "Associated-Press" share a key.
    """
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"^\s*the\s+", "", folded)
    return "".join(c for c in folded if c.isalnum())


@dataclass(frozen=True, slots=True)
class RegistryEntry:
    """One registry row: the outlet, the names it also goes by, and its kind.

    outlet: the Outlet handed to the rest of the pipeline.
    aliases: other names for it, as written in the file.
    kind: "outlet" or "wire".
    origin: "FILE:LINE" of the row, for messages.
    """

    outlet: Outlet
    aliases: tuple[str, ...] = ()
    kind: str = "outlet"
    origin: str = ""


@dataclass(frozen=True, slots=True)
class SignatureMatch:
    """An outlet's signature phrase found in a text, with its span."""

    outlet: Outlet
    start: int
    end: int


# --- reading registry files ----------------------------------------------------------------


def _split(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p.strip() for p in cell.split("|") if p.strip()))


def _row_entry(values: Mapping[str, str], where: str) -> RegistryEntry:
    """Validate one row; ``where`` is "FILE:LINE", the start of every error message."""
    name = values.get("name", "").strip()
    if not name_key(name):
        raise ConfigError(f"{where}: the name is empty; every row needs a name")
    domains: list[str] = []
    for raw in _split(values.get("domains", "")):
        domain = raw.lower().rstrip(".")
        domain = domain.removeprefix("www.")
        if not _DOMAIN.match(domain):
            raise ConfigError(
                f"{where}: bad domain {raw!r} for {name!r}; write a bare host name such as "
                "'example.com' (no scheme, path or port)"
            )
        domains.append(domain)
    country = values.get("country", "").strip().upper() or None
    if country is not None and country not in _COUNTRIES:
        raise ConfigError(
            f"{where}: unknown country {values['country'].strip()!r} for {name!r}; "
            "use an ISO 3166-1 alpha-2 code such as 'GB' or 'IR', or leave it empty"
        )
    language = values.get("language", "").strip().lower() or None
    if language is not None and language not in _LANGUAGES:
        raise ConfigError(
            f"{where}: unknown language {values['language'].strip()!r} for {name!r}; "
            "use an ISO 639-1 code such as 'en' or 'fa', or leave it empty"
        )
    ownership = values.get("ownership", "").strip().lower() or None
    if ownership is not None and ownership not in OWNERSHIP_KINDS:
        raise ConfigError(
            f"{where}: unknown ownership {values['ownership'].strip()!r} for {name!r}; "
            f"allowed: {', '.join(OWNERSHIP_KINDS)} (or empty when unknown)"
        )
    kind = values.get("kind", "").strip().lower() or ("wire" if ownership == "wire" else "outlet")
    if kind not in KINDS:
        raise ConfigError(
            f"{where}: unknown kind {values['kind'].strip()!r} for {name!r}; "
            f"allowed: {', '.join(KINDS)} (or empty)"
        )
    if kind == "outlet" and ownership == "wire":
        raise ConfigError(
            f"{where}: {name!r} has ownership 'wire' but kind 'outlet'; "
            "a wire service needs kind 'wire'"
        )
    signatures = _split(values.get("signatures", ""))
    for signature in signatures:
        if len(signature) < MIN_SIGNATURE_CHARS:
            raise ConfigError(
                f"{where}: signature {signature!r} for {name!r} is too short; a signature "
                f"needs {MIN_SIGNATURE_CHARS} characters or more, or it matches quotes of the outlet"
            )
    aliases = tuple(a for a in _split(values.get("aliases", "")) if name_key(a) != name_key(name))
    outlet = Outlet(
        name=name,
        domains=tuple(dict.fromkeys(domains)),
        country=country,
        language=language,
        ownership=ownership,
        signatures=signatures,
        source=values.get("source", "").strip() or None,
        kind=kind,
    )
    return RegistryEntry(outlet=outlet, aliases=aliases, kind=kind, origin=where)


def _parse(text: str, label: str) -> list[RegistryEntry]:
    """Parse registry CSV ``text``; ``label`` names the file in error messages."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    entries: list[RegistryEntry] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                unknown = [c for c in header if c not in COLUMNS]
                if unknown:
                    raise ConfigError(
                        f"{label}:{line}: unknown column {unknown[0]!r}; "
                        f"allowed: {', '.join(COLUMNS)}"
                    )
                if "name" not in header:
                    raise ConfigError(f"{label}:{line}: the header has no 'name' column; columns: {', '.join(COLUMNS)}")
                doubled = [c for c in header if header.count(c) > 1]
                if doubled:
                    raise ConfigError(f"{label}:{line}: column {doubled[0]!r} appears twice in the header")
                continue
            if len(row) != len(header):
                raise ConfigError(
                    f"{label}:{line}: {len(row)} fields where the header has {len(header)}; "
                    "quote a field that holds a comma"
                )
            entry = _row_entry(dict(zip(header, row, strict=True)), f"{label}:{line}")
            key = name_key(entry.outlet.name)
            if key in seen:
                raise ConfigError(
                    f"{label}:{line}: {entry.outlet.name!r} is already named on line {seen[key]}; "
                    "each outlet takes one row"
                )
            seen[key] = line
            entries.append(entry)
    except csv.Error as exc:
        raise ConfigError(f"{label}:{reader.line_num}: not valid CSV ({exc})") from exc
    if header is None:
        raise ConfigError(f"{label}: the file is empty; it needs a header line: {','.join(COLUMNS)}")
    return entries


def _read_user_file(path: str | Path) -> list[RegistryEntry]:
    label = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"{label}: cannot read the outlet registry file ({exc.strerror or exc})") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{label}: not UTF-8 text (byte {exc.start}); save the registry as UTF-8 CSV") from exc
    return _parse(text, label)


@functools.cache
def _packaged_entries() -> tuple[RegistryEntry, ...]:
    text = resources.files("rashomon").joinpath("data/outlets.csv").read_text(encoding="utf-8")
    return tuple(_parse(text, "rashomon/data/outlets.csv"))


@functools.cache
def _packaged_registry() -> Registry:
    return Registry.from_entries(_packaged_entries())


# --- flexible phrase patterns ------------------------------------------------------------

_APOSTROPHES = "'’‘ʼ`´′"
_QUOTES = "\"“”„«»″"
_DASHES = "-‐‑‒–—―"


def _flex(phrase: str, *, space: str = r"\s+") -> str:
    """A regex for ``phrase`` where any apostrophe, quote mark, dash or run of spaces
    matches any other: "Press TV's" is also "Press TV’s"."""
    parts: list[str] = []
    for token in re.split(r"(\s+)", phrase.strip()):
        if not token:
            continue
        if token.isspace():
            parts.append(space)
            continue
        for ch in token:
            if ch in _APOSTROPHES:
                parts.append(f"[{_APOSTROPHES}]")
            elif ch in _QUOTES:
                parts.append(f"[{_QUOTES}]")
            elif ch in _DASHES:
                parts.append(f"[{re.escape(_DASHES)}]")
            else:
                parts.append(re.escape(ch))
    return "".join(parts)


# --- the registry ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Registry:
    """The outlets Rashomon knows, with lookups by name, URL and in-text signature.

    Immutable once built; build it with ``Registry.load``. ``entries`` holds the rows in
    order: packaged rows not overridden, then the users' rows.
    """

    entries: tuple[RegistryEntry, ...]
    _by_key: Mapping[str, RegistryEntry] = field(repr=False, compare=False)
    _by_domain: Mapping[str, RegistryEntry] = field(repr=False, compare=False)
    _signatures: re.Pattern[str] | None = field(repr=False, compare=False)
    _signature_owners: tuple[RegistryEntry, ...] = field(repr=False, compare=False)
    _wire_pattern: str | None = field(repr=False, compare=False)
    _wire_names: Mapping[str, str] = field(repr=False, compare=False)

    @classmethod
    def load(cls, extra_files: Sequence[str | Path] = ()) -> Registry:
        """The packaged registry, extended (and overridden, row by row) by ``extra_files``.

        Raises ConfigError, naming the file and line, for a file that cannot be read or
        holds a value outside what the columns allow.
        """
        if not extra_files:
            return _packaged_registry()
        entries = list(_packaged_entries())
        for path in extra_files:
            for entry in _read_user_file(path):
                keys = {name_key(entry.outlet.name), *(name_key(a) for a in entry.aliases)}
                entries = [e for e in entries if name_key(e.outlet.name) not in keys]
                entries.append(entry)
        return cls.from_entries(entries)

    @classmethod
    def from_entries(cls, entries: Iterable[RegistryEntry]) -> Registry:
        """Build the lookups over ``entries``; on a shared alias or domain the later entry wins."""
        rows = tuple(entries)
        by_key: dict[str, RegistryEntry] = {}
        by_domain: dict[str, RegistryEntry] = {}
        for entry in rows:
            for alias in entry.aliases:
                by_key[name_key(alias)] = entry
        # Names after aliases: a name is never shadowed by another outlet's alias.
        for entry in rows:
            by_key[name_key(entry.outlet.name)] = entry
            for domain in entry.outlet.domains:
                by_domain[domain] = entry

        owners: list[RegistryEntry] = []
        alternatives: list[tuple[str, str]] = []
        for entry in rows:
            for signature in entry.outlet.signatures:
                alternatives.append((signature, f"s{len(owners)}"))
                owners.append(entry)
        # Longer phrases first, so that at one position the most specific signature wins.
        alternatives.sort(key=lambda alt: -len(alt[0]))
        signatures = (
            re.compile("|".join(f"(?P<{g}>{_flex(s)})" for s, g in alternatives), re.IGNORECASE)
            if alternatives
            else None
        )

        wire_names: dict[str, str] = {}
        surfaces: set[str] = set()
        for entry in rows:
            if entry.kind != "wire":
                continue
            for surface in (entry.outlet.name, *entry.aliases):
                # "CNA (Taiwan)" disambiguates a name; no credit is ever written that way.
                if "(" in surface:
                    continue
                surface = re.sub(r"^(?:the|The|THE)\s+", "", surface.strip())
                wire_names[name_key(surface)] = entry.outlet.name
                surfaces.update({surface, surface.upper()})
        wire_pattern = None
        if surfaces:
            alts = "|".join(_flex(s, space=r"[ \t]+") for s in sorted(surfaces, key=lambda s: (-len(s), s)))
            wire_pattern = rf"(?<![\w@])(?:(?:The|THE|the)[ \t]+)?(?:{alts})(?![\w@]|[-‐‑]\w|\.\w)"

        return cls(
            entries=rows,
            _by_key=MappingProxyType(by_key),
            _by_domain=MappingProxyType(by_domain),
            _signatures=signatures,
            _signature_owners=tuple(owners),
            _wire_pattern=wire_pattern,
            _wire_names=MappingProxyType(wire_names),
        )

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Outlet]:
        return (e.outlet for e in self.entries)

    def all(self) -> tuple[Outlet, ...]:
        """Every outlet, in registry order."""
        return tuple(e.outlet for e in self.entries)

    def entry(self, name: str) -> RegistryEntry | None:
        """The row for a name or alias (see ``by_name``), with its aliases and kind."""
        return self._by_key.get(name_key(name)) if name else None

    def by_name(self, name: str) -> Outlet | None:
        """The outlet with this name or alias, ignoring case, accents, punctuation and a
        leading "The": "the guardian", "Guardian" and "THE GUARDIAN" all find it."""
        entry = self.entry(name)
        return entry.outlet if entry else None

    def by_url(self, url: str) -> Outlet | None:
        """The outlet whose domain is the URL's host or a parent of it.

        Takes full URLs, scheme-less ones ("presstv.ir/Detail/1") and bare hosts, as
        news-please's ``source_domain`` gives them. The longest matching domain wins, so
        "folha.uol.com.br" is Folha, not UOL.
        """
        host = _host(url)
        if host is None:
            return None
        labels = host.split(".")
        for i in range(len(labels) - 1):
            entry = self._by_domain.get(".".join(labels[i:]))
            if entry is not None:
                return entry.outlet
        return None

    def by_signature(self, text: str) -> SignatureMatch | None:
        """The first (leftmost) outlet signature in ``text``, with its span, or None."""
        if self._signatures is None or not text:
            return None
        m = self._signatures.search(text)
        if m is None or m.lastgroup is None:
            return None
        owner = self._signature_owners[int(m.lastgroup[1:])]
        return SignatureMatch(owner.outlet, m.start(), m.end())

    def wires(self) -> tuple[Outlet, ...]:
        """The wire services (news agencies), in registry order."""
        return tuple(e.outlet for e in self.entries if e.kind == "wire")

    def is_wire(self, outlet: Outlet | str) -> bool:
        """Whether this outlet (or name) is a wire service in this registry."""
        entry = self.entry(outlet if isinstance(outlet, str) else outlet.name)
        return entry is not None and entry.kind == "wire"

    def _wire_name(self, surface: str) -> str | None:
        return self._wire_names.get(name_key(surface))


def _host(url: str) -> str | None:
    value = url.strip()
    if not value:
        return None
    if "://" not in value:
        value = "//" + value.lstrip("/")
    try:
        host = urlsplit(value).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def _looks_like_host(value: str) -> bool:
    """Whether a metadata "site name" is really a domain or URL ("presstv.ir")."""
    return "://" in value or bool(re.fullmatch(r"[\w-]+(?:\.[\w-]+)+(?::\d+)?(?:/\S*)?", value))


# --- which outlet published it -----------------------------------------------------------


def identify_outlet(
    registry: Registry,
    *,
    metadata_name: str | None = None,
    url: str | None = None,
    text: str = "",
    user_name: str | None = None,
) -> tuple[Outlet | None, str | None]:
    """The outlet that published an article, and how it was found.

    Priority: the metadata's site name (which may be a domain, as news-please's
    ``source_domain`` is) > the URL's domain > a signature phrase in the text > the name
    the user gave (``--outlet``). Returns (outlet, "metadata" | "url" | "signature" | "user").

    A registry hit from any of these beats a name the registry does not know, so an odd
    site name in the metadata does not hide a domain the registry knows. A name the registry
    does not know is kept as stated, ``Outlet(name=...)`` with nothing else assumed
    (metadata before user). Nothing found gives (None, None): unknown stays unknown.
    """
    meta = (metadata_name or "").strip()
    user = (user_name or "").strip()

    def lookup(name: str) -> Outlet | None:
        return registry.by_name(name) or (registry.by_url(name) if _looks_like_host(name) else None)

    # 1. registry hits, in priority order
    if meta and (outlet := lookup(meta)) is not None:
        return outlet, "metadata"
    if url and (outlet := registry.by_url(url)) is not None:
        return outlet, "url"
    if text and (match := registry.by_signature(text)) is not None:
        return match.outlet, "signature"
    if user and (outlet := lookup(user)) is not None:
        return outlet, "user"
    # 2. names the registry does not know, kept as stated and nothing more
    if meta:
        return Outlet(name=meta), "metadata"
    if user:
        return Outlet(name=user), "user"
    return None, None


# --- wire credits ------------------------------------------------------------------------

# Words that, near a credit-like phrase, make it a picture credit rather than a text credit.
_PICTURE = re.compile(
    r"\b(?:photos?|photographs?|photographer|pictures?|pics?|images?|video|footage|graphics?|"
    r"illustrations?|caption|credit|file|screenshot|screengrab|map|chart)\b",
    re.IGNORECASE,
)
# After a wire's name: a picture credit ("Reuters/Jane Doe", "AFP via Getty Images", "AP Photo").
_PICTURE_AFTER = re.compile(
    r"[ \t]*(?:/|\bvia\b|(?:file[ \t]+)?(?:photos?|pictures?|images?|video|graphics?)\b)", re.IGNORECASE
)
# Name-list words allowed in lower case in a credit clause ("Jane Doe in Kyiv and Reuters TV").
_CONNECTIVES = _words(
    "and in at from for of with the staff de da das do dos del della di du des la le van der den "
    "von al el bin ibn y e &"
)
_MONTHS = _words(
    "jan ene janv gen feb fev fév févr mar mars apr abr avr aprile may mai mag jun juin giu jul "
    "juil lug aug ago août set sep sept oct out ott okt nov dec dic déc dez"
)
_SEP = r"[ \t]*(?:/|,|&|\+|\band\b|\bAND\b)[ \t]*"


@functools.lru_cache(maxsize=32)
def _credit_patterns(wire: str) -> dict[str, re.Pattern[str]]:
    """Credit patterns over one registry's wire-name pattern ``wire`` (cached per registry)."""
    wires = f"{wire}(?:{_SEP}{wire})*"
    dash = r"(?:-{1,2}|[–—])"
    return {
        "wire": re.compile(wire),
        # "KYIV (Reuters) -", "(AP) —", "Paris (AFP)", "(AFP/Reuters)"
        "dateline": re.compile(rf"\([ \t]*(?P<list>{wires})[ \t]*\)"),
        # "Reporting by Reuters", "Additional reporting by AFP"
        "reporting": re.compile(
            r"(?:(?:Additional|additional|ADDITIONAL|Further|further)[ \t]+(?:reporting|Reporting|REPORTING)"
            r"|Reporting|REPORTING)[ \t]+(?:by|BY)[ \t]+(?P<clause>[^;()\[\]\n]+)"
        ),
        # "with files from The Associated Press", "— With files from Reuters"
        "with": re.compile(
            r"(?:With|with|WITH)[ \t]+(?:(?:additional|ADDITIONAL)[ \t]+)?"
            r"(?:files|reporting|input|contributions?|material|wires|FILES|REPORTING)[ \t]+"
            r"(?:from|by|FROM|BY)[ \t]+(?P<clause>[^;()\[\]\n]+)"
        ),
        # "Source: Reuters"
        "source": re.compile(rf"(?:Source|Sources|SOURCE|SOURCES)[ \t]*:[ \t]*(?P<list>{wires})"),
        # "Copyright 2022 The Associated Press", "© 2022 AFP"
        "copyright": re.compile(
            r"(?:(?:Copyright|COPYRIGHT)(?:[ \t]*(?:©|\([cC]\)))?[ \t]*(?:\d{4}(?:[ \t]*[-–][ \t]*\d{2,4})?[ \t]*)?"
            rf"|©[ \t]*\d{{4}}(?:[ \t]*[-–][ \t]*\d{{2,4}})?[ \t]*)(?P<list>{wires})"
        ),
        # "— Associated Press" closing a line
        "signoff": re.compile(rf"(?:^|(?<=\s)){dash}[ \t]*(?P<list>{wires})[ \t]*\.?[ \t]*$", re.MULTILINE),
        # "By Jane Doe, AFP", "By Reuters", "By JANE DOE | Associated Press"
        "byline": re.compile(
            r"^[ \t]*(?:By|BY)[ \t]+(?:(?P<names>[A-ZÀ-Þ][\w'’.-]*(?:[ \t]+(?:[A-ZÀ-Þ][\w'’.-]*|and|&|de|da|van|von|der|del|al|bin|le|la|di|du)){0,8})"
            rf"[ \t]*(?:,|\||[-–—])[ \t]*)?(?P<list>{wires})",
            re.MULTILINE,
        ),
        # "The Associated Press contributed to this report."
        "contributed": re.compile(
            r"[ \t]+contributed[ \t]+(?:to[ \t]+(?:this|the)[ \t]+(?:report|story|article)|reporting)\b"
        ),
    }


def _line_bounds(text: str, pos: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, len(text) if end == -1 else end


def _cue_starts_clause(text: str, pos: int) -> bool:
    """Whether a cue at ``pos`` opens a line, a bracket, a clause or a sentence: "Reporting
    by Reuters" there is a credit, while "reporting by Reuters showed" mid-sentence is not."""
    before = text[_line_bounds(text, pos)[0] : pos].rstrip(" \t")
    return not before or before[-1] in "([;,.!?|–—-•*"


def _names_like(clause: str) -> bool:
    """Whether ``clause`` reads as a list of names ("Jane Doe in Kyiv and Reuters TV"),
    not as a sentence ("Reuters showed that ..."): every word capitalised or a connective."""
    words = re.findall(r"[^\s,/&]+", clause)
    if not words or len(words) > 40:
        return False
    for word in words:
        bare = word.strip(".’'\"“”")
        if not bare:
            continue
        if bare.lower() in _CONNECTIVES:
            continue
        if not (bare[0].isupper() or bare[0].isdigit()) or any(c in bare for c in ":?!"):
            return False
    return True


def _first_sentence(clause: str) -> str:
    """``clause`` up to its first full stop that ends a word longer than an initial."""
    m = re.search(r"(?<=[^\s.]{2})\.(?:\s|$)", clause)
    return clause[: m.start()] if m else clause.rstrip(" \t")


def _picture_before(text: str, pos: int, reach: int = 40) -> bool:
    line_start = _line_bounds(text, pos)[0]
    return bool(_PICTURE.search(text[max(line_start, pos - reach) : pos]))


def _is_gloss(text: str, open_paren: int, acronym: str) -> bool:
    """Whether "(AFP)" at ``open_paren`` spells out the words before it, as in
    "Agence France-Presse (AFP)" or "Andhra Pradesh (AP)": a gloss, not a credit."""
    letters = re.sub(r"[^A-Za-z]", "", acronym).upper()
    if len(letters) < 2:
        return False
    words = re.findall(r"[^\s\-‐‑–]+", text[max(0, open_paren - 120) : open_paren])
    for n in range(1, min(len(words), 8) + 1):
        initials = "".join(w[0] for w in words[-n:] if w[0].isalpha()).upper()
        if initials == letters:
            return True
    return False


def _dateline_before(prefix: str) -> bool:
    """Whether ``prefix`` (line start to "(") reads as a dateline: "PARIS", "Kyiv, Ukraine",
    "WASHINGTON, April 6", "Madrid, 6 abr." and not as a sentence."""
    tokens = re.findall(r"[^\s,]+", prefix)
    if not tokens or len(tokens) > 8:
        return False
    for token in tokens:
        bare = token.strip(".")
        if not bare:
            return False
        if bare[0].isupper() or bare.isdigit() or bare.lower() in _MONTHS:
            continue
        return False
    return True


def _emit(
    registry: Registry,
    found: list[WireCredit],
    text: str,
    span: tuple[int, int],
    start: int,
    end: int | None = None,
) -> None:
    """Record every wire named in ``text[span[0]:span[1]]`` as a credit from ``start`` to
    ``end``, or to the end of each wire's name when ``end`` is None."""
    pattern = _credit_patterns(registry._wire_pattern or "")["wire"]
    for m in pattern.finditer(text, *span):
        name = registry._wire_name(m.group())
        if name is not None:
            found.append(WireCredit(name, start, m.end() if end is None else end))


def find_wire_credits(text: str, registry: Registry) -> list[WireCredit]:
    """The wire services the text credits, with the span of each credit, in text order.

    A credit is a dateline ("KYIV (Reuters) -", "(AP) —", a "(AFP)" line), a reporting
    line ("Reporting by Reuters", "Additional reporting by AFP"), "with files from ...",
    "Source: Reuters", a copyright line, a closing "— Associated Press", a byline ("By Jane
    Doe, AFP") or "... contributed to this report". Picture credits ("(Photo by Reuters)",
    "Photo: AFP", "Reuters/Jane Doe", "AFP via Getty Images", "(Reuters photo)") and plain
    mentions ("footage gathered by Reuters") are not credits: precision first, since a false
    credit would mark independent reporting as a wire copy. Wire names come from the
    registry's ``kind = wire`` rows, so a user's registry file can add one.

    Each span runs from the cue to the end of the wire's name: "(Reuters)", "Reporting by
    Reuters", "Copyright 2022 The Associated Press", "— Associated Press", "By Jane Doe, AFP";
    a parenthesis naming several wires ("(AP/AFP)") gives each the whole parenthesis.
    """
    if registry._wire_pattern is None or not text:
        return []
    pats = _credit_patterns(registry._wire_pattern)
    found: list[WireCredit] = []

    for m in pats["dateline"].finditer(text):
        line_start, line_end = _line_bounds(text, m.start())
        after = text[m.end() : line_end]
        prefix = text[line_start : m.start()]
        if _is_gloss(text, m.start(), m.group("list")) or _picture_before(text, m.start()):
            continue
        dashed = re.match(r"[ \t]*\.?[ \t]*(?:-{1,2}|[–—]|:)", after) is not None
        alone = not prefix.strip() and not after.strip(" \t.")
        last = not after.strip(" \t.") and not text[line_end:].strip()
        if dashed or alone or last or _dateline_before(prefix):
            # The parenthesis is the credit, for every wire it names.
            _emit(registry, found, text, m.span("list"), m.start(), m.end())

    for kind in ("reporting", "with"):
        for m in pats[kind].finditer(text):
            if not _cue_starts_clause(text, m.start()):
                continue
            clause = _first_sentence(m.group("clause"))
            if not _names_like(clause):
                continue
            lo = m.start("clause")
            _emit(registry, found, text, (lo, lo + len(clause)), m.start())

    for kind in ("source", "copyright"):
        for m in pats[kind].finditer(text):
            if _picture_before(text, m.start()) or _PICTURE_AFTER.match(text, m.end()):
                continue
            line_start, line_end = _line_bounds(text, m.start())
            if kind == "source" and not _cue_starts_clause(text, m.start()):
                continue
            # "Copyright AFP" without a year is as often a picture's credit: only a line of
            # its own ("Copyright AFP. All rights reserved.") counts.
            if kind == "copyright" and not re.search(r"\d{4}", m.group()) and (
                text[line_start : m.start()].strip() or not re.match(r"[ \t]*(?:$|[.;,])", text[m.end() : line_end])
            ):
                continue
            _emit(registry, found, text, m.span("list"), m.start())

    for m in pats["signoff"].finditer(text):
        # Only on a line of its own: "… in Kyiv. — AFP" closing a line is how captions credit.
        line_start = _line_bounds(text, m.start())[0]
        if not text[line_start : m.start()].strip():
            _emit(registry, found, text, m.span("list"), m.start())

    for m in pats["byline"].finditer(text):
        line_end = _line_bounds(text, m.start())[1]
        rest = text[m.end() : line_end]
        if _PICTURE_AFTER.match(rest) or not re.match(
            r"[ \t]*(?:$|[|,;•·–—-]|(?:Staff|staff|News|Newsroom|correspondents?|reporters?)\b)", rest
        ):
            continue
        start = m.start() + len(m.group()) - len(m.group().lstrip(" \t"))
        _emit(registry, found, text, m.span("list"), start)

    for m in pats["contributed"].finditer(text):
        line_start = _line_bounds(text, m.start())[0]
        head = text[line_start : m.start()]
        # The clause before the cue starts after the last sentence or clause break.
        cut = max((i.end() for i in re.finditer(r"(?<=[^\s.]{2})[.!?;](?:\s|$)|[(\[—–]", head)), default=0)
        while cut < len(head) and head[cut] in " \t":
            cut += 1
        if _names_like(head[cut:]):
            _emit(registry, found, text, (line_start + cut, m.start()), line_start + cut, m.end())

    # Stable sort: wires sharing one credit ("(AP/AFP)") stay in the order they are named.
    unique = dict.fromkeys(sorted(found, key=lambda c: (c.start, c.end)))
    return list(unique)


# --- whole credit lines ------------------------------------------------------------------

_CLAUSE_CREDIT = re.compile(
    r"^(?:(?:additional|further)\s+)?"
    r"(?:reporting|reported|writing|written|editing|edited|compiled|produced|research|researched|"
    r"translation|translated|graphics|design|fact-checking|fact-checked|sub-editing|production)"
    r"(?:\s+and\s+(?:reporting|writing|editing|graphics|research))?\s+by\s+(?P<names>.+)$",
    re.IGNORECASE,
)
_CLAUSE_WITH = re.compile(
    r"^with\s+(?:additional\s+)?(?:files|reporting|input|contributions?|material|wires)\s+(?:from|by)\s+(?P<names>.+)$",
    re.IGNORECASE,
)
_CLAUSE_CONTRIBUTED = re.compile(
    r"^(?P<names>.+?)\s+contributed\s+(?:to\s+(?:this|the)\s+(?:report|story|article)|reporting)$",
    re.IGNORECASE,
)
_CLAUSE_COPYRIGHT = re.compile(
    r"^(?:copyright\s*(?:©|\(c\))?|©)\s*(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*)?(?P<names>.+)$", re.IGNORECASE
)
_CLAUSE_BOILER = re.compile(
    r"^(?:all\s+rights\s+reserved|this\s+material\s+may\s+not\s+be\s+published.*)$", re.IGNORECASE
)


def is_credit_line(line: str, registry: Registry | None = None) -> bool:
    """Whether a whole line is a pure credit line, boilerplate to keep out of the analysed
    text: "(Reporting by Reuters; Editing by Conor Humphries)", "Reporting by Jane Doe;
    Editing by John Smith", "With files from The Canadian Press", "Copyright 2022 The
    Associated Press. All rights reserved.", "The Associated Press contributed to this report."

    With a registry it also accepts a line that only names wires: "(AFP)", "— Reuters",
    "Source: Reuters", "By Reuters". A picture credit ("(Photo by Reuters)") is not a credit
    line here: captions are the cleaner's business.
    """
    s = line.strip()
    if not s or len(s) > 400:
        return False
    while len(s) > 2 and s[0] + s[-1] in ("()", "[]"):
        s = s[1:-1].strip()
    s = re.sub(r"^(?:-{1,2}|[–—•*])\s*", "", s)
    clauses = [c.strip() for part in re.split(r"[;|]", s) for c in re.split(r"(?<=[^\s.]{2})\.\s+", part)]
    clauses = [c.rstrip(".").strip() for c in clauses if c.strip(" .")]
    if not clauses:
        return False
    wire = _credit_patterns(registry._wire_pattern)["wire"] if registry and registry._wire_pattern else None
    for clause in clauses:
        if _CLAUSE_BOILER.match(clause):
            continue
        m = (
            _CLAUSE_CREDIT.match(clause)
            or _CLAUSE_WITH.match(clause)
            or _CLAUSE_CONTRIBUTED.match(clause)
            or _CLAUSE_COPYRIGHT.match(clause)
        )
        if m is not None and _names_like(m.group("names")):
            continue
        if wire is not None:
            bare = re.sub(r"^(?:(?:source|sources)\s*:|by)\s*", "", clause, flags=re.IGNORECASE)
            if re.fullmatch(rf"{wire.pattern}(?:{_SEP}{wire.pattern})*", bare):
                continue
        return False
    return True
