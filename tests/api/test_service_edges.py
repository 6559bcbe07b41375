"""The service's edges, against a real ``actorgraph serve`` (uvicorn) where the transport matters:
the key is checked before a body is read, bodies and headers are bounded, 422s echo only an
excerpt, POST validates as the CLI does, and the security headers are on every response."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from graph.exports.report import to_html
from graph.stores.embedded.store import EmbeddedStore
from graph.model import Article
from service.app import create_app
from service.middleware import CSP
from tests.api_support import API_KEY, settings
from tests.extraction.support import REPO
from tests.factories import ARTICLE_ONE, both_reports, ids
from tests.fake_extractor import ExtractsWhenResolving

MAX_BODY = 64 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """``actorgraph serve`` on the embedded store holding the two factory reports."""
    data = tmp_path_factory.mktemp("data")
    with EmbeddedStore(data / "graph.sqlite") as store:
        store.upsert(both_reports())
    port = _free_port()
    env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(data), "ACTORGRAPH_API_KEY": API_KEY,
           "ACTORGRAPH_MAX_BODY_BYTES": str(MAX_BODY), "ACTORGRAPH_MAX_HEADER_BYTES": "8192"}
    env.pop("ACTORGRAPH_READ_REQUIRES_KEY", None)
    proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--log-level",
                             "warning"], cwd=REPO, env=env, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail(f"the service did not start: {proc.stderr.read()}", pytrace=False)
    yield url
    proc.terminate()
    proc.wait(10)


def _raw(url: str, head: bytes, body: bytes = b"", timeout: float = 5.0) -> tuple[float, bytes]:
    """Send ``head`` (and ``body``) on a fresh connection; the seconds until the response and its bytes."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        start = time.monotonic()
        sock.sendall(head + body)
        response = b""
        while b"\r\n\r\n" not in response or len(response) < response.find(b"\r\n\r\n") + 4 + _length(response):
            chunk = sock.recv(65536)
            if not chunk:
                break
            response += chunk
        return time.monotonic() - start, response


def _length(response: bytes) -> int:
    for line in response.split(b"\r\n\r\n")[0].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


def _post_head(length: int, key: str | None = None) -> bytes:
    head = f"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n"
    if key:
        head += f"X-API-Key: {key}\r\n"
    return (head + "\r\n").encode()


def test_post_without_the_key_is_401_before_the_body_is_read(server):
    # 50 MB announced, none sent: a server reading the body first would wait for it (and time out).
    # Any answer at all proves it: the body never comes, and _raw gives up after 5 s.
    _, response = _raw(server, _post_head(50 * 2**20))
    assert response.startswith(b"HTTP/1.1 401"), response[:200]
    seconds, response = _raw(server, _post_head(50 * 2**20, key="wrong-key"))
    assert response.startswith(b"HTTP/1.1 401")


def test_a_body_over_the_limit_is_413_unread(server):
    _, response = _raw(server, _post_head(MAX_BODY + 1, key=API_KEY))  # answered with no body sent
    assert response.startswith(b"HTTP/1.1 413"), response[:200]
    assert b"ACTORGRAPH_MAX_BODY_BYTES" in response


def test_a_chunked_body_growing_over_the_limit_is_413(server):
    def chunks() -> Iterator[bytes]:
        for _ in range(64):
            yield b"x" * 4096
    r = httpx.post(f"{server}/articles", content=chunks(), headers={"X-API-Key": API_KEY,
                                                                     "Content-Type": "application/json"})
    assert r.status_code == 413


