"""The web app's factory: ``create_app(db)`` returns the ASGI app ``rashomon serve`` runs.

1. a :class:`~rashomon.web.data.Site` over the store (read-only reads, cached comparisons);
2. the guard (Host allowlist, no cross-origin writes, security headers on every answer);
3. the pages, the JSON API and the static assets (our own files only, from the package);
4. error answers in words, HTML for pages and JSON for the API, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import cache
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from rashomon import __version__
from rashomon.errors import RashomonError, StoreError
from rashomon.web import api, pages
from rashomon.web.data import QUERY_TIMEOUT_MS, Site
from rashomon.web.security import SECURITY_HEADERS, Guard, allowed_hosts
from rashomon.web.views import render, render_comparison

log = logging.getLogger("rashomon.web")

# The only files served under /static: name -> (package, file, media type).
STATIC = {
    "report.css": ("rashomon.report", "templates/report.css", "text/css; charset=utf-8"),
    "report.js": ("rashomon.report", "templates/report.js", "text/javascript; charset=utf-8"),
    "web.css": ("rashomon.web", "static/web.css", "text/css; charset=utf-8"),
    "favicon.svg": ("rashomon.web", "static/favicon.svg", "image/svg+xml"),
}


@cache
def _static(name: str) -> bytes:
    package, path, _ = STATIC[name]
    return resources.files(package).joinpath(path).read_bytes()


def create_app(
    db: str,
    *,
    hosts: Iterable[str] = (),
    timeout_ms: int = QUERY_TIMEOUT_MS,
    nlp_pipeline: str | None = None,
) -> FastAPI:
    """The web app over the store ``db``.

    hosts: names the app answers to besides 127.0.0.1, localhost and [::1] (the Host
    header is checked against them). timeout_ms: the limit on each request-time query.
    nlp_pipeline: the spaCy pipeline comparisons use (None: the default).
    """
    app = FastAPI(
        title="Rashomon",
        version=__version__,
        description="How each outlet told one story: stories, comparisons, articles, outlets, search.",
        # Swagger UI and ReDoc load from a CDN; /api documents the API from the schema instead.
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    # 1. the data
    app.state.site = Site(db, render=render_comparison, timeout_ms=timeout_ms, nlp_pipeline=nlp_pipeline)
    # 2. the guard
    app.add_middleware(Guard, hosts=allowed_hosts(hosts))
    # 3. routes
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.get("/static/{name}", include_in_schema=False)
    def static(name: str) -> Response:
        if name not in STATIC:
            raise StarletteHTTPException(404, "No such file.")
        return Response(_static(name), media_type=STATIC[name][2], headers={"Cache-Control": "no-cache"})

    # 4. errors
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _bad_request)  # type: ignore[arg-type]
    app.add_exception_handler(RashomonError, _library_error)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _server_error)
    return app


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, message: str, headers: dict[str, str] | None = None,
           details: list[str] | None = None) -> Response:
    if _is_api(request):
        body: dict[str, object] = {"error": message, "status": status}
        if details:
            body["details"] = details
        return api.InertJSONResponse(body, status_code=status, headers=headers)
    text = message if not details else f"{message}: {'; '.join(details)}"
    return Response(render("error.html.j2", status=status, message=text), status_code=status,
                    media_type="text/html; charset=utf-8", headers=headers)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    if exc.status_code == 405:
        message = "This server is read-only: only GET and HEAD are answered."
    elif isinstance(exc.detail, str) and exc.detail:
        message = exc.detail  # our own words (the API's quote the id asked for: JSON, escaped)
    else:
        message = "The request could not be answered."
    return _error(request, exc.status_code, message, headers=dict(exc.headers or {}))


async def _bad_request(request: Request, exc: RequestValidationError) -> Response:
    # Name the parameter and the rule; never echo the value back.
    details = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path"))
        if err.get("type") == "string_pattern_mismatch" and where in ("since", "until"):
            details.append(f"{where}: a date as YYYY-MM-DD, e.g. 2031-03-04")
        else:
            details.append(f"{where}: {err.get('msg', 'invalid')}")
    return _error(request, 400, "Bad parameter", details=details)


async def _library_error(request: Request, exc: RashomonError) -> Response:
    if isinstance(exc, StoreError):
        log.error("store error: %s", exc)
        return _error(request, 503, "The store could not answer in time (or could not be read); try again.")
    log.error("error: %s", exc)
    return _error(request, 500, "Rashomon could not build this page.")


async def _server_error(request: Request, exc: Exception) -> Response:
    # Logged for the person running the server; the browser gets words, not a traceback.
    log.exception("unexpected error on %s", request.url.path)
    response = _error(request, 500, "Something went wrong on the server; the log says what.")
    # This answer comes from outside the guard's reach (Starlette's outermost middleware).
    response.headers.update(SECURITY_HEADERS)
    return response
