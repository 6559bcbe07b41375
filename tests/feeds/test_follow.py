"""The follower against a real HTTP server on loopback (tests/feeds/news_site.py): real RSS 2.0,
Atom and news sitemap XML over pages made from the example articles, fetched with the real client."""
from __future__ import annotations

import pytest

from loaders.feeds.fetch import FetchError, Fetcher, FetchPolicy, parse_allow_private
from loaders.feeds.follow import Follower
from loaders.feeds.state import FollowState
from tests.feeds.news_site import serve

# Loopback is where the test site is; ACTORGRAPH_FETCH_ALLOW_PRIVATE=1 in production terms.
LOOPBACK_ONLY = parse_allow_private("127.0.0.0/8")


@pytest.fixture
def site():
    site, server = serve()
    yield site
    server.shutdown()
    server.server_close()


def policy(**kw) -> FetchPolicy:
    base = dict(host_interval=0.0, timeout=2.0, retries=1, backoff=0.05, allow_private=LOOPBACK_ONLY)
    return FetchPolicy(**{**base, **kw})


class Collect:
    """The ingest step: keeps what it is given (the store path is tested in test_follow_cli)."""

    def __init__(self):
        self.articles = []

    def __call__(self, raws):
        self.articles += raws


def follower(tmp_path, site_urls, fetch_policy=None):
    state = FollowState(tmp_path / "follow.sqlite")
    state.add_sources(site_urls)
    got = Collect()
    messages: list[str] = []
    return Follower(state, Fetcher(fetch_policy or policy()), got, log=messages.append), got, messages


def test_first_round_ingests_every_article_with_headline_date_and_outlet(tmp_path, site):
    f, got, _ = follower(tmp_path, [f"{site.base}/feed.rss", f"{site.base}/atom.xml", f"{site.base}/news-sitemap.xml"])
    summary = f.round()
    assert not summary.failed
    expected = {site.base + p.path: p for group in site.pages.values() for p in group}
    by_url = {a.url: a for a in got.articles}
    assert set(by_url) == set(expected)
    for url, page in expected.items():
        art = by_url[url]
        assert (art.title, art.published, art.source) == (page.headline, page.date, page.outlet), url
        assert art.id == url
        assert "Copyright" not in art.text and "Home" not in art.text  # the page's chrome is gone
    assert summary.articles == len(expected)
    # the feed's entry filled what the minister page lacks (no <title>, <h1> or date on it)
    assert "<title>" not in site.documents()["/news/minister.html"][1]


def test_second_round_fetches_nothing_new(tmp_path, site):
    listings = ["/feed.rss", "/atom.xml", "/news-sitemap.xml"]
    f, got, _ = follower(tmp_path, [site.base + p for p in listings])
    f.round()
    first = len(got.articles)
    site.log.clear()
    summary = f.round()
    assert len(got.articles) == first and summary.articles == 0
    # robots.txt (read again each round) and the listings, each answered 304 Not Modified; no article page
    assert sorted(site.log) == sorted([("/robots.txt", 200)] + [(p, 304) for p in listings])
    assert summary.unchanged == 3


def test_a_new_entry_is_the_only_article_fetched_next_round(tmp_path, site):
    f, got, _ = follower(tmp_path, [f"{site.base}/feed.rss"])
    f.round()
    extra = site.pages["atom"][0]
    site.pages["rss"].append(extra)  # the feed now lists one more article
    site.log.clear()
    f.round()
    assert [a.url for a in got.articles][-1] == site.base + extra.path and len(got.articles) == 3
    assert sorted(p for p, _ in site.log) == sorted(["/robots.txt", "/feed.rss", extra.path])


def test_a_killed_run_resumes_with_what_was_pending(tmp_path, site):
    state_path = tmp_path / "follow.sqlite"
    state = FollowState(state_path)
    state.add_sources([f"{site.base}/feed.rss"])

    def dies(raws):
        raise RuntimeError("killed while storing")

    with pytest.raises(RuntimeError):
        Follower(state, Fetcher(policy()), dies, chunk=1).round()
    state.close()
    # a new process: nothing was marked ingested, so every article comes again
    state = FollowState(state_path)
    got = Collect()
    Follower(state, Fetcher(policy()), got).round()
    assert sorted(a.url for a in got.articles) == sorted(site.base + p.path for p in site.pages["rss"])


