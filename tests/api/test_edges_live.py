"""The service's edge against a real uvicorn on loopback, configured as ``actorgraph serve`` runs
it (service.server): nothing of a body is read before the request is known to be allowed one,
and a client that trickles its request is cut off."""
from __future__ import annotations

import socket
import time
from typing import Iterator

import psutil
import pytest
from fastapi.testclient import TestClient

from graph.stores.embedded.store import EmbeddedStore
from service.app import create_app
from tests.api.live import served
from tests.api_support import API_KEY, settings

BODY = b"x" * (4 * 1024 * 1024)


@pytest.fixture
def live(tmp_path) -> Iterator[int]:
    store = EmbeddedStore(tmp_path / "graph.sqlite")
    config = settings(read_timeout_s=2.0)
    with served(create_app(store, settings=config), config) as port:
        yield port
    store.close()


def post(port: int, path: str, body: bytes, headers: str = "") -> bytes:
    """POST ``body`` to ``path`` on a new connection; the status line answered (b"" if none)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: t\r\nContent-Length: {len(body)}\r\n{headers}\r\n".encode())
        try:
            sock.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed without reading it: what a refusal should do
        try:
            return sock.recv(65536).split(b"\r\n", 1)[0]
        except ConnectionResetError:
            return b""


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def test_anonymous_bodies_to_no_route_or_a_keyed_one_are_refused_unread(live: int) -> None:
    for _ in range(5):  # the server's first answers allocate what every later one reuses
        post(live, "/no/such/route", BODY)
    start = rss_mb()
    statuses = set()
    for i in range(200):
        path = ("/no/such/route", "/articles", "/judgements")[i % 3]
        statuses.add(post(live, path, BODY))
    assert statuses <= {b"HTTP/1.1 404 Not Found", b"HTTP/1.1 401 Unauthorized", b""}
    assert b"HTTP/1.1 404 Not Found" in statuses and b"HTTP/1.1 401 Unauthorized" in statuses
    assert rss_mb() - start < 50


def test_a_judgement_without_the_key_is_401_before_its_body_is_parsed(tmp_path) -> None:
    store = EmbeddedStore(tmp_path / "graph.sqlite")
    with TestClient(create_app(store, settings=settings())) as client:
        r = client.post("/judgements", content=b"{not json")
        assert r.status_code == 401, r.text
        r = client.post("/judgements", json={"kind": "nonsense"})
        assert r.status_code == 401, r.text
        r = client.post("/judgements", json={"kind": "nonsense"}, headers={"X-API-Key": API_KEY})
        assert r.status_code == 422, r.text
    store.close()


def trickle(port: int, data: bytes, every_s: float = 0.5) -> bool:
    """Send ``data`` a byte every ``every_s``; True if the server closed the connection first."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        for byte in data:
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                return True
            time.sleep(every_s)
            sock.setblocking(False)
            try:
                if sock.recv(65536) == b"":
                    return True
            except BlockingIOError:
                pass
            except ConnectionResetError:
                return True
            finally:
                sock.setblocking(True)
    return False


def test_a_client_trickling_its_headers_is_cut_off(live: int) -> None:
    head = b"GET /health HTTP/1.1\r\nHost: t\r\nUser-Agent: a-very-slow-client-indeed\r\n\r\n"
    assert len(head) * 0.5 > 2 * 5  # the head would take far longer than the 2 s read deadline
    assert trickle(live, head), "the server waited for the whole trickled head"


def test_a_client_trickling_its_body_is_cut_off(live: int) -> None:
    body = b'{"articles": [{"text": "' + b"y" * 60 + b'"}]}'
    head = (f"POST /articles HTTP/1.1\r\nHost: t\r\nX-API-Key: {API_KEY}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", live), timeout=10) as sock:
        sock.sendall(head)
        closed = False
        for byte in body:
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            time.sleep(0.5)
            sock.setblocking(False)
            try:
                got = sock.recv(65536)
                if got:
                    assert got.startswith(b"HTTP/1.1 408"), got[:200]
                closed = True
                break
            except BlockingIOError:
                pass
            except ConnectionResetError:
                closed = True
                break
            finally:
                sock.setblocking(True)
        assert closed, "the server waited for the whole trickled body"
