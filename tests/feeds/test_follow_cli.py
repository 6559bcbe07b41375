"""``actorgraph follow`` into a real store, POST/GET /feeds, and the HTML reader's relations,
against the loopback news site of tests/feeds/news_site.py."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from graph.stores.embedded.store import EmbeddedStore
from loaders.read import RawArticle, read_path
from service.app import create_app
from tests.api_support import API_KEY, settings
from tests.extraction.support import EXAMPLES, EXAMPLE_VOCAB, REPO, edges, extractor
from tests.feeds.news_site import serve


@pytest.fixture
def site():
    site, server = serve()
    yield site
    server.shutdown()
    server.server_close()


def follow(data, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(data),
           "ACTORGRAPH_VOCAB": str(EXAMPLE_VOCAB), "ACTORGRAPH_FETCH_ALLOW_PRIVATE": "1",
           "ACTORGRAPH_FETCH_HOST_INTERVAL": "0", "ACTORGRAPH_FETCH_TIMEOUT": "1", "ACTORGRAPH_FETCH_RETRIES": "0"}
    return subprocess.run([sys.executable, "-m", "service.cli", "follow", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=600)


def test_follow_once_stores_articles_then_a_second_run_adds_nothing(tmp_path, site):
    urls = [f"{site.base}/feed.rss", f"{site.base}/atom.xml", f"{site.base}/news-sitemap.xml"]
    first = follow(tmp_path, *urls, "--once")
    assert first.returncode == 0, first.stderr
    assert "round 1: 3 sources, 5 new articles ingested" in first.stderr
    with EmbeddedStore(tmp_path / "graph.sqlite") as store:
        stored = {a.id: a for a in store.articles()}
        relations = len(store.snapshot().relations)
    expected = {site.base + p.path: p for group in site.pages.values() for p in group}
    assert set(stored) == set(expected)
    for url, page in expected.items():
        assert (stored[url].title, stored[url].published, stored[url].source) == (page.headline, page.date, page.outlet)
    assert relations > 0
    second = follow(tmp_path, "--once")  # the sources are remembered
    assert second.returncode == 0, second.stderr
    assert "3 sources, 0 new articles ingested, 3 unchanged" in second.stderr
    with EmbeddedStore(tmp_path / "graph.sqlite") as store:
        assert len(store.articles()) == len(expected) and len(store.snapshot().relations) == relations


def test_a_failing_source_is_named_and_the_others_are_stored(tmp_path, site):
    run = follow(tmp_path, f"{site.base}/broken.rss", f"{site.base}/feed.rss", "--once")
    assert run.returncode == 1
    assert f"follow: {site.base}/broken.rss: broken XML" in run.stderr
    assert "2 new articles ingested" in run.stderr and "1 failed" in run.stderr
    with EmbeddedStore(tmp_path / "graph.sqlite") as store:
        assert len(store.articles()) == 2


def test_html_page_gives_the_relations_of_its_text(tmp_path):
    """The example HTML article read by trafilatura extracts as its paragraphs do as plain text."""
    html_path = EXAMPLES / "02_marenzia_veloria_pact.html"
    [from_html] = list(read_path(html_path))
    paragraphs = ["Marenzia said it has signed a maritime security agreement with Veloria, covering joint "
                  "patrols and the exchange of radar data."]
    assert from_html.text.splitlines()[1] == paragraphs[0]  # after the headline
    as_text = RawArticle(id=from_html.id, text=from_html.text, published=from_html.published)
    text_only = html_path.read_text(encoding="utf-8")
    assert "<p>" in text_only  # the file itself is HTML: the reader did the stripping
    a = extractor().extract([from_html])
    b = extractor().extract([as_text])
    for kind in ("MET", "VISITED", "SIGNED"):
        assert edges(a, kind) == edges(b, kind)
    assert edges(a, "MET") and edges(a, "SIGNED")


def test_post_and_get_feeds(tmp_path, site):
    app = create_app(EmbeddedStore(None), settings=settings(data=tmp_path, fetch_allow_private="1"))
    with TestClient(app) as client:
        assert client.post("/feeds", json={"urls": [f"{site.base}/feed.rss"]}).status_code == 401
        r = client.post("/feeds", json={"urls": [f"{site.base}/feed.rss"]}, headers={"X-API-Key": API_KEY})
        assert r.status_code == 201 and r.json()["added"] == [f"{site.base}/feed.rss"]
        [src] = client.get("/feeds").json()["sources"]
        assert src["status"] == "new" and src["last_fetch"] is None
        bad = client.post("/feeds", json={"urls": ["ftp://example.org/x"]}, headers={"X-API-Key": API_KEY})
        assert bad.status_code == 422 and "not an http(s) URL" in bad.text
    # a follower round, as `actorgraph follow` would run it, then GET shows what it did
    run = follow(tmp_path, "--once")
    assert run.returncode == 0, run.stderr
    with TestClient(app) as client:
        [src] = client.get("/feeds").json()["sources"]
    assert (src["status"], src["kind"], src["articles"], src["pending"], src["error"]) == ("ok", "feed", 2, 0, None)
    assert src["last_fetch"]


def test_post_feeds_refuses_private_addresses_unless_allowed(tmp_path):
    app = create_app(EmbeddedStore(None), settings=settings(data=tmp_path))
    with TestClient(app) as client:
        r = client.post("/feeds", json={"urls": ["http://169.254.169.254/latest/meta-data/"]},
                        headers={"X-API-Key": API_KEY})
        assert r.status_code == 422 and "link-local" in r.text
        assert client.get("/feeds").json()["sources"] == []


def test_serve_follow_runs_the_follower_beside_the_service(tmp_path, site):
    """`serve --follow`: a source posted to the service is fetched and stored by its follower process."""
    import json
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(tmp_path),
           "ACTORGRAPH_VOCAB": str(EXAMPLE_VOCAB), "ACTORGRAPH_FETCH_ALLOW_PRIVATE": "1",
           "ACTORGRAPH_FETCH_HOST_INTERVAL": "0", "ACTORGRAPH_API_KEY": API_KEY}
    server = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port), "--follow", "1s"],
                              cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        posted = None
        sources = []
        while time.monotonic() < deadline:
            time.sleep(0.5)
            try:
                if posted is None:
                    req = urllib.request.Request(f"{base}/feeds", method="POST", headers={
                        "X-API-Key": API_KEY, "Content-Type": "application/json"},
                        data=json.dumps({"urls": [f"{site.base}/feed.rss"]}).encode())
                    posted = urllib.request.urlopen(req, timeout=5).status
                sources = json.load(urllib.request.urlopen(f"{base}/feeds", timeout=5))["sources"]
            except OSError:
                continue  # not listening yet
            if sources and sources[0]["articles"] == 2:
                break
        assert posted == 201
        [src] = sources
        # rounds run every second: a later one finds the feed unchanged (304), which is no failure
        assert (src["url"], src["articles"], src["error"]) == (f"{site.base}/feed.rss", 2, None)
        assert src["status"] in ("ok", "unchanged")
        with urllib.request.urlopen(f"{base}/health", timeout=5) as r:
            assert r.status == 200
    finally:
        server.terminate()
        _, err = server.communicate(timeout=60)
    assert "round" in err and "2 new articles ingested" in err