def test_a_sitemap_index_leads_to_its_sitemaps_articles(tmp_path, site):
    f, got, _ = follower(tmp_path, [f"{site.base}/sitemap-index.xml"])
    f.round()
    [page] = site.pages["sitemap"]
    assert [(a.url, a.source, a.published) for a in got.articles] == [(site.base + page.path, page.outlet, page.date)]
    assert f.state.source(f"{site.base}/sitemap-index.xml").kind == "sitemapindex"
    site.log.clear()
    f.round()  # the index is unchanged: neither its sitemap nor the page is asked for again
    assert site.log == [("/robots.txt", 200), ("/sitemap-index.xml", 304)]


def test_429_with_retry_after_is_waited_for(tmp_path, site):
    f, got, _ = follower(tmp_path, [f"{site.base}/busy.rss", f"{site.base}/feed.rss"])
    summary = f.round()
    assert site.requests("/busy.rss") == [429, 200]
    assert not summary.failed and len(got.articles) == 2


def test_faults_are_named_and_nothing_else_is_lost(tmp_path, site):
    faults = {"/always-busy.rss": "Retry-After 3600 s", "/slow.rss": "timed out", "/broken.rss": "broken XML",
              "/huge.rss": "over the size limit", "/private/secret.html": "robots.txt"}
    urls = [site.base + p for p in faults] + [f"{site.base}/feed.rss", f"{site.base}/atom.xml"]
    f, got, messages = follower(tmp_path, urls, policy(timeout=0.5, retries=0, max_bytes=100_000))
    summary = f.round()
    failed = dict(summary.failed)
    for path, reason in faults.items():
        url = site.base + path if path != "/huge.rss" else site.base + "/big.html"
        assert reason in failed[url], (url, failed.get(url))
        assert any(m.startswith(url) and reason in m for m in messages)
    assert len(summary.failed) == len(faults)
    # the good sources' articles all came in
    assert sorted(a.url for a in got.articles) == sorted(site.base + p.path for p in site.pages["rss"] + site.pages["atom"])
    rows = {s.url: s for s in f.state.sources()}
    assert rows[f"{site.base}/broken.rss"].status == "failed" and "broken XML" in rows[f"{site.base}/broken.rss"].error
    assert rows[f"{site.base}/feed.rss"].status == "ok" and rows[f"{site.base}/feed.rss"].articles == 2


def test_a_redirect_to_a_link_local_address_is_refused(site):
    with Fetcher(policy()) as fetcher:
        with pytest.raises(FetchError) as err:
            fetcher.fetch(f"{site.base}/to-metadata")
    assert "169.254.169.254 is a link-local address" in err.value.reason
    assert site.requests("/to-metadata") == [302]


def test_loopback_is_refused_unless_allowed(site):
    with Fetcher(policy(allow_private=())) as fetcher:
        with pytest.raises(FetchError, match="127.0.0.1 is a loopback address"):
            fetcher.fetch(f"{site.base}/feed.rss")
    assert site.log == []  # refused before a byte was sent
    with Fetcher(policy(allow_private=parse_allow_private("1"))) as fetcher:
        assert fetcher.fetch(f"{site.base}/feed.rss").status == 200


def test_requests_name_the_tool_and_are_conditional(site):
    with Fetcher(policy()) as fetcher:
        first = fetcher.fetch(f"{site.base}/feed.rss")
        again = fetcher.fetch(f"{site.base}/feed.rss", etag=first.etag)
    assert first.status == 200 and first.etag and again.status == 304
    assert fetcher.policy.user_agent.startswith("actorgraph")


def test_requests_to_one_host_are_spaced_by_the_interval_and_crawl_delay(site):
    waits: list[float] = []
    paths = ["/feed.rss", "/atom.xml", "/news-sitemap.xml"]
    with Fetcher(policy(host_interval=5.0), sleep=waits.append) as fetcher:
        for p in paths:
            fetcher.fetch(site.base + p)
    # robots.txt, then three documents: each request after the first waits for the host's slot
    assert len(waits) == len(paths) and all(w > 4.0 for w in waits)
    site.documents_extra = {"/robots.txt": "User-agent: *\nCrawl-delay: 30\n"}
    waits.clear()
    with Fetcher(policy(host_interval=0.0), sleep=waits.append) as fetcher:
        fetcher.fetch(f"{site.base}/feed.rss")
        fetcher.fetch(f"{site.base}/atom.xml")
    # between the two documents, the site's Crawl-delay (above our own 0 s); robots.txt came before it was known
    assert len(waits) == 1 and waits[0] > 25.0
