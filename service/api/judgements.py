"""POST /judgements, GET /judgements, POST /judgements/{id}/undo: analysts' corrections, kept with
the graph and applied to every later ingest (``graph.curation``). DELETE /articles/{id} is in
``service.api.articles``."""
from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Request, status
from pydantic import BaseModel, ConfigDict, Field

from graph.curation import Judgement, JudgementError
from graph.stores.interface import CurationRefused, GraphStore
from service.curation import write_lock
from service.deps import SettingsDep, StoreDep, key_held, require_read_key, require_write_key
from service.settings import Settings

router = APIRouter(prefix="/judgements", tags=["curation"])

Kind = Literal["same", "different", "reject-actor", "reject-relation", "rename", "retype"]
_WRITE_ERRORS = {401: {"description": "missing or wrong X-API-Key"},
                 403: {"description": "writes disabled: ACTORGRAPH_API_KEY is not set"},
                 409: {"description": "the store holds articles without kept text: ingest them again"},
                 422: {"description": "the judgement is refused (unknown actor or relation, a contradiction)"}}


class JudgementIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"kind": "same", "target": "person:tomas-reyvik", "other": "person:t-reyvik"}]})

    kind: Kind = Field(description="same A B, different A B, reject-actor A, reject-relation KEY, "
                                   "rename A NAME, retype A TYPE")
    target: str = Field(min_length=1, max_length=500, description="actor id A, or the relation key to reject")
    other: str | None = Field(default=None, max_length=500,
                              description="B (same, different), the new name (rename) or type (retype)")


class JudgementPublic(BaseModel):
    id: str
    kind: Kind
    target: str
    other: str | None = None
    who: str = Field(description="the API key's name (api:NAME) or the CLI user (cli:USER); to callers "
                                 "without the key only api or cli")
    at: str = Field(description="when it was made, ISO 8601 UTC")
    active: bool
    undone_by: str | None = None
    undone_at: str | None = None

    @classmethod
    def of(cls, j: Judgement) -> "JudgementPublic":
        return cls(id=j.id, kind=j.kind, target=j.target, other=j.other, who=j.who, at=j.at, active=j.active,
                   undone_by=j.undone_by, undone_at=j.undone_at)


def who(settings: Settings) -> str:
    return f"api:{settings.api_key_name}"


def _curate(fn):
    """Run a curation write under the ingest lock, its refusals as 422 and 409."""
    try:
        with write_lock:
            return fn()
    except JudgementError as exc:
        raise HTTPException(422, str(exc)) from None
    except CurationRefused as exc:
        raise HTTPException(status.HTTP_409_CONFLICT, str(exc)) from None


@router.get("", response_model=list[JudgementPublic], dependencies=[Depends(require_read_key)])
def list_judgements(request: Request, store: StoreDep, settings: SettingsDep) -> list[JudgementPublic]:
    """Every judgement, oldest first; undone ones stay listed with who undid them and when. Who
    (the OS account of a CLI user, the key's name) is shown to the key's holders; to others only
    whether it came from the CLI or the API."""
    shown = key_held(request, settings)
    out = [JudgementPublic.of(j) for j in store.judgements()]
    if not shown:
        for j in out:
            j.who = j.who.split(":", 1)[0]
            j.undone_by = j.undone_by.split(":", 1)[0] if j.undone_by else None
    return out


@router.post("", response_model=JudgementPublic, status_code=status.HTTP_201_CREATED,
             dependencies=[Depends(require_write_key)], responses=_WRITE_ERRORS)
def make_judgement(body: JudgementIn, store: StoreDep, settings: SettingsDep) -> JudgementPublic:
    """Record a judgement and rebuild the graph with it; later ingests apply it too."""
    return JudgementPublic.of(_curate(lambda: store.judge(body.kind, body.target, body.other, who(settings))))


@router.post("/{judgement_id}/undo", response_model=JudgementPublic, dependencies=[Depends(require_write_key)],
             responses=_WRITE_ERRORS)
def undo_judgement(judgement_id: Annotated[str, Path(max_length=64)], store: StoreDep,
                   settings: SettingsDep) -> JudgementPublic:
    """Undo a judgement: the graph is rebuilt as the extractor and the other judgements say."""
    return JudgementPublic.of(_curate(lambda: store.undo(judgement_id, who(settings))))


def delete_article(store: GraphStore, article_id: str) -> bool:
    return _curate(lambda: store.delete_article(article_id))
