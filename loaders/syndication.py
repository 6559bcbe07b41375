"""Near-duplicate and syndicated articles: one story reprinted, lightly edited or carried by several
sites is one source, however many copies were ingested.

Each article's text becomes a MinHash over its word shingles (``datasketch``), and a MinHash LSH
index finds the stored articles whose shingle sets are likely to overlap it by ``THRESHOLD`` or
more (Jaccard). An article joins the cluster of the first such article (its ``Article.cluster``,
the id of the cluster's first article), else starts its own. This runs at ingest and the cluster is
stored with the article, so counting sources (``graph.model.corroboration``) reads no text.
"""
from __future__ import annotations

import re
from typing import Iterable

from datasketch import MinHash, MinHashLSH

__all__ = ["Syndication", "THRESHOLD", "SHINGLE_WORDS", "shingles"]

# Jaccard similarity of 5-word shingle sets above which two texts are one story: a wire story
# under another site's header and footer, or a copy with a few words changed, stays well above
# it; two outlets' own reports of one meeting share only names and stock phrases (under 0.1).
THRESHOLD = 0.5
SHINGLE_WORDS = 5
NUM_PERM = 128
_WORD = re.compile(r"\w+")


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[bytes]:
    """The text's word k-grams, case-folded (a text shorter than k words: its words)."""
    words = _WORD.findall(text.casefold())
    if len(words) < k:
        return {w.encode("utf-8") for w in words}
    return {" ".join(words[i:i + k]).encode("utf-8") for i in range(len(words) - k + 1)}


class Syndication:
    """The clusters of the articles seen so far, and the index that places a new one."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM):
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._cluster: dict[str, str] = {}   # article id -> cluster id
        self._order: dict[str, int] = {}     # article id -> arrival: the earliest match wins

    @classmethod
    def of(cls, kept: Iterable[tuple[str, str, str | None]]) -> "Syndication":
        """Knowing the stored articles, as (id, text, cluster) in ingest order (a stored cluster is
        kept as it is; one stored before clusters were kept is placed as if ingested now)."""
        index = cls()
        for article_id, text, cluster in kept:
            index.place(article_id, text, cluster)
        return index

    def _minhash(self, text: str) -> MinHash:
        m = MinHash(num_perm=self.num_perm)
        m.update_batch(sorted(shingles(text)))
        return m

    def place(self, article_id: str, text: str, cluster: str | None = None) -> str:
        """The cluster of the article ``article_id`` (placed once: the same id again keeps its
        cluster); ``cluster`` given: that one, as stored."""
        have = self._cluster.get(article_id)
        if have is not None:
            return have
        m = self._minhash(text)
        if cluster is None:
            near = [a for a in self._lsh.query(m) if a != article_id]
            cluster = self._cluster[min(near, key=self._order.__getitem__)] if near else article_id
        self._lsh.insert(article_id, m)
        self._cluster[article_id] = cluster
        self._order[article_id] = len(self._order)
        return cluster
