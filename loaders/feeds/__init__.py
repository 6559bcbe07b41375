"""Following sources on the web: RSS/Atom feeds, (news) sitemaps and article pages, fetched politely.

``fetch`` is the HTTP side (httpx: robots.txt, a per-host rate limit, conditional GET, timeouts, a
size limit, retries, and the guard against private addresses); ``sources`` turns a fetched document
into entries (feedparser, lxml) or an article (``loaders.read``'s trafilatura reader); ``state`` is
the follower's own SQLite file of sources and fetched URLs; ``follow`` runs a round over them.

May import ``loaders.read`` and the standard library; nothing from ``graph`` or ``service``: the
caller hands the follower a function that ingests articles.
"""
