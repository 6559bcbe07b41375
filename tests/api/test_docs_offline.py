"""/docs and /redoc work without the network: their scripts and styles come from the app itself
(the files the fastapi-offline package installs), and ``/`` leads to /docs."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from html.parser import HTMLParser
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from graph.stores.embedded.store import EmbeddedStore
from service.app import create_app
from tests.api_support import settings
from tests.extraction.support import REPO


class _Refs(HTMLParser):
    """Every URL a page loads: script src, link href, img src, ReDoc's spec-url."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in {"src", "href", "spec-url"}:
                self.urls.append(value)


def refs(html: str) -> list[str]:
    parser = _Refs()
    parser.feed(html)
    return parser.urls


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(EmbeddedStore(), settings=settings())) as c:
        yield c


@pytest.mark.parametrize("page, script", [("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")])
def test_docs_pages_reference_only_assets_the_app_serves(client, page, script):
    r = client.get(page)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    html = r.text
    # Nothing from another host: no absolute or protocol-relative URL anywhere in the page.
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html), re.findall(r"\S*//\S+", html)
    urls = refs(html)
    assert any(u.endswith(script) for u in urls), urls
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        if url.endswith(".js"):
            assert "javascript" in asset.headers["content-type"] and len(asset.content) > 100_000, url
        elif url.endswith(".css"):
            assert asset.headers["content-type"].startswith("text/css") and len(asset.content) > 10_000, url
    assert client.get("/openapi.json").json()["info"]["title"] == "actorgraph"


def test_home_is_the_explorer_and_links_to_the_docs(client):
    r = client.get("/", follow_redirects=False)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert 'href="/docs"' in r.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[str]:
    """``actorgraph serve`` on a free loopback port, over an empty embedded store."""
    port = _free_port()
    env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(tmp_path_factory.mktemp("data"))}
    proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--log-level", "warning"],
                            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/health", timeout=2)
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "the service did not start"
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize("page, rendered", [
    ("/docs", 'data-path="/actors/{actor_id}/meetings"'),   # Swagger UI drew the operations
    ("/redoc", "/paths/shortest"),                          # ReDoc drew them too
])
def test_docs_render_in_headless_chromium_with_no_other_host_reachable(served, page, rendered):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is needed (scripts/apt-packages-test.txt; scripts/setup installs it)"
    # Every host but loopback fails to resolve: the network is off as far as the page can tell.
    p = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                        "--virtual-time-budget=15000", "--dump-dom", f"{served}{page}"],
                       capture_output=True, text=True, timeout=120)
    assert rendered in p.stdout, p.stdout[-2000:] or p.stderr[-2000:]


def test_redoc_script_draws_its_logo_from_the_app_not_a_cdn(client):
    from service.redoc import CDN_LOGO
    page = client.get("/redoc").text
    (script,) = [u for u in refs(page) if u.endswith("redoc.standalone.js")]
    js = client.get(script)
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert CDN_LOGO not in js.text and "cdn.redoc.ly" not in js.text
    logos = set(re.findall(r'"(/[^"]+logo[^"]*\.svg)"', js.text))
    assert logos, "the script names no local logo"
    for logo in logos:
        r = client.get(logo)
        assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml") and b"<svg" in r.content
