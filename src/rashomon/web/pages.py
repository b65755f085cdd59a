"""The HTML pages: stories, a story, an article, outlets, an outlet, search, the API's docs.

Each handler asks :class:`~rashomon.web.data.Site` for data and renders one template; the
API (``api.py``) asks for the same data. Query parameters are validated by FastAPI.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from rashomon.web.api import DATE, Limit, Offset, site_of
from rashomon.web.data import Page, page_of
from rashomon.web.views import render

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class Pager:
    """Links to the previous and next page of a list, and where this page stands."""

    prev: str | None
    next: str | None
    first: int
    last: int
    total: int
    more: bool = False


def pager(request: Request, page: Page, *, more: bool = False) -> Pager:
    def url(offset: int | None) -> str | None:
        if offset is None:
            return None
        params = {k: v for k, v in request.query_params.items() if k not in ("offset", "limit")}
        params |= {"offset": str(offset), "limit": str(page.limit)}
        return request.url.path + "?" + urlencode(params)

    return Pager(url(page.prev_offset), url(page.next_offset), min(page.offset + 1, page.total),
                 page.offset + len(page.items), page.total, more)


def html(template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(render(template, **context), status_code=status_code)


@dataclass(frozen=True, slots=True)
class Filters:
    since: str | None
    until: str | None
    outlet: str | None
    country: str | None

    @property
    def active(self) -> bool:
        return any((self.since, self.until, self.outlet, self.country))


@router.get("/", response_class=HTMLResponse)
def stories_page(
    request: Request,
    since: Annotated[str | None, Query(pattern=DATE)] = None,
    until: Annotated[str | None, Query(pattern=DATE)] = None,
    outlet: Annotated[str | None, Query(max_length=500)] = None,
    country: Annotated[str | None, Query(max_length=64)] = None,
    offset: Offset = 0,
    limit: Limit = 50,
) -> HTMLResponse:
    site = site_of(request)
    with site.reader() as store:
        index = site.index(store)
        articles = store.count()
    filters = Filters(since or None, until or None, outlet or None, country or None)
    stories = index.select(since=filters.since, until=filters.until, outlet=filters.outlet, country=filters.country)
    page = page_of(stories, offset, limit)
    return html("stories.html.j2", stories=page.items, pager=pager(request, page), filters=filters,
                outlets=index.outlets(), countries=index.countries(), articles=articles)


@router.get("/stories/{story_id}", response_class=HTMLResponse)
def story_page(request: Request, story_id: str) -> HTMLResponse:
    site = site_of(request)
    with site.reader() as store:
        entry = site.index(store).by_id.get(story_id)
        if entry is None:
            raise HTTPException(404, "No such story in this store.")
        body = site.cached(store, "comparison-html", entry)
    # The body was rendered, escaped, by our own templates when the story was compared.
    return html("story.html.j2", story=entry, body=Markup(body))


@router.get("/article", response_class=HTMLResponse)
def article_page(request: Request, article_id: Annotated[str, Query(alias="id", max_length=4000)]) -> HTMLResponse:
    site = site_of(request)
    with site.reader() as store:
        entry = site.index(store).by_article.get(article_id)
        article = site.article(store, article_id) if entry is not None else None
        if entry is None or article is None:
            raise HTTPException(404, "No such article in this store.")
        body = site.cached(store, "comparison-article", entry, article_id)
    return html("article.html.j2", article=article, story=entry, body=Markup(body))


@router.get("/outlets", response_class=HTMLResponse)
def outlets_page(request: Request, offset: Offset = 0, limit: Limit = 100) -> HTMLResponse:
    site = site_of(request)
    with site.reader() as store:
        outlets = site.index(store).outlets()
    page = page_of(outlets, offset, limit)
    return html("outlets.html.j2", outlets=page.items, pager=pager(request, page))


@router.get("/outlet", response_class=HTMLResponse)
def outlet_page(
    request: Request,
    name: Annotated[str, Query(max_length=500)],
    offset: Offset = 0,
    limit: Limit = 50,
) -> HTMLResponse:
    site = site_of(request)
    with site.reader() as store:
        profile = site.outlet(store, name)
    if profile is None:
        raise HTTPException(404, "No stored article comes from this outlet.")
    page = page_of(profile.stories, offset, limit)
    return html("outlet.html.j2", profile=profile, stories=page.items, pager=pager(request, page))


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    offset: Offset = 0,
    limit: Limit = 20,
) -> HTMLResponse:
    site = site_of(request)
    with site.reader() as store:
        index = site.index(store)
        page = site.search(store, q, offset, limit)
    hits = [(h, index.by_article.get(h.article_id)) for h in page.items]
    return html("search.html.j2", q=q, hits=hits, pager=pager(request, page, more=page.next_offset is not None))


@router.get("/api", response_class=HTMLResponse)
def api_page(request: Request) -> HTMLResponse:
    schema = request.app.openapi()
    endpoints = []
    for path, operations in schema.get("paths", {}).items():
        op = operations.get("get")
        if op is None:
            continue
        params = [(p["name"], p["in"], p.get("required", False), p.get("description", ""))
                  for p in op.get("parameters", [])]
        endpoints.append((path, op.get("summary", ""), op.get("description", ""), params))
    return html("api.html.j2", endpoints=endpoints)
