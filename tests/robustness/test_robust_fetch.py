"""Safe fetching: address policy on every hop, schemes, redirects, size and time limits.

No network: an httpx.MockTransport answers, and a dict stands in for DNS.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable, Iterator

import httpx
import pytest

from rashomon.errors import InputError
from rashomon.fetch import (
    BlockedURLError,
    FetchError,
    FetchLimitError,
    FetchLimits,
    UnsupportedContentError,
    check_address,
    fetch,
)

PUBLIC = "93.184.216.34"
PAGE = b"<html><head><title>Dam</title></head><body><p>The dam failed.</p></body></html>"

DNS = {
    "news.example": [PUBLIC],
    "other.example": ["2606:4700::1111"],
    "intranet.example": ["10.1.2.3"],
    "metadata.example": ["169.254.169.254"],
    "mixed.example": [PUBLIC, "127.0.0.1"],
    "mapped.example": ["::ffff:127.0.0.1"],
}


def resolver(host: str, port: int) -> list[str]:
    try:
        return DNS[host]
    except KeyError:
        raise OSError(f"unknown host {host}") from None


class Server:
    """A MockTransport handler that records the requests it sees."""

    def __init__(self, routes: dict[str, Callable[[httpx.Request], httpx.Response]]) -> None:
        self.routes = routes
        self.seen: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(str(request.url))
        handler = self.routes.get(f"{request.url.host}{request.url.path}")
        if handler is None:
            return httpx.Response(404)
        return handler(request)

    def fetch(self, url: str, **kw: object) -> object:
        return fetch(url, transport=httpx.MockTransport(self), resolver=resolver, **kw)  # type: ignore[arg-type]


def page(body: bytes = PAGE, ctype: str = "text/html; charset=utf-8", **headers: str) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _req: httpx.Response(200, headers={"content-type": ctype, **headers}, content=body)


def redirect(to: str, status: int = 302) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _req: httpx.Response(status, headers={"location": to})


def streamed(chunks: list[bytes], **headers: str) -> Callable[[httpx.Request], httpx.Response]:
    """A response whose body arrives in chunks, as from a socket (not pre-read by httpx)."""

    def handler(_req: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/html", **headers}, content=iter(chunks))

    return handler


# --- what works -------------------------------------------------------------------------


def test_fetches_a_public_page_with_its_charset() -> None:
    server = Server({"news.example/a": page(ctype="text/html; charset=ISO-8859-1")})
    doc = server.fetch("https://news.example/a")
    assert doc.body == PAGE  # type: ignore[attr-defined]
    assert doc.content_type == "text/html" and doc.charset == "iso-8859-1"  # type: ignore[attr-defined]
    assert doc.final_url == "https://news.example/a"  # type: ignore[attr-defined]


def test_follows_a_redirect_to_a_public_host_and_reports_the_final_url() -> None:
    server = Server({"news.example/old": redirect("https://other.example/new"), "other.example/new": page()})
    doc = server.fetch("https://news.example/old")
    assert doc.final_url == "https://other.example/new"  # type: ignore[attr-defined]
    assert doc.url == "https://news.example/old"  # type: ignore[attr-defined]


def test_gzip_body_is_decompressed_including_several_members() -> None:
    body = gzip.compress(b"<p>one</p>") + gzip.compress(b"<p>two</p>")
    server = Server({"news.example/z": streamed([body[:7], body[7:]], **{"content-encoding": "gzip"})})
    assert server.fetch("https://news.example/z").body == b"<p>one</p><p>two</p>"  # type: ignore[attr-defined]


@pytest.mark.parametrize("compress", [zlib.compress, lambda b: zlib.compress(b)[2:-4]], ids=["zlib", "raw"])
def test_deflate_body_is_decompressed_in_either_framing(compress: Callable[[bytes], bytes]) -> None:
    server = Server({"news.example/d": streamed([compress(PAGE)], **{"content-encoding": "deflate"})})
    assert server.fetch("https://news.example/d").body == PAGE  # type: ignore[attr-defined]


# --- address policy ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "ip",
    [
        "127.0.0.1", "127.8.9.10", "::1",                       # loopback
        "10.0.0.1", "172.16.5.4", "192.168.1.1", "fd00::1",     # private
        "169.254.169.254", "fe80::1",                           # link-local, cloud metadata
        "fd00:ec2::254",                                        # AWS metadata over IPv6
        "100.100.100.200", "100.64.0.1",                        # shared space (Alibaba metadata)
        "0.0.0.0", "::",                                        # unspecified
        "224.0.0.1", "ff02::1",                                 # multicast
        "192.0.2.7", "240.0.0.1", "255.255.255.255",            # documentation, reserved, broadcast
        "::ffff:127.0.0.1", "::ffff:169.254.169.254",           # IPv4-mapped
        "2002:7f00:1::", "64:ff9b::a00:1",                      # 6to4 and NAT64 wrapping private v4
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(ip: str) -> None:
    assert check_address(ip) is not None


@pytest.mark.parametrize("ip", [PUBLIC, "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_are_allowed(ip: str) -> None:
    assert check_address(ip) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/admin",
        "http://[::1]:8080/",
        "http://169.254.169.254/latest/meta-data/",
        "http://2130706433/",  # 127.0.0.1 as one decimal number
        "http://intranet.example/",
        "http://metadata.example/",
        "http://mixed.example/",  # one public and one loopback answer: refused
        "http://mapped.example/",
        "http://localhost/",
        "http://printer.local/",
        "http://metadata.google.internal/computeMetadata/v1/",
    ],
)
def test_urls_reaching_inside_are_refused_before_any_request(url: str) -> None:
    server = Server({})
    with pytest.raises(BlockedURLError) as info:
        server.fetch(url)
    assert info.value.path == url and str(info.value).startswith(url)
    assert server.seen == []


def test_redirect_to_a_private_address_is_refused_and_never_requested() -> None:
    server = Server({"news.example/r": redirect("http://intranet.example/secret")})
    with pytest.raises(BlockedURLError, match=r"10\.1\.2\.3"):
        server.fetch("https://news.example/r")
    assert server.seen == ["https://news.example/r"]


def test_redirect_to_metadata_ip_literal_is_refused() -> None:
    server = Server({"news.example/r": redirect("http://169.254.169.254/latest/meta-data/", 307)})
    with pytest.raises(BlockedURLError, match="link-local"):
        server.fetch("https://news.example/r")
    assert len(server.seen) == 1


@pytest.mark.parametrize("url", ["file:///etc/passwd", "FILE:///etc/passwd", "ftp://news.example/x", "gopher://news.example/", "data:text/html,hi"])
def test_schemes_other_than_http_are_refused(url: str) -> None:
    with pytest.raises(BlockedURLError):
        Server({}).fetch(url)


def test_redirect_to_file_url_is_refused() -> None:
    server = Server({"news.example/r": redirect("file:///etc/passwd")})
    with pytest.raises(BlockedURLError, match="file://"):
        server.fetch("https://news.example/r")


def test_dns_rebinding_is_caught_at_connect_time() -> None:
    """Without an injected transport, the address is checked again where the socket is
    opened: a resolver that answers public first and loopback next must be refused (no
    connection is attempted to either: the first check passes, the second refuses)."""
    answers = iter([[PUBLIC], ["127.0.0.1"]])

    def rebinding(host: str, port: int) -> list[str]:
        return next(answers)

    with pytest.raises(BlockedURLError, match=r"127\.0\.0\.1"):
        fetch("http://rebind.example/", resolver=rebinding, limits=FetchLimits(connect_timeout=2, total_timeout=5))


# --- limits -----------------------------------------------------------------------------


def test_too_many_redirects() -> None:
    server = Server({"news.example/loop": redirect("/loop")})
    with pytest.raises(FetchLimitError, match="redirects"):
        server.fetch("https://news.example/loop", limits=FetchLimits(max_redirects=3))
    assert len(server.seen) == 4


def test_declared_length_over_the_cap_is_refused_before_reading() -> None:
    def never_read() -> Iterator[bytes]:
        raise AssertionError("the body must not be read")
        yield b""  # pragma: no cover

    def handler(_req: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/html", "content-length": "999999999"}, content=never_read())

    with pytest.raises(FetchLimitError, match="999,999,999"):
        Server({"news.example/big": handler}).fetch("https://news.example/big", limits=FetchLimits(max_bytes=1000))


def test_gzip_bomb_is_capped_after_decompression() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)  # 20 MB of zeros in about 20 KB
    assert len(bomb) < 100_000
    server = Server({"news.example/bomb": streamed([bomb], **{"content-encoding": "gzip"})})
    with pytest.raises(FetchLimitError, match="compression bomb"):
        server.fetch("https://news.example/bomb", limits=FetchLimits(max_bytes=1_000_000))


def test_inflating_a_bomb_never_holds_much_more_than_the_cap() -> None:
    """One network chunk of a deflate bomb must not be inflated whole before the cap
    looks at it (httpx's own decoder would hold all 50 MB at once)."""
    import tracemalloc

    from rashomon.fetch import _Inflater

    chunk = gzip.compress(b"\0" * 50_000_000)
    inflater = _Inflater("gzip", 100_000, "https://news.example/bomb")
    tracemalloc.start()
    try:
        with pytest.raises(FetchLimitError):
            inflater.feed(chunk)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


def test_uncompressed_body_over_the_cap_without_length_is_refused() -> None:
    server = Server({"news.example/long": streamed([b"x" * 4096] * 100)})
    with pytest.raises(FetchLimitError):
        server.fetch("https://news.example/long", limits=FetchLimits(max_bytes=10_000))


def test_read_timeout_is_a_limit_error_naming_the_url() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(FetchLimitError, match="timed out") as info:
        Server({"news.example/slow": slow}).fetch("https://news.example/slow")
    assert info.value.path == "https://news.example/slow"


def test_total_time_is_bounded_while_the_body_trickles_in() -> None:
    ticks = iter(range(0, 10_000, 7))  # every look at the clock is 7 s later

    server = Server({"news.example/drip": streamed([b"<p>x</p>"] * 50)})
    with pytest.raises(FetchLimitError, match="longer than 30"):
        server.fetch("https://news.example/drip", limits=FetchLimits(total_timeout=30), clock=lambda: float(next(ticks)))


def test_binary_content_type_is_refused() -> None:
    server = Server({"news.example/cat.png": page(b"\x89PNG\r\n\x1a\n", ctype="image/png")})
    with pytest.raises(UnsupportedContentError, match="image/png"):
        server.fetch("https://news.example/cat.png")


def test_unbounded_content_encoding_is_refused() -> None:
    server = Server({"news.example/br": streamed([b"\x1b\x00"], **{"content-encoding": "br"})})
    with pytest.raises(UnsupportedContentError, match="br"):
        server.fetch("https://news.example/br")


def test_http_error_status_is_an_input_error() -> None:
    with pytest.raises(FetchError, match="404") as info:
        Server({}).fetch("https://news.example/missing")
    assert isinstance(info.value, InputError)
