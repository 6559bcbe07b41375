"""Polite and safe HTTP fetching with httpx: robots.txt, a per-host rate limit, conditional GET,
timeouts, a size limit, retries with backoff and Retry-After, and no private addresses.

The address guard sits where the socket is opened (an httpcore network backend): the host is
resolved there and every address it resolves to is checked, for the first request and for each
redirect hop alike, and the connection goes to the address that was checked, so a name that
resolves differently a second time (DNS rebinding) cannot slip past. Loopback, private,
link-local and other non-global ranges are refused unless the policy allows them
(``ACTORGRAPH_FETCH_ALLOW_PRIVATE``: ``1`` for all, or a comma-separated list of networks).
"""
from __future__ import annotations

import email.utils
import hashlib
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

__all__ = ["FetchPolicy", "Fetcher", "Fetched", "FetchError", "AddressRefused", "parse_allow_private",
           "check_address", "USER_AGENT"]

USER_AGENT = "actorgraph-follow/0.1 (+https://github.com/actorgraph; news follower for an actor graph)"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_allow_private(value: str | bool | None) -> bool | tuple[Network, ...]:
    """``1``/``true``: every address; a comma-separated list of networks: those; else none."""
    if value is None or value is False:
        return ()
    if value is True:
        return True
    text = str(value).strip()
    if text.lower() in ("", "0", "false", "no"):
        return ()
    if text.lower() in ("1", "true", "yes", "all"):
        return True
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",") if part.strip())


class FetchError(Exception):
    """A URL that could not be fetched; ``reason`` says why in a few words."""

    def __init__(self, url: str, reason: str):
        self.url, self.reason = url, reason
        super().__init__(f"{url}: {reason}")


class AddressRefused(Exception):
    """The host resolves to an address the guard refuses (raised at connect time)."""


def _kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    for attr, name in (("is_loopback", "loopback"), ("is_link_local", "link-local"), ("is_private", "private"),
                       ("is_multicast", "multicast"), ("is_unspecified", "unspecified"), ("is_reserved", "reserved")):
        if getattr(ip, attr):
            return name
    return "non-global"


def check_address(address: str, allow: bool | tuple[Network, ...]) -> None:
    """Raise AddressRefused unless ``address`` (an IP) is global or allowed."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is loopback too
    if ip.is_global or allow is True or any(ip in net for net in allow or ()):
        return
    raise AddressRefused(f"refused: {address} is a {_kind(ip)} address "
                         f"(ACTORGRAPH_FETCH_ALLOW_PRIVATE allows such addresses)")


class _GuardedBackend(httpcore.SyncBackend):
    """Resolves the host itself, checks every address, and connects to a checked one."""

    def __init__(self, allow: bool | tuple[Network, ...]):
        self.allow = allow

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror}") from None
        addresses = list(dict.fromkeys(info[4][0] for info in infos))
        for address in addresses:  # one bad address is enough: a name need not mix public and private
            check_address(address, self.allow)
        return super().connect_tcp(addresses[0], port, timeout=timeout, local_address=local_address,
                                   socket_options=socket_options)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose sockets pass the guard (no proxies: a proxy
    would connect on our behalf, past the guard)."""

    def __init__(self, allow: bool | tuple[Network, ...]):
        super().__init__(trust_env=False)
        # httpx has no public hook for the network backend; its pool is rebuilt with one, as
        # httpx.HTTPTransport builds it for the no-proxy case.
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(trust_env=False),
                                             max_connections=20, max_keepalive_connections=10,
                                             keepalive_expiry=5.0, network_backend=_GuardedBackend(allow))


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = USER_AGENT
    timeout: float = 20.0               # seconds for each of connect, read, write, pool
    max_bytes: int = 2 * 1024 * 1024    # a body larger than this is refused (counted as it arrives)
    host_interval: float = 1.0          # seconds between two requests to one host (robots.txt may ask more)
    retries: int = 2                    # further attempts after a 429/503/timeout/connection failure
    backoff: float = 1.0                # first wait between attempts; doubles each time
    max_wait: float = 60.0              # a longer Retry-After gives up for this round, named
    max_redirects: int = 5
    allow_private: bool | tuple = ()


@dataclass
class Fetched:
    url: str                   # the final URL, after redirects
    status: int                # 200, or 304 when the validators matched
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str = ""
    hash: str | None = field(default=None)

    def __post_init__(self) -> None:
        if self.body and self.hash is None:
            self.hash = hashlib.sha256(self.body).hexdigest()


_RETRY_STATUS = {429, 502, 503, 504}


