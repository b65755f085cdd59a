"""The web app (``rashomon serve``): a local, read-only face over the store.

    from rashomon.web import create_app
    app = create_app("rashomon.db")        # an ASGI app; uvicorn, or any ASGI server, runs it

Pages (server-rendered with the HTML report's templates, no script but the report's own):
``/`` stories, newest first, with filters; ``/stories/ID`` one story compared side by side;
``/article?id=ID`` an article with its highlights, linked into its story; ``/outlets`` and
``/outlet?name=NAME``; ``/search?q=WORDS``; ``/api`` the API's documentation. The JSON API
under ``/api/`` serves the same data (``/api/openapi.json``). How comparisons are cached is
in :mod:`rashomon.web.data`; what the server refuses, and why, in :mod:`rashomon.web.security`.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable

from fastapi import FastAPI

from rashomon.errors import ConfigError
from rashomon.web.app import create_app
from rashomon.web.data import Site

__all__ = ["create_app", "serve", "warm"]

log = logging.getLogger("rashomon.web")


def warm(app: FastAPI) -> int:
    """Compare and cache every story of the app's store not cached yet; how many were."""
    site: Site = app.state.site
    return site.warm()


def serve(
    db: str,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    warm_cache: bool = False,
    hosts: Iterable[str] = (),
    nlp_pipeline: str | None = None,
) -> None:
    """Run the web app on ``host:port`` until interrupted. With ``warm_cache``, every story
    not compared yet is compared in the background while the server already answers."""
    import uvicorn

    from rashomon.store import open_store

    if "://" not in db and db != ":memory:" and not os.path.isfile(db):
        raise ConfigError(f"--db {db}: no such store; create one with `rashomon ingest PATH --db {db}`")
    # Opened once read-write, so that an older store is migrated before reads begin
    # (request-time connections are read-only and cannot).
    with open_store(db):
        pass
    app = create_app(db, hosts=[host, *hosts], nlp_pipeline=nlp_pipeline)
    if warm_cache:
        def run() -> None:
            try:
                n = warm(app)
                log.warning("rashomon: cache warm: %d stories compared", n)
            except Exception:  # the server goes on; each page computes what it needs
                log.exception("rashomon: warming the cache failed")

        threading.Thread(target=run, name="rashomon-warm", daemon=True).start()
    print(f"rashomon: serving {db} on http://{host if ':' not in host else f'[{host}]'}:{port}/ (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False,
                proxy_headers=False, date_header=False)
