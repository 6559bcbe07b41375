"""What a fetched document holds: a feed's or a sitemap's entries, or an article.

RSS and Atom (every dialect) are read by feedparser; sitemaps and news sitemaps by lxml; an
article page by ``loaders.read.html_article`` (trafilatura), with the entry that led to it filling
the headline and date the page lacks. The outlet is the site's name (the page's, else the feed's
title, else the host), so corroboration counts outlets, not URLs.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from loaders.read import RawArticle, html_article

from loaders.feeds.fetch import Fetched

__all__ = ["Entry", "Listing", "SourceError", "parse_listing", "read_article", "is_listing"]

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
_FEED_ROOTS = {"rss", "feed", "RDF", "channel"}


class SourceError(Exception):
    """A document that is neither a readable feed, sitemap nor page; the message says why."""


@dataclass
class Entry:
    url: str
    title: str | None = None
    published: str | None = None   # ISO date (YYYY-MM-DD)
    outlet: str | None = None      # the feed's title or the news sitemap's publication name


@dataclass
class Listing:
    kind: str                                 # "feed", "sitemap" or "sitemapindex"
    entries: list[Entry] = field(default_factory=list)
    note: str = ""                            # e.g. a feed read leniently despite broken XML


def _head(body: bytes) -> bytes:
    return body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()


def is_listing(fetched: Fetched) -> bool:
    """Whether the document is XML (a feed or sitemap) rather than an HTML page."""
    head = _head(fetched.body)
    ctype = fetched.content_type.lower()
    if head.startswith((b"<!doctype html", b"<html")):
        return False
    return head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf")) or "xml" in ctype


def parse_listing(fetched: Fetched) -> Listing:
    """The entries of a feed or sitemap; SourceError naming the fault when it is neither."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(fetched.body, parser=parser)
    except etree.XMLSyntaxError as exc:
        # feedparser reads much broken RSS; a document it cannot read either is named as broken.
        listing = _feed(fetched)
        if listing.entries:
            listing.note = f"read leniently: not well-formed XML ({exc})"
            return listing
        raise SourceError(f"broken XML: {exc}") from None
    name = etree.QName(root).localname
    if name == "urlset":
        return Listing("sitemap", [_sitemap_entry(url, fetched.url) for url in root.iterfind(f"{{{SITEMAP_NS}}}url")
                                   if url.findtext(f"{{{SITEMAP_NS}}}loc")])
    if name == "sitemapindex":
        return Listing("sitemapindex", [Entry(urljoin(fetched.url, loc.text.strip())) for loc in
                                        root.iterfind(f"{{{SITEMAP_NS}}}sitemap/{{{SITEMAP_NS}}}loc") if loc.text])
    if name in _FEED_ROOTS:
        return _feed(fetched)
    raise SourceError(f"XML, but neither a feed nor a sitemap (its root is <{name}>)")


def _feed(fetched: Fetched) -> Listing:
    import feedparser

    parsed = feedparser.parse(fetched.body, response_headers={"content-location": fetched.url})
    outlet = (parsed.feed.get("title") or "").strip() or None
    entries = []
    for e in parsed.entries:
        link = e.get("link") or next((ln.get("href") for ln in e.get("links", []) if ln.get("href")), None)
        if not link:
            continue
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        entries.append(Entry(urljoin(fetched.url, link), title=(e.get("title") or "").strip() or None,
                             published=f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}" if stamp else None,
                             outlet=outlet))
    return Listing("feed", entries)


def _sitemap_entry(url, base: str) -> Entry:
    s, n = f"{{{SITEMAP_NS}}}", f"{{{NEWS_NS}}}"
    date = url.findtext(f"{n}news/{n}publication_date") or url.findtext(f"{s}lastmod")
    return Entry(urljoin(base, url.findtext(f"{s}loc").strip()),
                 title=(url.findtext(f"{n}news/{n}title") or "").strip() or None,
                 published=date.strip()[:10] if date else None,
                 outlet=(url.findtext(f"{n}news/{n}publication/{n}name") or "").strip() or None)


def read_article(fetched: Fetched, entry: Entry | None = None) -> RawArticle:
    """The article on a fetched page; the entry fills the headline, date and outlet it lacks."""
    art = html_article(_decode(fetched), article_id=fetched.url, url=fetched.url)
    entry = entry or Entry(fetched.url)
    art.title = art.title or entry.title
    art.published = art.published or entry.published
    art.source = art.source or entry.outlet or urlsplit(fetched.url).hostname
    if not art.text.strip():
        raise SourceError("no article text on the page")
    return art


def _decode(fetched: Fetched) -> str:
    ctype = fetched.content_type.lower()
    charset = ctype.split("charset=", 1)[1].split(";")[0].strip(' "') if "charset=" in ctype else "utf-8"
    try:
        return fetched.body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return fetched.body.decode("utf-8", "replace")