class Fetcher:
    """One httpx client, robots.txt per host, a clock per host. Thread-safe for the service's use."""

    def __init__(self, policy: FetchPolicy | None = None, sleep: Callable[[float], None] = time.sleep):
        self.policy = policy or FetchPolicy()
        self._sleep = sleep
        self._client = httpx.Client(
            transport=_GuardedTransport(self.policy.allow_private), trust_env=False, follow_redirects=True,
            max_redirects=self.policy.max_redirects, timeout=httpx.Timeout(self.policy.timeout),
            headers={"User-Agent": self.policy.user_agent})
        self._robots: dict[str, RobotFileParser | str] = {}  # origin -> parser, or the reason all is refused
        self._next: dict[str, float] = {}                   # host -> monotonic time of its next request
        self._lock = threading.Lock()
        self.requests = 0                                   # HTTP requests sent (robots.txt included)

    def close(self) -> None:
        self._client.close()

    def new_round(self) -> None:
        """Forget robots.txt: each round reads it again (it changes, or was unreachable)."""
        with self._lock:
            self._robots.clear()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` politely; 304 when ``etag``/``last_modified`` still hold. Raises FetchError."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(url, "not an http(s) URL")
        self._check_robots(url)
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get(url, headers)

    # -- robots.txt --------------------------------------------------------------------------------

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._lock:
            robots = self._robots.get(origin)
        if robots is None:
            robots = self._load_robots(origin)
            with self._lock:
                self._robots[origin] = robots
        if isinstance(robots, str):
            raise FetchError(url, robots)
        if not robots.can_fetch(self.policy.user_agent, url):
            raise FetchError(url, "disallowed by robots.txt")

    def _load_robots(self, origin: str) -> RobotFileParser | str:
        parser = RobotFileParser(origin + "/robots.txt")
        try:
            got = self._get(origin + "/robots.txt", {})
        except FetchError as exc:
            if exc.reason.startswith("HTTP 4") and not exc.reason.startswith(("HTTP 401", "HTTP 403")):
                parser.allow_all = True  # no robots.txt: everything may be fetched
                return parser
            # Unreachable or refusing robots.txt: as the convention goes, fetch nothing there now.
            return f"robots.txt unavailable ({exc.reason})"
        parser.parse(got.body.decode("utf-8", "replace").splitlines())
        return parser

    def _host_interval(self, url: str) -> float:
        parts = urlsplit(url)
        robots = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        delay = robots.crawl_delay(self.policy.user_agent) if isinstance(robots, RobotFileParser) else None
        return max(self.policy.host_interval, float(delay or 0))

    # -- one GET with its retries -----------------------------------------------------------------

    def _wait_for_host(self, url: str) -> None:
        host = urlsplit(url).netloc
        interval = self._host_interval(url)
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + interval
        if start > now:
            self._sleep(start - now)

    def _get(self, url: str, headers: dict) -> Fetched:
        p = self.policy
        for attempt in range(p.retries + 1):
            last = attempt == p.retries
            self._wait_for_host(url)
            self.requests += 1
            try:
                result = self._once(url, headers)
            except AddressRefused as exc:
                raise FetchError(url, str(exc)) from None
            except httpx.TimeoutException:
                if last:
                    raise FetchError(url, f"timed out (no answer within {p.timeout:g} s, "
                                          f"{p.retries + 1} attempts)") from None
                self._sleep(p.backoff * 2 ** attempt)
                continue
            except httpx.TooManyRedirects:
                raise FetchError(url, f"more than {p.max_redirects} redirects") from None
            except httpx.TransportError as exc:
                if last:
                    raise FetchError(url, f"connection failed: {exc or type(exc).__name__}") from None
                self._sleep(p.backoff * 2 ** attempt)
                continue
            if isinstance(result, Fetched):
                return result
            status, reason, retry_after = result
            if status not in _RETRY_STATUS:
                raise FetchError(url, f"HTTP {status} {reason}")
            wait = retry_after if retry_after is not None else p.backoff * 2 ** attempt
            if wait > p.max_wait:
                raise FetchError(url, f"HTTP {status} {reason}: Retry-After {wait:g} s is longer than the "
                                      f"{p.max_wait:g} s a round waits; it is tried again next round")
            if last:
                raise FetchError(url, f"HTTP {status} {reason} after {p.retries + 1} attempts")
            self._sleep(wait)
        raise AssertionError("unreachable")

    def _once(self, url: str, headers: dict) -> Fetched | tuple[int, str, float | None]:
        """The response as Fetched (200/304), else (status, reason, Retry-After seconds)."""
        max_bytes = self.policy.max_bytes
        with self._client.stream("GET", url, headers=headers) as r:
            if r.status_code == 304:
                return Fetched(url=str(r.url), status=304, etag=r.headers.get("etag") or headers.get("If-None-Match"),
                               last_modified=r.headers.get("last-modified") or headers.get("If-Modified-Since"))
            if r.status_code != 200:
                return r.status_code, r.reason_phrase, _retry_after(r.headers.get("retry-after"))
            declared = r.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(url, f"over the size limit ({int(declared)} bytes declared; "
                                      f"the limit is {max_bytes})")
            chunks, size = [], 0
            for chunk in r.iter_bytes():  # decoded bytes: a small gzip cannot unpack past the limit
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(url, f"over the size limit (more than {max_bytes} bytes)")
                chunks.append(chunk)
            return Fetched(url=str(r.url), status=200, body=b"".join(chunks), etag=r.headers.get("etag"),
                           last_modified=r.headers.get("last-modified"),
                           content_type=r.headers.get("content-type", ""))


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
