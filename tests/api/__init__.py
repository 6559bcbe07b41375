"""The HTTP API (service/api): reads, errors, curation routes, the corpus, the transport's edges, /docs offline.

conftest.py holds the ``seeded`` store and the ``client`` over it."""
