"""The web app's guard: which requests it answers at all, and the headers on every answer.

Rashomon renders text written by strangers (article bodies, titles, outlet names), and
``rashomon serve`` runs on the user's own machine, where any web page the user visits can
send requests to it. So:

- **Host header allowlist** (against DNS rebinding: a hostile page whose name resolves to
  127.0.0.1 still sends its own name as Host): only 127.0.0.1, localhost, [::1] and the
  names the server was told to answer to are served; anything else gets 400.
- **No cross-origin writes** (against CSRF): any method but GET and HEAD carrying a foreign
  ``Origin`` (or a ``Sec-Fetch-Site`` other than same-origin/none) is refused with 403; the
  app is read-only, so every other write ends as 405 from the router.
- **Headers**: a strict Content-Security-Policy (only our own script, style and images, no
  framing, no plugins, forms only to ourselves), ``nosniff``, no referrer.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
SAFE_METHODS = frozenset({"GET", "HEAD"})


def host_name(value: str) -> str:
    """The host part of a Host header ("localhost:8000" -> "localhost", "[::1]:80" -> "[::1]"),
    lower-cased."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[: end + 1] if end != -1 else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def allowed_hosts(extra: Iterable[str] = ()) -> frozenset[str]:
    """The local names plus ``extra`` (e.g. the --host the server binds), as Host names."""
    names = set(LOCAL_HOSTS)
    for name in extra:
        name = name.strip().lower()
        if not name or name in ("0.0.0.0", "::"):
            continue  # a wildcard bind address is no name a browser sends
        names.add(f"[{name}]" if ":" in name and not name.startswith("[") else name)
    return frozenset(names)


class Guard:
    """ASGI middleware enforcing the rules in the module docstring."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            # Nothing here speaks websockets; refuse the handshake.
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        # HEAD is answered as GET without the body (the routes are declared for GET).
        head = scope["method"] == "HEAD"

        async def send_with_headers(message: Message) -> None:
            if head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode("latin-1") not in present:
                        headers.append((name.lower().encode("latin-1"), value.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if host_name(host) not in self.hosts:
            response = PlainTextResponse(
                "unknown Host header: this Rashomon server answers only to "
                + ", ".join(sorted(self.hosts)) + " (start it with --host NAME to add one)\n",
                status_code=400,
            )
            await response(scope, receive, send_with_headers)
            return
        if scope["method"] not in SAFE_METHODS and _cross_origin(headers, scope.get("scheme", "http"), host):
            response = PlainTextResponse("cross-origin request refused\n", status_code=403)
            await response(scope, receive, send_with_headers)
            return
        await self.app({**scope, "method": "GET"} if head else scope, receive, send_with_headers)


def _cross_origin(headers: Headers, scheme: str, host: str) -> bool:
    origin = headers.get("origin")
    if origin is not None and origin.lower() != f"{scheme}://{host}".lower():
        return True
    site = headers.get("sec-fetch-site")
    return site is not None and site.lower() not in ("same-origin", "none")
