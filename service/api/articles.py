"""POST /articles: extract actors and relations from articles and add them to the graph."""
from __future__ import annotations

import hashlib
import threading

from fastapi import APIRouter, Depends, status

from graph.model import Article, GraphBatch
from service.deps import ExtractorDep, StoreDep, require_write_key
from service.models import ArticleIn, ArticlesIn, IngestPublic

router = APIRouter(prefix="/articles", tags=["articles"])

# One ingest at a time: the stores merge aliases read-modify-write, and the extractor is shared.
_write_lock = threading.Lock()


def article_id(item: ArticleIn) -> str:
    """The given id, else one derived from the text, so posting the same text twice is idempotent."""
    return item.id or f"{hashlib.sha256(item.text.encode()).hexdigest()[:16]}.txt"


def extract(extractor, item: ArticleIn) -> GraphBatch:
    aid = article_id(item)
    batch = extractor.extract_text(item.text, article_id=aid, published=item.date)
    have = batch.articles.get(aid)
    batch.articles[aid] = Article(id=aid, title=item.title or (have.title if have else None),
                                  published=item.date or (have.published if have else None),
                                  source=item.source or (have.source if have else None),
                                  url=item.url or (have.url if have else None))
    return batch


@router.post("", response_model=IngestPublic, status_code=status.HTTP_201_CREATED,
             dependencies=[Depends(require_write_key)],
             responses={401: {"description": "missing or wrong X-API-Key"},
                        403: {"description": "writes disabled: ACTORGRAPH_API_KEY is not set"}})
def ingest_articles(body: ArticlesIn, store: StoreDep, extractor: ExtractorDep) -> IngestPublic:
    """Extract the articles' actors and relations and upsert them in one batch (idempotent)."""
    with _write_lock:
        # Extract everything before writing anything: a failing article leaves the graph untouched.
        batch = GraphBatch.merged(extract(extractor, item) for item in body.articles)
        result = store.upsert(batch)
    return IngestPublic(articles=[article_id(a) for a in body.articles], actors=result.actors,
                        relations=result.relations, provenance=result.provenance, new_articles=result.articles,
                        updated=result.updated, version=store.version())