def test_an_oversized_request_head_is_refused(server):
    seconds, response = _raw(server, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n")
    assert response.startswith((b"HTTP/1.1 400", b"HTTP/1.1 431")), response[:200]
    # A head that arrives slowly is bounded by the server (h11) before it is whole.
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        for _ in range(40):
            try:
                sock.sendall(b"X-Pad-%d: " % _ + b"b" * 1000 + b"\r\n")
            except OSError:  # the server closed the connection: refused
                break
            time.sleep(0.01)
        response = sock.recv(65536)
    assert not response.startswith(b"HTTP/1.1 200"), response[:200]
    assert httpx.get(f"{server}/health", headers={"X-Small": "a" * 1000}).status_code == 200


def test_a_422_names_the_field_and_echoes_only_an_excerpt(server):
    big = "y" * 20_000  # 40 kB in all: under the body limit
    r = httpx.post(f"{server}/articles", json={"articles": [{"text": 12, "title": big}], "other": big},
                   headers={"X-API-Key": API_KEY})
    assert r.status_code == 422
    assert len(r.content) < 2000
    locs = [e["loc"] for e in r.json()["detail"]]
    assert ["body", "articles", 0, "text"] in locs and ["body", "articles", 0, "title"] in locs
    title_error = next(e for e in r.json()["detail"] if e["loc"][-1] == "title")
    assert title_error["input"].startswith("yyyy") and len(title_error["input"]) <= 81
    r = httpx.post(f"{server}/articles", content=b'{"articles": [' + b"z" * 20_000,
                   headers={"X-API-Key": API_KEY, "Content-Type": "application/json"})
    assert r.status_code == 422 and len(r.content) < 2000


@pytest.mark.parametrize("article, field, message", [
    ({"text": "   \n\t  "}, "text", "whitespace"),
    ({"text": "A visit.", "date": "2025-13-45"}, "date", "not a day"),
    ({"text": "A visit.", "date": "2025-02-30"}, "date", "not a day"),
    ({"text": "A visit.", "date": "soon"}, "date", "not a day"),
])
def test_post_refuses_what_the_cli_refuses(server, article, field, message):
    r = httpx.post(f"{server}/articles", json={"articles": [article]}, headers={"X-API-Key": API_KEY})
    assert r.status_code == 422, r.text
    error = r.json()["detail"][0]
    assert error["loc"] == ["body", "articles", 0, field] and message in error["msg"]


def test_nosniff_everywhere_and_csp_on_html_and_svg(server):
    for path in ("/health", f"/actors/{ids.tariq}", "/actors/person:nobody", "/centrality?metric=nope"):
        r = httpx.get(f"{server}{path}")
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert "content-security-policy" not in r.headers
    assert httpx.post(f"{server}/articles", json={}).headers["x-content-type-options"] == "nosniff"
    for fmt, media in (("html", "text/html"), ("svg", "image/svg+xml")):
        r = httpx.get(f"{server}/subgraph", params={"center": ids.tariq, "format": fmt})
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        assert r.headers["content-security-policy"] == CSP
        assert r.headers["x-content-type-options"] == "nosniff"
    assert "script-src" not in CSP and "default-src 'none'" in CSP


def test_only_http_urls_become_links_in_reports():
    batch = both_reports()
    batch.articles[ARTICLE_ONE] = Article(id=ARTICLE_ONE, title="One", url="javascript:alert(document.domain)")
    other = next(a for a in batch.articles if a != ARTICLE_ONE)
    batch.articles[other] = Article(id=other, title="Two", url="https://news.example/two")
    page = to_html(batch, generated="test")
    assert 'href="javascript:' not in page and "javascript:alert(document.domain)" in page  # shown as text
    assert '<a href="https://news.example/two">' in page


# -- the embedded store's folder cannot be written ----------------------------------------------

def test_the_service_answers_503_for_writes_and_health_says_degraded_when_writes_fail(tmp_path: Path, monkeypatch):
    import sqlite3

    data = tmp_path / "data"
    with TestClient(create_app(settings=settings(data=data), extractor_factory=_FakeExtractor)) as c:
        body = {"articles": [{"id": "a.txt", "text": "Some text."}]}
        assert c.post("/articles", json=body, headers={"X-API-Key": API_KEY}).status_code == 201
        store = c.app.state.stores.store

        def disk_full(*args):
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(store, "_upsert_actors", disk_full)
        r = c.post("/articles", json={"articles": [{"id": "b.txt", "text": "Other text."}]},
                   headers={"X-API-Key": API_KEY})
        assert r.status_code == 503 and r.json()["reason"] == "not writable"
        assert str(data) not in r.text
        health = c.get("/health")
        assert health.status_code == 200 and health.json()["status"] == "degraded"
        assert health.json()["store"]["writable"] is False
        assert c.get(f"/actors/{ids.tariq}").status_code == 404  # reads still answer
    assert [a.id for a in EmbeddedStore(data / "graph.sqlite").articles()] == ["a.txt"]


class _FakeExtractor(ExtractsWhenResolving):
    """Stands in for spaCy: one actor and one article per posted text."""

    def extract(self, raws, existing=()):
        from graph.model import Actor, GraphBatch, NodeType
        batch = GraphBatch()
        for raw in raws:
            batch.add_actor(Actor(id=f"person:{raw.id[0]}", type=NodeType.PERSON, name=raw.id))
            batch.add_article(Article(id=raw.id))
        return batch
