"""The graph explorer page at ``/``: its HTML, its static files and one JSON of settings it draws
with. All registration is here (``router``), so the app includes one router and nothing else.

The page runs on the JSON API (/actors, /subgraph, /paths/shortest, /centrality); its script is a
static file and the page's Content-Security-Policy forbids inline script, so a name holding markup
can only ever be text.
"""
from service.web.routes import router

__all__ = ["router"]
