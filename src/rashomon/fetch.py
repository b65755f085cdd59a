"""Fetching articles and feeds over HTTP(S), safely.

A URL given to ``rashomon ingest`` or ``rashomon compare`` may come from anywhere (a
feed, a colleague's list, a web page), so fetching treats it as hostile:

- only ``http`` and ``https``; ``file://`` and every other scheme are refused;
- the host is resolved *before* connecting and every address it resolves to must be a
  public one: private, loopback, link-local (cloud metadata at 169.254.169.254),
  shared, reserved, multicast and unspecified addresses are refused, including IPv4
  addresses wrapped in IPv6 (``::ffff:127.0.0.1``, 6to4, Teredo, NAT64);
- redirects are followed by hand, at most ``max_redirects`` of them, and each hop is
  checked like the first;
- with the default transport the socket connects to the address that was checked (a
  network backend that resolves, checks and connects in one step), so a DNS answer that
  changes between the check and the connection (DNS rebinding) cannot reach inside;
- time is bounded per operation (connect, read) and over the whole fetch;
- the body is capped *after* decompression, with a decompressor that never inflates
  more than the cap (a 100 KB gzip can hold gigabytes);
- proxies and ``.netrc`` from the environment are ignored, so the policy applies to the
  address actually contacted.

Tests inject an ``httpx`` transport (``httpx.MockTransport``) and a resolver; nothing
here touches the network unless asked to.

    FetchError(InputError)        the URL could not be fetched; names the URL
    ├── BlockedURLError           refused by policy: scheme, host or address
    ├── FetchLimitError           too big, too slow, too many redirects
    └── UnsupportedContentError   the server sent something that is not a page or feed
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any

import httpx

from rashomon.errors import InputError

__all__ = [
    "BlockedURLError",
    "FetchError",
    "FetchLimitError",
    "FetchLimits",
    "FetchedDocument",
    "Resolver",
    "UnsupportedContentError",
    "check_address",
    "check_url",
    "fetch",
    "is_url",
    "system_resolver",
]

USER_AGENT = "rashomon/0.1 (+https://github.com/; news comparison; offline-first)"

# Resolver: (host, port) -> IP address strings. Injectable so tests never touch DNS.
Resolver = Callable[[str, int], list[str]]

_REDIRECTS = (301, 302, 303, 307, 308)

# Names that are internal by convention whatever DNS says (RFC 6761, cloud metadata).
_INTERNAL_SUFFIXES = (".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan")
_INTERNAL_NAMES = frozenset({"localhost", "localhost.localdomain", "metadata", "metadata.google.internal"})

# NAT64 prefixes embed an IPv4 address in their last 32 bits (RFC 6052, RFC 8215).
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))

# What Rashomon can read from the web. Anything else (images, PDFs, archives, video) is
# refused before its body is downloaded; a missing Content-Type is sniffed later.
_TEXT_TYPES = frozenset(
    {
        "application/xhtml+xml",
        "application/xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/json",
        "application/x-ndjson",
        "application/jsonl",
        "application/feed+json",
    }
)


class FetchError(InputError):
    """A URL could not be fetched (network error, HTTP error status)."""


class BlockedURLError(FetchError):
    """A URL refused by policy: its scheme, its host name or an address it resolves to."""


class FetchLimitError(FetchError):
    """A fetch went over a limit: body size, total time or number of redirects."""


class UnsupportedContentError(FetchError):
    """The server sent a kind of content Rashomon does not read (an image, a PDF, ...)."""


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Bounds on one fetch.

    connect_timeout, read_timeout: seconds for one connection attempt / one socket read.
    total_timeout: seconds for the whole fetch, redirects included; checked between reads,
        so a fetch ends at most one ``read_timeout`` after it.
    max_bytes: the largest body accepted, counted after decompression.
    max_redirects: how many redirects are followed before giving up.
    """

    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5


@dataclass(frozen=True, slots=True)
class FetchedDocument:
    """What a server returned for a URL.

    url: the URL as requested. final_url: the URL after redirects (use it to resolve
    relative links and to identify the outlet). content_type: the media type, lower
    case, without parameters, or None when the server sent none. charset: the charset
    the Content-Type header states, or None. body: the decoded (decompressed) bytes.
    """

    url: str
    final_url: str
    content_type: str | None
    charset: str | None
    body: bytes


def is_url(value: str) -> bool:
    """True when ``value`` names something to fetch (or refuse) rather than a local path."""
    head = value[:12].lower()
    return head.startswith(("http://", "https://", "file://", "ftp://"))


# --- address policy ---------------------------------------------------------------------


