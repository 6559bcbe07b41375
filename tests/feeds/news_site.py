"""A real news site on loopback for the follower's tests: http.server in a thread serving RSS 2.0,
Atom and a news sitemap over article pages made from the example articles, with ETags, and the
faults a follower meets (429 with Retry-After, a slow answer, broken XML, a redirect to a
link-local address, a page over the size limit). Every request is logged."""
from __future__ import annotations

import hashlib
import html
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.extraction.support import EXAMPLES


@dataclass
class Page:
    path: str
    headline: str
    date: str            # ISO
    outlet: str
    body: str            # the HTML served


def _paragraphs(text: str) -> list[str]:
    lines = [ln.strip() for ln in text.splitlines()]
    return [ln for ln in lines if ln and not ln.startswith(("By a staff reporter", "First Published"))]


def _page(paragraphs: list[str], *, title: str | None, date: str | None, site: str | None) -> str:
    head = (f"<title>{html.escape(title)} | {site}</title>" if title else "")
    head += f'<meta property="og:site_name" content="{site}">' if site else ""
    head += f'<meta property="article:published_time" content="{date}T09:00:00Z">' if date else ""
    h1 = f"<h1>{html.escape(title)}</h1>" if title else ""
    ps = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html><head>{head}</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a>"
            f"</nav><article>{h1}{ps}</article><footer>Copyright the site</footer></body></html>")


def example_pages() -> dict[str, list[Page]]:
    """The pages behind each listing: rss (full metadata / none, filled by the feed), atom, sitemap."""
    t1 = (EXAMPLES / "01_velorian_army_chief_in_ostrland.txt").read_text(encoding="utf-8")
    t4 = (EXAMPLES / "04_marenzian_minister_in_halvik.txt").read_text(encoding="utf-8")
    h1, *p1 = _paragraphs(t1)
    h4, *p4 = _paragraphs(t4)
    rss = [Page("/news/army-chief.html", h1, "2026-03-10", "Halvik Herald",
                _page(p1, title=h1, date="2026-03-10", site="Halvik Herald")),
           # no headline, no date on the page: the feed's entry fills both
           Page("/news/minister.html", h4, "2026-07-04", "Halvik Herald",
                _page(p4, title=None, date=None, site="Halvik Herald"))]
    briefs = [json.loads(line) for line in (EXAMPLES / "03_briefs.jsonl").read_text(encoding="utf-8").splitlines()]
    atom = [Page(f"/wire/{b['id']}.html", f"Brief {i}: {b['id'].split('-', 1)[1]}", b["date"], "Example Wire",
                 _page(_paragraphs(b["text"]), title=None, date=None, site="Example Wire"))
            for i, b in enumerate(briefs, 1)]
    sitemap = [Page("/courier/pact.html", "Marenzia and Veloria sign maritime security pact", "2026-04-14",
                    "Castel Vor Courier", (EXAMPLES / "02_marenzia_veloria_pact.html").read_text(encoding="utf-8"))]
    return {"rss": rss, "atom": atom, "sitemap": sitemap}


def _rfc822(iso: str) -> str:
    import email.utils
    from datetime import datetime, timezone
    return email.utils.format_datetime(datetime.fromisoformat(iso).replace(hour=8, tzinfo=timezone.utc))


def rss(base: str, pages: list[Page]) -> str:
    items = "".join(f"<item><title>{html.escape(p.headline)}</title><link>{base}{p.path}</link>"
                    f"<pubDate>{_rfc822(p.date)}</pubDate><guid>{base}{p.path}</guid></item>" for p in pages)
    return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Halvik Herald</title>'
            f"<link>{base}/</link><description>Defence news</description>{items}</channel></rss>")


