"""GET /centrality/trend and /centrality/risers: who rose, per bucket and between two windows
(``graph.analytics.trends``), computed once per graph version and filter."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Annotated, Hashable, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from graph.analytics import trends
from graph.analytics.algorithms import CentralityMetric
from graph.queries.subgraphs import UnknownActor, cited_relations, make_filter
from service.api.params import MinSources, TypesParam, parse_types
from service import heavy
from service.deps import Names, StoreDep, ViewsDep, actor_id_of
from service.errors import ParameterError
from service.models import ActorRef, RelationPublic, relation_public

router = APIRouter(prefix="/centrality", tags=["centrality"])

_BOUNDED = {429: {"description": "too many heavy computations under way (Retry-After)"},
            503: {"description": "the computation ran out of its time budget, or the store is unavailable (Retry-After)"}}

MAX_ACTORS = 100
MAX_RISERS = 100
# The events cited per riser: enough to see why it rose without a page of every meeting.
MAX_EVENTS = 20
# Risers computed per view (graph version and filter) and kept for the next pages: this many
# (metric, windows, order) at most, since windows are free text and each costs two centralities.
RISERS_CACHED = 16

Metric = Annotated[CentralityMetric, Query(description="networkx measure on each graph's undirected view")]


class StandingPublic(BaseModel):
    score: float
    rank: int = Field(description="1 + the actors scoring higher in that graph (ties share a rank)")


class BucketPublic(BaseModel):
    bucket: str = Field(description="2026-03 (month), 2026-Q1 (quarter) or 2026 (year)")
    since: str
    until: str
    events: int = Field(description="event relations dated in the bucket")
    nodes: int = Field(description="actors of the bucket's graph (its events' and the structure's)")


class TrendPointPublic(BaseModel):
    bucket: str
    score: float | None = Field(description="null when the actor is not in that bucket's graph")
    rank: int | None = None


class TrendSeriesPublic(BaseModel):
    actor: ActorRef
    points: list[TrendPointPublic]


class TrendPublic(BaseModel):
    metric: str
    bucket: Literal["month", "quarter", "year"]
    version: str = Field(description="the graph version the scores were computed on")
    imprecise: int = Field(description="events dated less precisely than the bucket (a bare year), left out")
    buckets: list[BucketPublic]
    actors: list[TrendSeriesPublic]
    approximate: bool = Field(False, description="scores of some graph estimated (betweenness on a graph of "
                                                 "2,000 actors or more: KADABRA), each within `error` of the exact "
                                                 "one with probability >= 0.9; closeness there scores the "
                                                 "highest-degree candidates only")
    error: float | None = Field(None, description="the stated bound on |score - exact score| when approximate")


class WindowPublic(BaseModel):
    since: str
    until: str


class RiserPublic(BaseModel):
    actor: ActorRef
    before: StandingPublic | None = Field(description="null when the actor was not in the before window's graph")
    after: StandingPublic
    rank_gain: int = Field(description="ranks climbed; an actor absent before counts as just below the last")
    score_gain: float
    events_total: int = Field(description="the after window's events touching the actor")
    events: list[RelationPublic] = Field(description=f"the first {MAX_EVENTS} of them in date order, cited")


class RisersPublic(BaseModel):
    metric: str
    by: Literal["rank", "score"]
    version: str
    before: WindowPublic
    after: WindowPublic
    total: int = Field(description="actors that gained by the chosen measure")
    items: list[RiserPublic]
    approximate: bool = Field(False, description="scores of some graph estimated (betweenness on a graph of "
                                                 "2,000 actors or more: KADABRA), each within `error` of the exact "
                                                 "one with probability >= 0.9; closeness there scores the "
                                                 "highest-degree candidates only")
    error: float | None = Field(None, description="the stated bound on |score - exact score| when approximate")


class _Recent:
    """A small LRU of computed risers, one per view."""

    def __init__(self, size: int):
        self.size, self._items, self._lock = size, OrderedDict(), threading.Lock()

    def peek(self, key: Hashable) -> list | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: Hashable, value: list) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def _ids(values: list[str] | None) -> list[str]:
    return [v.strip() for value in values or [] for v in value.split(",") if v.strip()]


@router.get("/trend", response_model=TrendPublic,
            responses={404: {"description": "unknown actor; close names"}, **_BOUNDED})
async def centrality_trend(
    request: Request, store: StoreDep, views: ViewsDep, metric: Metric = "degree",
    bucket: Annotated[Literal["month", "quarter", "year"], Query(description="calendar bucket of the events")]
    = "quarter",
    actors: Annotated[list[str] | None, Query(description="actor ids, repeated or comma-separated (default: the "
                                                          "actors in the top `limit` of any bucket)",
                                              examples=["person:tomas-reyvik"])] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_ACTORS, description="without actors: the top ranks followed")] = 10,
    types: TypesParam = None, min_sources: MinSources = None,
) -> TrendPublic:
    """Each actor's score and rank per bucket, on the graph of that bucket's events and the
    (timeless) structure relations. Bounded: see ACTORGRAPH_HEAVY_BUDGET_S."""
    wanted = _ids(actors)
    if len(wanted) > MAX_ACTORS:
        raise ParameterError("actors", f"{len(wanted)} actors asked for, at most {MAX_ACTORS}", None)

    def prepare():
        view = views.get(make_filter(parse_types(types), None, None, min_sources))
        ids = []
        for actor in wanted:
            actor = actor_id_of(store, views, actor, "actors")  # an id or a name
            if actor not in view.graph:
                raise UnknownActor(actor, "actors")
            ids.append(actor)
        return view, ids

    view, ids = await run_in_threadpool(prepare)
    table = await heavy.compute(request, view, ("trend", metric, bucket), trends.trend_of, (metric, bucket))
    return await run_in_threadpool(_trend_answer, store, view, table, ids, metric, bucket, limit)


def _trend_answer(store, view, table: trends.Trend, ids: list[str], metric: str, bucket: str, limit: int) -> TrendPublic:
    names = Names(store, view.graph)
    series = [TrendSeriesPublic(actor=names.need(a), points=[
        TrendPointPublic(bucket=b.label, score=st.score if st else None, rank=st.rank if st else None)
        for b, st in table.series(a)]) for a in (list(dict.fromkeys(ids)) or table.leaders(limit))]
    return TrendPublic(metric=metric, bucket=bucket, version=view.version, imprecise=table.imprecise,
                       buckets=[BucketPublic(bucket=b.label, since=b.since, until=b.until, events=b.events,
                                             nodes=b.nodes) for b in table.buckets],
                       actors=series, approximate=table.approximate, error=table.error)


Window = Query(description="START..END, each YYYY, YYYY-MM or YYYY-MM-DD, or one such date (its year, month or "
                           "day); an event counts when its date lies wholly inside",
               examples=["2026-01..2026-03"])


@router.get("/risers", response_model=RisersPublic, responses=_BOUNDED)
async def centrality_risers(
    request: Request, store: StoreDep, views: ViewsDep,
    before: Annotated[str, Window], after: Annotated[str, Window],
    metric: Metric = "degree",
    by: Annotated[Literal["rank", "score"], Query(description="order by rank gained (then score) or score")]
    = "rank",
    limit: Annotated[int, Query(ge=1, le=MAX_RISERS, description=f"most risers returned, at most {MAX_RISERS}")]
    = 20,
    types: TypesParam = None, min_sources: MinSources = None,
) -> RisersPublic:
    """The actors that gained most in rank (or score) from the before window to the after window,
    each with the after window's events that touch it. Bounded: see ACTORGRAPH_HEAVY_BUDGET_S."""
    try:
        b, a = trends.parse_window(before, "before"), trends.parse_window(after, "after")
        trends.check_windows(b, a, by)
    except trends.WindowError as exc:
        raise ParameterError(exc.parameter, str(exc), after if exc.parameter == "after" else before) from None
    view = await run_in_threadpool(views.get, make_filter(parse_types(types), None, None, min_sources))
    recent = view.derived("risers", lambda: _Recent(RISERS_CACHED))
    found = recent.peek((metric, b, a, by))
    if found is None:
        found = await heavy.compute(request, view, ("risers", metric, b, a, by), trends.risers_of, (metric, b, a, by),
                                    cache=False)
        recent.put((metric, b, a, by), found)
    return await run_in_threadpool(_risers_answer, store, view, found, metric, by, b, a, limit)


def _risers_answer(store, view, found: list, metric: str, by: str, b: tuple[str, str], a: tuple[str, str],
                   limit: int) -> RisersPublic:
    page = found[:limit]
    shown = [e for r in page for e in r.events[:MAX_EVENTS]]
    relations = cited_relations(store, view, shown)
    names, articles = Names(store, view.graph), view.articles(store)
    items = [RiserPublic(actor=names.need(r.actor),
                         before=StandingPublic(score=r.before.score, rank=r.before.rank) if r.before else None,
                         after=StandingPublic(score=r.after.score, rank=r.after.rank),
                         rank_gain=r.rank_gain, score_gain=r.score_gain, events_total=len(r.events),
                         events=[relation_public(relations[k], names, articles)
                                 for _, _, k in r.events[:MAX_EVENTS] if k in relations])
             for r in page]
    return RisersPublic(metric=metric, by=by, version=view.version, before=WindowPublic(since=b[0], until=b[1]),
                        after=WindowPublic(since=a[0], until=a[1]), total=len(found), items=items,
                        approximate=getattr(found, "approximate", False), error=getattr(found, "error", None))