def check_address(ip: str) -> str | None:
    """Why connecting to ``ip`` is refused, or None when it is a public unicast address."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    except ValueError:
        return f"'{ip}' is not an IP address"
    embedded = _embedded_ipv4(addr)
    if embedded is not None:
        reason = check_address(str(embedded))
        return f"{addr} wraps {embedded}: {reason}" if reason else None
    for flag, what in (
        ("is_unspecified", "an unspecified"),
        ("is_loopback", "a loopback"),
        ("is_link_local", "a link-local (cloud metadata)"),
        ("is_multicast", "a multicast"),
        ("is_private", "a private"),
        ("is_reserved", "a reserved"),
    ):
        if getattr(addr, flag):
            return f"{addr} is {what} address"
    if not addr.is_global:  # shared address space (100.64/10), documentation ranges, ...
        return f"{addr} is not a public address"
    return None


def _embedded_ipv4(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo, NAT64), if any:
    the policy must judge the address that is finally reached, not its wrapper."""
    if not isinstance(addr, ipaddress.IPv6Address):
        return None
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr.teredo is not None:
        return addr.teredo[1]  # the client's address, the one traffic is relayed to
    for net in _NAT64:
        if addr in net:
            return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    return None


def check_url(url: str) -> httpx.URL:
    """Parse ``url`` and check its scheme and host name (not yet its addresses).

    Raises BlockedURLError naming the URL.
    """
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError) as exc:
        raise BlockedURLError(url, f"not a valid URL ({exc})") from None
    scheme = parsed.scheme.lower()
    if scheme == "file":
        raise BlockedURLError(url, "file:// URLs are refused; give the path of the file instead")
    if scheme not in ("http", "https"):
        raise BlockedURLError(url, f"the scheme '{scheme or '(none)'}' is refused; only http and https are fetched")
    host = parsed.host.rstrip(".").lower()
    if not host:
        raise BlockedURLError(url, "the URL names no host")
    if host in _INTERNAL_NAMES or host.endswith(_INTERNAL_SUFFIXES):
        raise BlockedURLError(url, f"the host '{host}' is an internal name")
    return parsed