def atom(base: str, pages: list[Page]) -> str:
    entries = "".join(f"<entry><title>{html.escape(p.headline)}</title><link href=\"{base}{p.path}\"/>"
                      f"<id>{base}{p.path}</id><updated>{p.date}T08:00:00Z</updated></entry>" for p in pages)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Example Wire</title><id>{base}/atom.xml</id><updated>2026-06-02T00:00:00Z</updated>"
            f"{entries}</feed>")


def news_sitemap(base: str, pages: list[Page]) -> str:
    urls = "".join(f"<url><loc>{base}{p.path}</loc><news:news><news:publication><news:name>{p.outlet}"
                   f"</news:name><news:language>en</news:language></news:publication>"
                   f"<news:publication_date>{p.date}</news:publication_date><news:title>{html.escape(p.headline)}"
                   f"</news:title></news:news></url>" for p in pages)
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>')


@dataclass
class NewsSite:
    base: str = ""
    pages: dict[str, list[Page]] = field(default_factory=example_pages)
    log: list[tuple[str, int]] = field(default_factory=list)     # (path, status) per request
    busy_left: int = 1              # /busy.rss answers 429 (Retry-After: 1) this many times first
    slow_seconds: float = 3.0
    big_bytes: int = 400_000
    documents_extra: dict[str, str] = field(default_factory=dict)  # path -> text, replacing a document

    def requests(self, path: str) -> list[int]:
        return [status for p, status in self.log if p == path]

    def documents(self) -> dict[str, tuple[str, str]]:
        """path -> (content type, body) for everything served with an ETag."""
        docs = {"/robots.txt": ("text/plain", "User-agent: *\nDisallow: /private/\n"),
                "/feed.rss": ("application/rss+xml", rss(self.base, self.pages["rss"])),
                "/atom.xml": ("application/atom+xml", atom(self.base, self.pages["atom"])),
                "/news-sitemap.xml": ("application/xml", news_sitemap(self.base, self.pages["sitemap"])),
                "/sitemap-index.xml": ("application/xml",
                                       '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                                       f'sitemap/0.9"><sitemap><loc>{self.base}/news-sitemap.xml</loc></sitemap>'
                                       '</sitemapindex>'),
                "/broken.rss": ("application/rss+xml",
                                '<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title><<<<'),
                "/private/secret.html": ("text/html", "<html><body><p>Not for robots.</p></body></html>"),
                "/huge.rss": ("application/rss+xml", rss(self.base, [Page("/big.html", "Big", "2026-01-01", "x", "")])),
                "/big.html": ("text/html", "<html><body><article>" + "<p>Padding paragraph of a page.</p>" *
                              (self.big_bytes // 30) + "</article></body></html>"),
                "/busy.rss": ("application/rss+xml", rss(self.base, [])),
                "/slow.rss": ("application/rss+xml", rss(self.base, []))}
        for group in self.pages.values():
            for page in group:
                docs[page.path] = ("text/html; charset=utf-8", page.body)
        for path, text in self.documents_extra.items():
            docs[path] = (docs[path][0] if path in docs else "text/plain", text)
        return docs


def _handler(site: NewsSite):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

        def log_message(self, *args):  # the test reads site.log instead
            pass

        def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
            site.log.append((self.path, status))
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = self.path
            if path == "/busy.rss" and site.busy_left > 0:
                site.busy_left -= 1
                return self._send(429, b"slow down", {"Retry-After": "1"})
            if path == "/always-busy.rss":
                return self._send(429, b"slow down", {"Retry-After": "3600"})
            if path == "/slow.rss":
                time.sleep(site.slow_seconds)
            if path == "/to-metadata":  # a redirect to the cloud metadata address (link-local)
                return self._send(302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"})
            docs = site.documents()
            if path not in docs:
                return self._send(404, b"not found")
            ctype, text = docs[path]
            body = text.encode("utf-8")
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", {"ETag": etag})
            self._send(200, body, {"Content-Type": ctype, "ETag": etag})

    return Handler


def serve() -> tuple[NewsSite, ThreadingHTTPServer]:
    site = NewsSite()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site, server
