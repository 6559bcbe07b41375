"""POST /articles: extract actors and relations from articles and add them to the graph."""
from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Response, status

from graph.model import content_hash
from service.api.judgements import delete_article as delete
from service.curation import ingest, write_lock
from service.seed_index import store_names
from service.deps import ExtractorDep, SettingsDep, StoreDep, require_write_key
from service.errors import ParameterError
from service.models import ArticleIn, ArticlesIn, IngestPublic

router = APIRouter(prefix="/articles", tags=["articles"])


def article_id(item: ArticleIn) -> str:
    """The given id, else one derived from the text, so posting the same text twice is idempotent."""
    return item.id or f"{hashlib.sha256(item.text.encode()).hexdigest()[:16]}.txt"


def to_raw(item: ArticleIn):
    from loaders.read import RawArticle  # the loaders are imported with the extractor, on first use
    return RawArticle(id=article_id(item), text=item.text, published=item.date, source=item.source, url=item.url,
                      title=item.title)


@router.post("", response_model=IngestPublic, status_code=status.HTTP_201_CREATED,
             dependencies=[Depends(require_write_key)],
             responses={401: {"description": "missing or wrong X-API-Key"},
                        403: {"description": "writes disabled: ACTORGRAPH_API_KEY is not set"}})
def ingest_articles(body: ArticlesIn, store: StoreDep, settings: SettingsDep, extractor: ExtractorDep) -> IngestPublic:
    """Extract the articles' actors and relations and upsert them in one batch (idempotent)."""
    for i, item in enumerate(body.articles):
        size = len(item.text.encode())
        if size > settings.max_article_bytes:
            raise ParameterError(f"articles.{i}.text", f"the article is {size} bytes, over the "
                                 f"{settings.max_article_bytes} allowed (ACTORGRAPH_MAX_ARTICLE_BYTES)", where="body")
    from loaders.dedupe import Dedupe

    with write_lock:
        # Extract everything before writing anything: a failing article leaves the graph untouched.
        # The store's actors go in (from the name index kept with the store, brought up to its last
        # write) so that new sightings of known people keep their ids; a text already stored (or
        # sent twice) under another id is dropped, not cited twice. Each article is kept (text, raw
        # contribution) for curation; the judgements are applied.
        dedupe = Dedupe(known=store.articles_by_content(content_hash(item.text) for item in body.articles))
        raws = list(dedupe.filter(to_raw(item) for item in body.articles))
        result = ingest(store, extractor, raws, names=store_names(store).current)
    return IngestPublic(articles=[raw.id for raw in raws], actors=result.actors,
                        relations=result.relations, provenance=result.provenance, new_articles=result.articles,
                        updated=result.updated, version=store.version(),
                        duplicates={d.id: d.same_as for d in dedupe.duplicates})


@router.delete("/{article_id:path}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[Depends(require_write_key)],
               responses={401: {"description": "missing or wrong X-API-Key"},
                          403: {"description": "writes disabled: ACTORGRAPH_API_KEY is not set"},
                          404: {"description": "no such article"},
                          409: {"description": "the store holds articles without kept text: ingest them again"}})
def delete_article(article_id: Annotated[str, Path(max_length=1000)], store: StoreDep) -> Response:
    """Remove an article: its citations, the relations only it supported, the actors only it named."""
    if not delete(store, article_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no article {article_id!r}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)
