"""The JSON API: the pages' data, read-only, documented by OpenAPI (``/api/openapi.json``).

Lists are paginated the same way everywhere: ``offset`` and ``limit`` in, ``total``,
``offset``, ``limit``, ``next`` (the URL of the next page, or null) and ``items`` out.
A story's comparison is served as it was cached: the record of ``rashomon compare
--format json`` (shared/INTERFACE.md), byte for byte.

The pydantic models below document the answers (query parameters are validated by
FastAPI); the handlers build plain dicts and send them without a second validation pass.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict

from rashomon.web.data import Page, Site, StoryEntry, page_of
from rashomon.web.views import article_url, outlet_url, story_url

router = APIRouter(prefix="/api", tags=["api"])

Offset = Annotated[int, Query(ge=0, le=1_000_000, description="skip this many items")]
Limit = Annotated[int, Query(ge=1, le=200, description="items per page (at most 200)")]
DATE = r"^(\d{4}-\d{2}-\d{2})?$"


def inert(text: str) -> bytes:
    """JSON text as bytes, with ``<``, ``>`` and ``&`` written as ``\\u`` escapes: the same
    data, but no byte of it can be read as markup, whatever a client or an old browser
    sniffs (outside strings JSON has none of these characters). A lone surrogate, which
    UTF-8 cannot carry, is written as its ``\\u`` escape too."""
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub("[\\ud800-\\udfff]", lambda m: f"\\u{ord(m.group()):04x}", text).encode("utf-8")


class InertJSONResponse(JSONResponse):
    """A JSON answer passed through :func:`inert`."""

    def render(self, content: Any) -> bytes:
        return inert(json.dumps(content, ensure_ascii=False, separators=(",", ":")))


def json_text(text: str) -> Response:
    """An answer of JSON already written (a cached record), made inert."""
    return Response(inert(text), media_type="application/json")


# --- documented shapes ------------------------------------------------------------------


class OutletRef(BaseModel):
    name: str | None
    country: str | None
    ownership: str | None


class StoryArticleOut(BaseModel):
    id: str
    title: str | None
    published: str | None
    outlet: OutletRef
    wire: list[str]


class StoryOut(BaseModel):
    """A story: its articles, who covered it, and how many independent sources it has."""

    id: str
    title: str | None
    first: str | None
    last: str | None
    articles: list[StoryArticleOut]
    outlets: list[str]
    countries: list[str]
    ownerships: list[str]
    independent_sources: int
    wire_groups: list[list[str]]
    confidence: float
    url: str
    api: str


class Paginated(BaseModel):
    total: int
    offset: int
    limit: int
    next: str | None


class StoriesPage(Paginated):
    items: list[StoryOut]


class ComparisonOut(BaseModel):
    """The record of ``rashomon compare --format json`` (shared/INTERFACE.md)."""

    model_config = ConfigDict(extra="allow")
    articles: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    entities: list[dict[str, Any]]
    claims: list[dict[str, Any]]
    framing: list[dict[str, Any]]
    voices: list[dict[str, Any]]
    wire_groups: list[list[str]]
    settings: dict[str, str]


class StoryDetail(BaseModel):
    story: StoryOut
    comparison: ComparisonOut


class ArticleDetail(BaseModel):
    """An article as compared in its story: its record (sentences included), and the
    claims, quotes and framing findings that rest on it."""

    article: dict[str, Any]
    story: StoryOut
    claims: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    framing: list[dict[str, Any]]
    url: str


class OutletOut(BaseModel):
    name: str
    country: str | None
    ownership: str | None
    articles: int
    stories: int
    url: str
    api: str


class OutletsPage(Paginated):
    items: list[OutletOut]


class OutletDetail(Paginated):
    """An outlet: the stories it covers (paginated: ``items``), whom it quotes and its
    typical words, from the ``compared`` stories among them."""

    outlet: OutletOut
    compared: int
    quotes: list[dict[str, Any]]
    framing: list[dict[str, Any]]
    names: list[dict[str, Any]]
    items: list[StoryOut]


class SearchHitOut(BaseModel):
    article_id: str
    title: str | None
    snippet: str
    rank: int
    score: float
    story: str | None
    url: str


class SearchPage(Paginated):
    query: str
    items: list[SearchHitOut]


# --- helpers ------------------------------------------------------------------------------


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def story_record(s: StoryEntry) -> dict[str, Any]:
    return s.record() | {"url": story_url(s.id), "api": "/api" + story_url(s.id)}


def outlet_record(o: Any) -> dict[str, Any]:
    return {"name": o.name, "country": o.country, "ownership": o.ownership, "articles": o.articles,
            "stories": len(o.stories), "url": outlet_url(o.name), "api": "/api" + outlet_url(o.name)}


def next_url(request: Request, page: Page) -> str | None:
    if page.next_offset is None:
        return None
    params = dict(request.query_params) | {"offset": str(page.next_offset), "limit": str(page.limit)}
    return request.url.path + "?" + urlencode(params)


def paginated(request: Request, page: Page, items: list[Any], **extra: Any) -> Response:
    return InertJSONResponse({**extra, "total": page.total, "offset": page.offset, "limit": page.limit,
                         "next": next_url(request, page), "items": items})


def _none(value: str | None) -> str | None:
    return value or None


# --- endpoints ------------------------------------------------------------------------------


@router.get("/stories", response_model=StoriesPage, summary="The stories, newest first")
def api_stories(
    request: Request,
    since: Annotated[str | None, Query(pattern=DATE, description="only stories reported on or after this day (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, Query(pattern=DATE, description="only stories reported on or before this day (YYYY-MM-DD)")] = None,
    outlet: Annotated[str | None, Query(max_length=500, description="only stories this outlet covered (its exact name)")] = None,
    country: Annotated[str | None, Query(max_length=64, description="only stories an outlet of this country covered (ISO code)")] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> Response:
    """Every story of the store with its outlets, countries, ownership types and
    independent-source count; filters combine."""
    site = site_of(request)
    with site.reader() as store:
        index = site.index(store)
    stories = index.select(since=_none(since), until=_none(until), outlet=_none(outlet), country=_none(country))
    page = page_of(stories, offset, limit)
    return paginated(request, page, [story_record(s) for s in page.items])


@router.get("/stories/{story_id}", response_model=StoryDetail, summary="One story, compared")
def api_story(
    request: Request,
    story_id: Annotated[str, Path(max_length=200, description="the story's id, as /api/stories lists it")],
) -> Response:
    """The story and its comparison: shared, unique and conflicting facts, quotes and
    voices, entities with each outlet's labels, framing findings, wire copies. The first
    request for a story compares it (seconds); the result is cached in the store."""
    site = site_of(request)
    with site.reader() as store:
        entry = site.index(store).by_id.get(story_id)
        if entry is None:
            raise HTTPException(404, f"no story {story_id!r} in this store")
        record = site.cached(store, "comparison", entry)
    head = json.dumps(story_record(entry), ensure_ascii=False)
    return json_text('{"story": ' + head + ', "comparison": ' + record + "}\n")


@router.get("/article", response_model=ArticleDetail, summary="One article, as compared in its story")
def api_article(
    request: Request,
    article_id: Annotated[str, Query(alias="id", max_length=4000, description="the article's id (its path)")],
) -> Response:
    """The article's record (title, outlet, date, wire credits, removed lines, sentences with
    their spans) and every claim, quote and framing finding of its story's comparison that
    rests on it. Compares the story first when it is not cached yet."""
    site = site_of(request)
    with site.reader() as store:
        index = site.index(store)
        entry = index.by_article.get(article_id)
        if entry is None:
            raise HTTPException(404, f"no article {article_id!r} in this store")
        record = json.loads(site.cached(store, "comparison", entry))
    article = next((a for a in record["articles"] if a["id"] == article_id), None)
    if article is None:
        raise HTTPException(404, f"no article {article_id!r} in this store")
    return InertJSONResponse({
        "article": article,
        "story": story_record(entry),
        "claims": [c for c in record["claims"] if article_id in c.get("articles", ())],
        "quotes": [q for q in record["quotes"] if q["article"] == article_id],
        "framing": [f for f in record["framing"] if f["article"] == article_id],
        "url": article_url(article_id),
    })


@router.get("/outlets", response_model=OutletsPage, summary="The outlets with stored articles")
def api_outlets(request: Request, offset: Offset = 0, limit: Limit = 50) -> Response:
    """Every outlet that stored articles name, most articles first, with its country,
    ownership and how many articles and stories it has."""
    site = site_of(request)
    with site.reader() as store:
        outlets = site.index(store).outlets()
    page = page_of(outlets, offset, limit)
    return paginated(request, page, [outlet_record(o) for o in page.items])


@router.get("/outlet", response_model=OutletDetail, summary="One outlet: what it covers, whom it quotes, its words")
def api_outlet(
    request: Request,
    name: Annotated[str, Query(max_length=500, description="the outlet's name")],
    offset: Offset = 0,
    limit: Limit = 50,
) -> Response:
    """The outlet's stories (paginated), the speakers it quotes, its framing words and the
    names it uses where outlets differ, summed over its stories compared so far."""
    site = site_of(request)
    with site.reader() as store:
        profile = site.outlet(store, name)
    if profile is None:
        raise HTTPException(404, f"no outlet {name!r} among the stored articles")
    page = page_of(profile.stories, offset, limit)
    return paginated(
        request, page, [story_record(s) for s in page.items],
        outlet=outlet_record(profile.outlet), compared=profile.compared,
        quotes=[{"speaker": s, "quotes": n, "stories": k} for s, n, k in profile.quotes],
        framing=[{"kind": k, "text": t, "uses": n} for k, t, n in profile.framing],
        names=[{"entity": e, "forms": list(f), "stories": n} for e, f, n in profile.names],
    )


@router.get("/search", response_model=SearchPage, summary="Full-text search over titles and text")
def api_search(
    request: Request,
    q: Annotated[str, Query(max_length=500, description="words that must all occur; never query syntax")],
    offset: Offset = 0,
    limit: Limit = 20,
) -> Response:
    """Articles holding every word of ``q`` (in the title or the kept text), best first,
    each with a snippet and its story. Quotes, parentheses and operators are plain words."""
    site = site_of(request)
    with site.reader() as store:
        index = site.index(store)
        page = site.search(store, q, offset, limit)
    items = [{"article_id": h.article_id, "title": h.title, "snippet": h.snippet, "rank": h.rank,
              "score": h.score, "story": (s.id if (s := index.by_article.get(h.article_id)) else None),
              "url": article_url(h.article_id)} for h in page.items]
    return paginated(request, page, items, query=q)
