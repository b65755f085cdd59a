"""What the web app shows, as data: the stories of the store, their comparisons, outlets.

One :class:`Site` backs every page and every API endpoint (the same function behind both,
as the CLI does). Reads go through a read-only store with a per-query time limit, opened
per request; results that are costly to compute are kept in the store itself
(:meth:`Store.put_derived`) through a separate, short-lived read-write store:

``stories`` (key: article count, newest article, version, clustering settings)
    the stored articles grouped into stories (:func:`rashomon.stories.cluster_articles`),
    with each article's title, outlet, country, ownership, date and content hash: enough to
    list, filter and count stories and outlets without reading an article.
``comparison`` (key: :func:`comparison_key`)
    the comparison's JSON record (``rashomon compare --format json``), served verbatim by
    the API.
``comparison-html`` (same key)
    the story page's body, rendered once by the autoescaping templates (the side-by-side
    view of 50 articles takes seconds to compare and over a second to render; cached, it is
    one row read).
``comparison-article`` (key: comparison key + "/" + a digest of the article id)
    one article's highlighted text, links pointing into the story page.
``comparison-digest`` (same key as ``comparison``)
    per article: whom it quotes, its framing words, the names it uses where outlets differ;
    what the outlet pages add up across stories.

The key of a comparison hashes the story's sorted article content hashes, Rashomon's
version, the cache format and the analysis settings, so a stale result is never read back:
a re-ingested article, a new version or another spaCy pipeline makes a new key.
Cached HTML was produced by our own templates with autoescape on; only Rashomon writes the
``derived`` table, and the page's Content-Security-Policy stands behind it all the same.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from rashomon import __version__
from rashomon.model import Article, Comparison, Story
from rashomon.store import SearchHit, Store, open_store

log = logging.getLogger("rashomon.web")

# Bumped whenever what is cached changes shape, so an old cache is never read as new.
CACHE_FORMAT = "web-1"
# Per-query limit on request-time reads: a pathological query fails instead of hanging.
QUERY_TIMEOUT_MS = 2000
# How many search hits one can page through (FTS ranks them all; nobody reads past this).
MAX_SEARCH = 1000
# Framing kinds an outlet page counts as its "typical labels".
LABEL_KINDS = ("label", "loaded", "scare_quote", "hedge", "attribution_verb")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


# --- the stories index ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """One article of a story, as the lists show it (no text).

    id: Article.id. title, published: as stored. outlet, country, ownership: the outlet's
    (None when unknown). wire: wire services credited. content_hash: Article.content_hash.
    """

    id: str
    title: str | None
    published: str | None
    outlet: str | None
    country: str | None
    ownership: str | None
    wire: tuple[str, ...]
    content_hash: str

    @classmethod
    def of(cls, a: Article) -> StoryArticle:
        o = a.outlet
        return cls(a.id, a.title, a.published, o.name if o else None, o.country if o else None,
                   o.ownership if o else None, a.wire_names, a.content_hash)


@dataclass(frozen=True, slots=True)
class StoryEntry:
    """A story of the store: :class:`rashomon.model.Story` with its articles' metadata.

    articles: in the story's (time) order. outlets, countries, ownerships: distinct, in
    order of first appearance, unknowns left out.
    """

    id: str
    title: str | None
    first: str | None
    last: str | None
    independent_sources: int
    confidence: float
    wire_groups: tuple[tuple[str, ...], ...]
    articles: tuple[StoryArticle, ...]

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.outlet for a in self.articles if a.outlet))

    @property
    def countries(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.country for a in self.articles if a.country))

    @property
    def ownerships(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a.ownership for a in self.articles if a.ownership))

    def record(self) -> dict[str, Any]:
        """The story as the API lists it (``rashomon stories --detail``'s fields and more)."""
        return {
            "id": self.id,
            "title": self.title,
            "first": self.first,
            "last": self.last,
            "articles": [
                {"id": a.id, "title": a.title, "published": a.published,
                 "outlet": {"name": a.outlet, "country": a.country, "ownership": a.ownership},
                 "wire": list(a.wire)}
                for a in self.articles
            ],
            "outlets": list(self.outlets),
            "countries": list(self.countries),
            "ownerships": list(self.ownerships),
            "independent_sources": self.independent_sources,
            "wire_groups": [list(g) for g in self.wire_groups],
            "confidence": self.confidence,
        }


def _entry(story: Story, by_id: dict[str, Article]) -> StoryEntry:
    return StoryEntry(
        id=story.id, title=story.title, first=story.first, last=story.last,
        independent_sources=story.independent_sources, confidence=story.confidence,
        wire_groups=story.wire_groups,
        articles=tuple(StoryArticle.of(by_id[aid]) for aid in story.articles),
    )


def _newest_first(entry: StoryEntry) -> tuple[int, str, str]:
    # Sorted ascending on this: dated stories by latest date, newest first; undated last.
    last = entry.last or entry.first
    return (0 if last else 1, "".join(chr(0x10FFFF - ord(c)) for c in (last or "")), entry.id)


@dataclass(frozen=True, slots=True)
class OutletEntry:
    """An outlet as the store knows it: its articles and the stories they belong to."""

    name: str
    country: str | None
    ownership: str | None
    articles: int
    stories: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryIndex:
    """Every story of the store, newest first, with lookups by story and by article."""

    key: str
    stories: tuple[StoryEntry, ...]
    by_id: dict[str, StoryEntry] = field(default_factory=dict)
    by_article: dict[str, StoryEntry] = field(default_factory=dict)

    @classmethod
    def build(cls, key: str, stories: Iterable[StoryEntry]) -> StoryIndex:
        ordered = tuple(sorted(stories, key=_newest_first))
        return cls(key, ordered, {s.id: s for s in ordered},
                   {a.id: s for s in ordered for a in s.articles})

    def to_json(self) -> str:
        return json.dumps({"format": CACHE_FORMAT, "stories": [
            {"id": s.id, "title": s.title, "first": s.first, "last": s.last,
             "independent_sources": s.independent_sources, "confidence": s.confidence,
             "wire_groups": [list(g) for g in s.wire_groups],
             "articles": [[a.id, a.title, a.published, a.outlet, a.country, a.ownership, list(a.wire),
                           a.content_hash] for a in s.articles]}
            for s in self.stories]}, ensure_ascii=False)

    @classmethod
    def from_json(cls, key: str, text: str) -> StoryIndex | None:
        """The index kept by :meth:`to_json`, or None when the text is not one (another
        cache format, or damaged): the caller then clusters again."""
        try:
            return cls._from_json(key, text)
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("the cached stories list cannot be read (%s); grouping the articles again", exc)
            return None

    @classmethod
    def _from_json(cls, key: str, text: str) -> StoryIndex | None:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT:
            return None
        return cls.build(key, (
            StoryEntry(
                id=s["id"], title=s["title"], first=s["first"], last=s["last"],
                independent_sources=s["independent_sources"], confidence=s["confidence"],
                wire_groups=tuple(tuple(g) for g in s["wire_groups"]),
                articles=tuple(StoryArticle(i, t, p, o, c, w, tuple(wire), h)
                               for i, t, p, o, c, w, wire, h in s["articles"]),
            )
            for s in data["stories"]
        ))

    def select(self, *, since: str | None = None, until: str | None = None, outlet: str | None = None,
               country: str | None = None) -> list[StoryEntry]:
        """The stories matching every filter given: dates overlapping [since, until] (an
        undated story matches no date filter), covered by the outlet, by the country."""
        out = []
        want_country = country.casefold() if country else None
        for s in self.stories:
            first, last = s.first or s.last, s.last or s.first
            if (since or until) and not first:
                continue
            if since and last is not None and last < since:
                continue
            if until and first is not None and first > until:
                continue
            if outlet and outlet not in s.outlets:
                continue
            if want_country and want_country not in {c.casefold() for c in s.countries}:
                continue
            out.append(s)
        return out

    def outlets(self) -> list[OutletEntry]:
        """Every outlet with stored articles, most articles first."""
        first: dict[str, StoryArticle] = {}  # the outlet's country and ownership, as stored
        stories: dict[str, Counter[str]] = {}
        for s in self.stories:
            for a in s.articles:
                if a.outlet is not None:
                    first.setdefault(a.outlet, a)
                    stories.setdefault(a.outlet, Counter())[s.id] += 1
        entries = [OutletEntry(name, a.country, a.ownership, sum(stories[name].values()), tuple(stories[name]))
                   for name, a in first.items()]
        return sorted(entries, key=lambda o: (-o.articles, o.name))

    def countries(self) -> list[str]:
        return sorted({c for s in self.stories for c in s.countries})


# --- the comparison cache ---------------------------------------------------------------


def comparison_key(entry: StoryEntry, settings: dict[str, str]) -> str:
    """The derived-result key of a story's comparison: its articles' content, the version,
    the cache format and the settings (see the module docstring)."""
    hashes = sorted(a.content_hash or f"id:{a.id}" for a in entry.articles)
    return _sha(json.dumps([hashes, __version__, CACHE_FORMAT, sorted(settings.items())]))


def article_key(comparison: str, article_id: str) -> str:
    return f"{comparison}/{_sha(article_id)[:24]}"


@dataclass(frozen=True, slots=True)
class Rendered:
    """What a comparison leaves in the cache (see the module docstring)."""

    record: str
    story_html: str
    article_html: dict[str, str]
    digest: dict[str, Any]


def comparison_digest(comparison: Comparison) -> dict[str, Any]:
    """Per article: the speakers it quotes, its framing words, and the names it uses for
    entities outlets name differently. Plain data, summed up by the outlet pages."""
    from rashomon.report.json import entity_labels
    from rashomon.report.terminal import clean, differs

    out: dict[str, dict[str, Any]] = {a.id: {"quotes": Counter(), "framing": Counter(), "names": []}
                                      for a in comparison.articles}
    for note in comparison.annotations:
        for q in note.quotes:
            if note.article in out:
                out[note.article]["quotes"][clean(q.speaker) or "(no speaker found)"] += 1
    for f in comparison.framing:
        if f.article in out and f.kind in LABEL_KINDS:
            out[f.article]["framing"][f"{f.kind}\t{clean(f.text)}"] += 1
    for e in comparison.entities:
        labels = entity_labels(e, comparison)
        if differs(labels):
            for aid, forms in labels.items():
                if aid in out:
                    out[aid]["names"].append([e.name, forms])
    return {aid: {"quotes": sorted(d["quotes"].items(), key=lambda t: (-t[1], t[0])),
                  "framing": sorted(([*k.split("\t", 1), n] for k, n in d["framing"].items()),
                                    key=lambda t: (-t[2], t[0], t[1])),
                  "names": d["names"]}
            for aid, d in out.items()}


# --- the site ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a list: ``items`` from ``offset``, ``total`` in all."""

    items: list[Any]
    total: int
    offset: int
    limit: int

    @property
    def next_offset(self) -> int | None:
        return self.offset + self.limit if self.offset + self.limit < self.total else None

    @property
    def prev_offset(self) -> int | None:
        return max(self.offset - self.limit, 0) if self.offset > 0 else None


def page_of(items: list[Any], offset: int, limit: int) -> Page:
    return Page(items[offset : offset + limit], len(items), offset, limit)


@dataclass(frozen=True, slots=True)
class OutletProfile:
    """An outlet page: what it covers, whom it quotes, its typical words and names.

    compared: how many of its stories have been compared (the rest count once they are).
    quotes: (speaker, quotes, stories). framing: (kind, text, uses). names: (entity, forms).
    """

    outlet: OutletEntry
    stories: list[StoryEntry]
    compared: int
    quotes: list[tuple[str, int, int]]
    framing: list[tuple[str, str, int]]
    names: list[tuple[str, tuple[str, ...], int]]


class Site:
    """The stories, comparisons, articles, outlets and search of one store.

    db: the store (path or URL). timeout_ms: per-query limit on request-time reads.
    nlp_pipeline: the spaCy pipeline comparisons use (None: the default).
    render: turns a fresh Comparison into what is cached (the web app passes its
    templates' renderer; see :mod:`rashomon.web.views`).
    """

    def __init__(self, db: str, *, render: Callable[[Comparison, StoryEntry], Rendered],
                 timeout_ms: int = QUERY_TIMEOUT_MS, nlp_pipeline: str | None = None) -> None:
        self.db = db
        self.timeout_ms = timeout_ms
        self.nlp_pipeline = nlp_pipeline
        self.settings = {"nlp.pipeline": nlp_pipeline or "default"}
        self._render = render
        self._index: StoryIndex | None = None
        self._index_lock = threading.Lock()
        # One comparison at a time: spaCy and the embedder are shared, and two requests
        # for the same story must not compute it twice.
        self._compare_lock = threading.Lock()
        self._nlp: Any = None

    # --- stores ---

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A read-only store with a per-query time limit, for one request."""
        store = open_store(self.db, read_only=True, timeout_ms=self.timeout_ms)
        try:
            yield store
        finally:
            store.close()

    def _keep(self, entries: Iterable[tuple[str, str, str]]) -> None:
        """Write derived results, all at once, through a short-lived read-write store."""
        with open_store(self.db) as store, store.transaction():
            for kind, key, payload in entries:
                store.put_derived(kind, key, payload)

    # --- stories ---

    def index(self, store: Store) -> StoryIndex:
        """The stories of the store: from memory, else the cache, else clustered now."""
        newest = store.articles(limit=1)
        key = _sha(json.dumps([store.count(), newest[0].id if newest else None,
                               newest[0].content_hash if newest else None, __version__, CACHE_FORMAT,
                               _story_settings()]))
        with self._index_lock:
            if self._index is not None and self._index.key == key:
                return self._index
            cached = store.get_derived("stories", key)
            index = StoryIndex.from_json(key, cached) if cached is not None else None
            if index is None:
                index = self._cluster(store, key)
                self._keep([("stories", key, index.to_json())])
            self._index = index
            return index

    def _cluster(self, store: Store, key: str) -> StoryIndex:
        from rashomon.stories import cluster_articles

        by_id: dict[str, Article] = {}
        offset = 0
        while page := store.articles(limit=1000, offset=offset):
            offset += len(page)
            for a in page:  # newest first: the latest article with an id wins, as in Store.get
                by_id.setdefault(a.id, a)
        stories = cluster_articles(by_id.values())
        log.info("grouped %d articles into %d stories", len(by_id), len(stories))
        return StoryIndex.build(key, (_entry(s, by_id) for s in stories))

    # --- comparisons ---

    def key(self, entry: StoryEntry) -> str:
        return comparison_key(entry, self.settings)

    def cached(self, store: Store, kind: str, entry: StoryEntry, article_id: str | None = None) -> str:
        """A cached result of the story's comparison, computing the comparison first if
        it is not cached yet (seconds for a large story; once)."""
        key = self.key(entry)
        full = article_key(key, article_id) if article_id is not None else key
        found = store.get_derived(kind, full)
        if found is not None:
            return found
        with self._compare_lock:
            found = store.get_derived(kind, full)  # computed while this request waited
            if found is not None:
                return found
            rendered = self._compare(store, entry)
            self._keep([
                ("comparison", key, rendered.record),
                ("comparison-html", key, rendered.story_html),
                ("comparison-digest", key, json.dumps(rendered.digest, ensure_ascii=False)),
                *(("comparison-article", article_key(key, aid), html) for aid, html in rendered.article_html.items()),
            ])
        if kind == "comparison":
            return rendered.record
        if kind == "comparison-html":
            return rendered.story_html
        if kind == "comparison-digest":
            return json.dumps(rendered.digest, ensure_ascii=False)
        if kind == "comparison-article" and article_id in rendered.article_html:
            return rendered.article_html[article_id]
        raise KeyError(f"no cached {kind} for story {entry.id}")

    def is_cached(self, store: Store, entry: StoryEntry) -> bool:
        return store.get_derived("comparison-digest", self.key(entry)) is not None

    def _compare(self, store: Store, entry: StoryEntry) -> Rendered:
        from rashomon.compare import compare_stored

        articles = [a for a in (store.get(x.id) for x in entry.articles) if a is not None]
        if self._nlp is None:
            from rashomon.nlp import load_pipeline

            self._nlp = load_pipeline(self.nlp_pipeline)
        log.info("comparing story %s (%d articles)", entry.id, len(articles))
        return self._render(compare_stored(store, articles, nlp=self._nlp), entry)

    def warm(self, on_story: Callable[[StoryEntry], None] | None = None) -> int:
        """Compute and cache every story's comparison not cached yet; how many were."""
        done = 0
        with self.reader() as store:
            index = self.index(store)
            for entry in index.stories:
                if not self.is_cached(store, entry):
                    self.cached(store, "comparison-digest", entry)
                    done += 1
                if on_story is not None:
                    on_story(entry)
        return done

    # --- articles, outlets, search ---

    def article(self, store: Store, article_id: str) -> Article | None:
        return store.get(article_id)

    def outlet(self, store: Store, name: str) -> OutletProfile | None:
        index = self.index(store)
        entry = next((o for o in index.outlets() if o.name == name), None)
        if entry is None:
            return None
        stories = [index.by_id[sid] for sid in entry.stories]
        quotes: Counter[str] = Counter()
        quoted_in: dict[str, set[str]] = {}
        framing: Counter[tuple[str, str]] = Counter()
        names: dict[tuple[str, tuple[str, ...]], int] = {}
        compared = 0
        for story in stories:
            cached = store.get_derived("comparison-digest", self.key(story))
            if cached is None:
                continue
            compared += 1
            digest = json.loads(cached)
            for a in story.articles:
                if a.outlet != name or a.id not in digest:
                    continue
                d = digest[a.id]
                for speaker, n in d["quotes"]:
                    quotes[speaker] += n
                    quoted_in.setdefault(speaker, set()).add(story.id)
                for kind, text, n in d["framing"]:
                    framing[(kind, text)] += n
                for entity, forms in d["names"]:
                    k = (entity, tuple(forms))
                    names[k] = names.get(k, 0) + 1
        return OutletProfile(
            outlet=entry, stories=stories, compared=compared,
            quotes=sorted(((s, n, len(quoted_in[s])) for s, n in quotes.items()), key=lambda t: (-t[1], t[0])),
            framing=sorted(((k, t, n) for (k, t), n in framing.items()), key=lambda t: (-t[2], t[0], t[1])),
            names=sorted(((e, f, n) for (e, f), n in names.items()), key=lambda t: (-t[2], t[0])),
        )

    def search(self, store: Store, query: str, offset: int, limit: int) -> Page:
        """Full-text search (the store escapes the query: it is words, never FTS syntax)."""
        wanted = min(offset + limit + 1, MAX_SEARCH)
        hits: list[SearchHit] = store.search(query, limit=wanted) if query.strip() else []
        total = len(hits) if len(hits) < wanted else wanted
        return Page(hits[offset : offset + limit], total, offset, limit)


def _story_settings() -> str:
    from rashomon.stories import StorySettings

    return repr(StorySettings())