def system_resolver(host: str, port: int, timeout: float = 10.0) -> list[str]:
    """The addresses ``host`` resolves to, via the system resolver, within ``timeout`` seconds.

    getaddrinfo cannot be interrupted, so it runs in a daemon thread that is abandoned when
    it takes too long (a resolver that hangs must not hang the batch).
    """
    result: list[str] = []
    error: list[BaseException] = []

    def work() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            result.extend(dict.fromkeys(str(info[4][0]) for info in infos))
        except (OSError, UnicodeError) as exc:
            error.append(exc)

    thread = threading.Thread(target=work, name=f"resolve {host}", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise TimeoutError(f"resolving {host} took longer than {timeout:g} s")
    if error:
        raise error[0]
    return result


_INET_ATON = re.compile(r"[0-9a-fA-FxX.]+")


def _ip_literal(host: str) -> str | None:
    """The address a host that is an IP literal stands for, or None for a name.

    Beside the usual forms, the C resolver reads "2130706433", "0x7f.1" and "127.1" as
    127.0.0.1 (inet_aton's legacy forms); they are read the same way here, so that no
    resolver, injected or not, is asked about them and none can answer differently.
    """
    bare = host.strip("[]")
    try:
        return str(ipaddress.ip_address(bare.split("%", 1)[0]))
    except ValueError:
        pass
    if _INET_ATON.fullmatch(bare) and any(c.isdigit() for c in bare):
        try:
            return socket.inet_ntoa(socket.inet_aton(bare))
        except OSError:
            return None
    return None


def _resolve_checked(host: str, port: int, resolver: Resolver, url: str) -> list[str]:
    """Resolve ``host`` and refuse it unless every address is public.

    Every address, not just the first: a client may try them in any order, and a name
    that lists one public and one private address is an attack, not an accident.
    """
    literal = _ip_literal(host)
    if literal is not None:
        addresses = [literal]  # nothing to resolve
    else:
        try:
            addresses = resolver(host, port)
        except TimeoutError as exc:
            raise FetchLimitError(url, f"DNS lookup timed out ({exc})") from None
        except (OSError, UnicodeError) as exc:
            raise FetchError(url, f"the host '{host}' cannot be resolved ({exc})") from None
    if not addresses:
        raise FetchError(url, f"the host '{host}' resolves to no address")
    for ip in addresses:
        reason = check_address(ip)
        if reason and literal is not None:
            raise BlockedURLError(url, f"refused: {reason}; only public addresses are fetched")
        if reason:
            raise BlockedURLError(url, f"refused: '{host}' resolves to {ip}, which is not public ({reason})")
    return addresses


# --- a transport that connects only to checked addresses --------------------------------


class _GuardedBackend:
    """An httpcore network backend that resolves, checks and connects in one step.

    httpcore hands ``connect_tcp`` the host name; resolving it here and connecting to the
    very address just checked closes the gap a rebinding DNS server would use.
    """

    def __init__(self, resolver: Resolver) -> None:
        import httpcore

        self._resolver = resolver
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> Any:
        import httpcore

        addresses = _resolve_checked(host, port, self._resolver, f"{host}:{port}")
        last: Exception | None = None
        for ip in addresses:
            try:
                return self._inner.connect_tcp(ip, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    def connect_unix_socket(self, path: str, timeout: float | None = None, socket_options: Any = None) -> Any:
        raise BlockedURLError(path, "unix sockets are refused")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def _guarded_transport(resolver: Resolver) -> httpx.BaseTransport:
    """httpx's own transport, with its connection pool rebuilt on the guarded backend.

    httpx does not take a network backend as an argument, so the pool (a private
    attribute, stable since httpx 0.18) is replaced after construction.
    """
    import httpcore

    transport = httpx.HTTPTransport(trust_env=False, retries=0)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=4,
        network_backend=_GuardedBackend(resolver),  # type: ignore[arg-type]
    )
    return transport


# --- bounded decompression --------------------------------------------------------------


class _Inflater:
    """Content-Encoding decoding that never produces more than ``cap`` bytes.

    httpx's own decoders inflate a whole network chunk at once, so one 64 KB chunk of a
    deflate bomb becomes 64 MB before any cap can look at it; ``max_length`` here bounds
    each step. Multi-member gzip (concatenated files) is handled member by member.
    """

    def __init__(self, encoding: str, cap: int, url: str) -> None:
        self._cap = cap
        self._url = url
        self._size = 0
        if encoding in ("", "identity"):
            self._wbits: int | None = None
        elif encoding in ("gzip", "x-gzip"):
            self._wbits = 16 + zlib.MAX_WBITS
        elif encoding == "deflate":
            self._wbits = zlib.MAX_WBITS  # zlib-wrapped; raw deflate is retried below
        else:
            raise UnsupportedContentError(url, f"the server used the content encoding '{encoding}', which is not supported")
        self._d = zlib.decompressobj(self._wbits) if self._wbits is not None else None
        self._raw_retry = encoding == "deflate"

    def feed(self, data: bytes) -> bytes:
        if self._d is None:
            return self._count(data)
        out = bytearray()
        while data:
            try:
                # max_length bounds what one step may inflate; never 0, which means "all".
                chunk = self._d.decompress(data, max(1, self._cap + 1 - self._size - len(out)))
            except zlib.error as exc:
                if self._raw_retry and self._size == 0 and not out:
                    # Some servers send raw deflate under "deflate" (RFC 9110 says zlib).
                    self._raw_retry = False
                    self._d = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise FetchError(self._url, f"the compressed body is corrupt ({exc})") from None
            self._raw_retry = False
            out += chunk
            if self._size + len(out) > self._cap:
                self._over()
            if self._d.unconsumed_tail:
                data = self._d.unconsumed_tail
            elif self._d.eof and self._d.unused_data and self._wbits is not None:
                data = self._d.unused_data  # the next gzip member
                self._d = zlib.decompressobj(self._wbits)
            else:
                data = b""
        return self._count(bytes(out))

    def _count(self, data: bytes) -> bytes:
        self._size += len(data)
        if self._size > self._cap:
            self._over()
        return data

    def _over(self) -> None:
        raise FetchLimitError(
            self._url, f"the body is larger than {self._cap:,} bytes after decompression (a compression bomb?)"
        )


# --- fetching ---------------------------------------------------------------------------


def fetch(
    url: str,
    *,
    transport: httpx.BaseTransport | None = None,
    resolver: Resolver | None = None,
    limits: FetchLimits | None = None,
    user_agent: str = USER_AGENT,
    clock: Callable[[], float] = time.monotonic,
) -> FetchedDocument:
    """GET ``url`` under the address policy and limits described in the module docstring.

    transport: an httpx transport to use instead of the network (tests pass
        ``httpx.MockTransport``). Without one, a transport that connects only to checked
        addresses is used.
    resolver: host name -> addresses; defaults to the system resolver. The policy is
        applied to its answer for every hop, whatever the transport.

    Raises a FetchError subclass whose message starts with the URL and says why.
    """
    limits = limits or FetchLimits()
    resolver = resolver or (lambda host, port: system_resolver(host, port, limits.connect_timeout))
    deadline = clock() + limits.total_timeout
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    headers = {
        "User-Agent": user_agent,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
        "application/xml;q=0.9,application/json;q=0.8,text/*;q=0.5",
        # Only encodings _Inflater can bound; a server that ignores this is refused.
        "Accept-Encoding": "gzip, deflate",
    }
    client = httpx.Client(
        transport=transport or _guarded_transport(resolver),
        timeout=timeout,
        headers=headers,
        follow_redirects=False,
        trust_env=False,
    )
    try:
        return _fetch_with(client, url, resolver, limits, deadline, clock)
    finally:
        client.close()  # closes the transport too, injected or not


def _fetch_with(
    client: httpx.Client,
    url: str,
    resolver: Resolver,
    limits: FetchLimits,
    deadline: float,
    clock: Callable[[], float],
) -> FetchedDocument:
    current = url
    for _hop in range(limits.max_redirects + 1):
        parsed = check_url(current)
        port = parsed.port or (443 if parsed.scheme == "https" else 80)
        try:
            _resolve_checked(parsed.host, port, resolver, url)
        except InputError as exc:
            if current == url:
                raise
            # The error names the URL as given (it is the input's id); the hop goes in the reason.
            raise type(exc)(url, f"redirected to {current}: {exc.reason}") from None
        if clock() > deadline:
            raise FetchLimitError(url, f"took longer than {limits.total_timeout:g} s")
        try:
            with client.stream("GET", parsed) as response:
                if response.status_code in _REDIRECTS:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(url, f"HTTP {response.status_code} redirect without a Location header")
                    try:
                        current = str(parsed.join(location))
                    except (httpx.InvalidURL, ValueError) as exc:
                        raise BlockedURLError(url, f"redirects to an invalid URL ({exc})") from None
                    continue
                return _read_response(response, url, str(parsed), limits, deadline, clock)
        except httpx.TimeoutException as exc:
            raise FetchLimitError(url, f"timed out ({type(exc).__name__})") from None
        except httpx.TooManyRedirects:  # pragma: no cover - follow_redirects is off
            raise FetchLimitError(url, "too many redirects") from None
        except httpx.HTTPError as exc:
            raise FetchError(url, f"could not be fetched ({type(exc).__name__}: {exc})") from None
        except InputError as exc:
            if exc.path == url:
                raise
            # Raised by the guarded backend, which knows only "host:port".
            raise type(exc)(url, exc.reason) from None
    raise FetchLimitError(url, f"more than {limits.max_redirects} redirects")


def _read_response(
    response: httpx.Response,
    url: str,
    final_url: str,
    limits: FetchLimits,
    deadline: float,
    clock: Callable[[], float],
) -> FetchedDocument:
    if not 200 <= response.status_code < 300:
        raise FetchError(url, f"the server answered HTTP {response.status_code} {response.reason_phrase}".rstrip())
    content_type, charset = _content_type(response.headers.get("content-type"))
    if content_type is not None and not (
        content_type.startswith("text/") or content_type in _TEXT_TYPES or content_type.endswith(("+xml", "+json"))
    ):
        raise UnsupportedContentError(url, f"the server sent {content_type}, not a web page, feed or JSON")
    declared = response.headers.get("content-length")
    if declared and declared.strip().isdigit() and int(declared) > limits.max_bytes:
        raise FetchLimitError(url, f"the body is {int(declared):,} bytes, more than the limit of {limits.max_bytes:,}")
    encodings = [e.strip().lower() for e in response.headers.get("content-encoding", "").split(",") if e.strip()]
    if len(encodings) > 1:
        raise UnsupportedContentError(url, f"stacked content encodings ({', '.join(encodings)}) are not supported")
    if response.is_stream_consumed:
        # An in-memory transport built the response from bytes, which httpx reads (and
        # decodes) at construction: nothing is left to stream, only to measure.
        inflater = _Inflater("identity", limits.max_bytes, url)
        chunks: Iterator[bytes] = iter([response.content])
    else:
        # The body as sent: httpx's iter_bytes would decompress it without a bound.
        inflater = _Inflater(encodings[0] if encodings else "", limits.max_bytes, url)
        chunks = response.iter_raw()  # as the socket delivers them (httpcore reads 64 KB at most)
    body = bytearray()
    for chunk in chunks:
        body += inflater.feed(chunk)
        if clock() > deadline:
            raise FetchLimitError(url, f"took longer than {limits.total_timeout:g} s")
    return FetchedDocument(url=url, final_url=final_url, content_type=content_type, charset=charset, body=bytes(body))


def _content_type(value: str | None) -> tuple[str | None, str | None]:
    """Media type and charset of a Content-Type header, parsed as email headers are."""
    if not value or not value.strip():
        return None, None
    msg = Message()
    msg["content-type"] = value
    media = msg.get_content_type().lower()
    charset = msg.get_param("charset")
    if isinstance(charset, tuple):  # RFC 2231 form
        charset = charset[2]
    charset_str = str(charset).strip().strip("'\"").lower() if charset else None
    # email's parser answers "text/plain" for a header it cannot parse; keep the claim honest.
    if "/" not in value.split(";", 1)[0]:
        return None, charset_str
    return media, charset_str or None
