"""Who rose: centrality over time, per calendar bucket and between two windows.

Pure functions over a store's projection (``GraphStore.projection``, already filtered by type and
``min_sources``): each bucket or window is scored on the graph of its own events, with the
structure relations (MEMBER_OF, PART_OF, LOCATED_IN) in every one of them since they are
timeless. Scores come from ``graph.analytics.algorithms.centrality`` (networkx) on that graph's undirected
view, or on a graph of ``engine.ENGINE_MIN_NODES`` actors or more from the compiled engine
(``graph.analytics.engine``: igraph, and KADABRA betweenness, each score within ``error`` of the
exact one with probability >= 0.9), as ``/centrality`` scores: a month of a large graph took
minutes of networkx's betweenness. Closeness stays networkx's (its engine ranks only a top few,
and a riser needs every actor's rank). A rank is 1 + the number of actors scoring strictly higher (ties share a rank), among the
actors of that graph. Scores are normalised per graph, as networkx normalises them, so ranks are
what compares best across buckets of different sizes.

Bucketing follows an event's date: '2026-03-09' and '2026-03' are in month '2026-03', quarter
'2026-Q1' and year '2026'; an event dated less precisely than the bucket (a bare year, by month or
quarter) is in no bucket and counted as ``imprecise``. A window ``START..END`` (each a year, month
or day; '2026-01..2026-03' is the first quarter) holds the events whose date lies wholly inside it:
'2026-02' is in that window, a bare '2026' is not, so an event whose date does not say which of
two windows it fell in counts in neither.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

from graph.analytics import algorithms, engine
from graph.model import STRUCTURE_TYPES

__all__ = [
    "Bucket", "BUCKETS", "Standing", "BucketInfo", "Trend", "Riser", "Risers", "WindowError", "scores_of",
    "bucket_of", "bucket_bounds", "parse_window", "check_windows", "span", "window_graph", "standings", "trend", "risers",
    "Slim", "slim", "unslim", "trend_of", "risers_of",
]

Bucket = Literal["month", "quarter", "year"]
BUCKETS: tuple[str, ...] = ("month", "quarter", "year")

_STRUCTURE = frozenset(t.value for t in STRUCTURE_TYPES)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class WindowError(ValueError):
    """A window or bucket the caller gave that cannot be used; ``parameter`` names it."""

    def __init__(self, message: str, parameter: str):
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class Standing:
    """An actor's score and rank in one graph."""
    score: float
    rank: int


@dataclass(frozen=True)
class BucketInfo:
    """One bucket: its label, its first and last day, and the size of its graph."""
    label: str
    since: str
    until: str
    events: int
    nodes: int


@dataclass
class Trend:
    """Standings per bucket, in calendar order; ``imprecise``: events dated too coarsely to bucket;
    ``approximate`` when some bucket's scores were estimated, each within ``error`` (when stated)."""
    metric: str
    bucket: str
    buckets: list[BucketInfo]
    standings: dict[str, dict[str, Standing]]
    imprecise: int = 0
    approximate: bool = False
    error: float | None = None

    def series(self, actor: str) -> list[tuple[BucketInfo, Standing | None]]:
        """The actor's standing in each bucket, None where it is not in that bucket's graph."""
        return [(b, self.standings[b.label].get(actor)) for b in self.buckets]

    def leaders(self, limit: int) -> list[str]:
        """The actors ranked within the top ``limit`` of some bucket, best rank first (then id)."""
        best: dict[str, int] = {}
        for table in self.standings.values():
            for actor, st in table.items():
                if st.rank <= limit and st.rank < best.get(actor, limit + 1):
                    best[actor] = st.rank
        return sorted(best, key=lambda a: (best[a], a))


@dataclass
class Riser:
    """An actor's standing before and after, its gains, and the after window's events that touch it.

    ``rank_gain`` counts an actor absent before as ranked just below the last actor then;
    ``events`` are ``(source, target, key)`` of the projection's edges."""
    actor: str
    before: Standing | None
    after: Standing
    rank_gain: int
    score_gain: float
    events: list[tuple[str, str, str]] = field(default_factory=list)


def _parts(date: str | None) -> tuple[int, int | None] | None:
    m = _DATE.match(date or "")
    if m is None:
        return None
    return int(m[1]), int(m[2]) if m[2] else None


def bucket_of(date: str | None, bucket: str) -> str | None:
    """The bucket label of a date ('2026-03', '2026-Q1', '2026'), None when undated or too coarse."""
    parts = _parts(date)
    if parts is None:
        return None
    year, month = parts
    if bucket == "year":
        return f"{year:04d}"
    if month is None:
        return None
    if bucket == "month":
        return f"{year:04d}-{month:02d}"
    if bucket == "quarter":
        return f"{year:04d}-Q{(month - 1) // 3 + 1}"
    raise WindowError(f"unknown bucket {bucket!r}: expected one of {', '.join(BUCKETS)}", "bucket")


def bucket_bounds(label: str) -> tuple[str, str]:
    """The first and last day of a bucket label."""
    if "-Q" in label:
        year, q = int(label[:4]), int(label[-1])
        first, last = 3 * q - 2, 3 * q
    elif len(label) == 7:
        year, first = int(label[:4]), int(label[5:7])
        last = first
    else:
        year, first, last = int(label), 1, 12
    return f"{year:04d}-{first:02d}-01", f"{year:04d}-{last:02d}-{calendar.monthrange(year, last)[1]:02d}"


def parse_window(text: str, parameter: str) -> tuple[str, str]:
    """'START..END' (each YYYY, YYYY-MM or YYYY-MM-DD, a real date) as (start, end); one date alone
    is the window of that year, month or day."""
    start, sep, end = (text or "").partition("..")
    start, end = start.strip(), (end.strip() if sep else start.strip())
    if not start or not end:
        raise WindowError(f"expected a window START..END, e.g. 2026-01..2026-03, not {text!r}", parameter)
    for value in (start, end):
        m = _DATE.match(value)
        if m is None:
            raise WindowError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)", parameter)
        try:
            dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
        except ValueError as exc:
            raise WindowError(f"{value!r} is not a calendar date: {exc}", parameter) from None
    if start[: len(end)] > end[: len(start)]:
        raise WindowError(f"the window ends ({end}) before it starts ({start})", parameter)
    return start, end


def _split(G: nx.MultiDiGraph) -> tuple[list, list]:
    """The edges of ``G`` as (structure, events), each ``(u, v, key, attrs)``."""
    structure, events = [], []
    for e in G.edges(keys=True, data=True):
        (structure if e[3].get("type") in _STRUCTURE else events).append(e)
    return structure, events


def _graph(G: nx.MultiDiGraph, structure: list, events: list) -> nx.MultiDiGraph:
    """The graph of ``events`` and ``structure``, with the nodes they tie (and their attributes)."""
    out = nx.MultiDiGraph()
    chosen = structure + events
    nodes = G.nodes
    out.add_nodes_from((n, nodes[n]) for n in {n for u, v, _, _ in chosen for n in (u, v)})
    out.add_edges_from(chosen)
    return out


def span(date: str | None) -> tuple[str, str] | None:
    """The first and last day a date (YYYY, YYYY-MM or YYYY-MM-DD) may stand for; None if it is none."""
    m = _DATE.match(date or "")
    if m is None:
        return None
    if m[3]:
        return date, date  # type: ignore[return-value]
    year = int(m[1])
    if m[2]:
        month = int(m[2])
        if not 1 <= month <= 12:
            return None
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
    return f"{year:04d}-01-01", f"{year:04d}-12-31"


def window_graph(G: nx.MultiDiGraph, since: str, until: str) -> nx.MultiDiGraph:
    """The events of ``G`` dated wholly within ``since``..``until``, and its structure relations."""
    return _window_graph(G, *_split(G), since, until)


def _window_graph(G: nx.MultiDiGraph, structure: list, events: list, since: str, until: str) -> nx.MultiDiGraph:
    start, end = span(since)[0], span(until)[1]  # type: ignore[index]
    inside = []
    for e in events:
        when = span(e[3].get("date"))
        if when is not None and start <= when[0] and when[1] <= end:
            inside.append(e)
    return _graph(G, structure, inside)


class Risers(list):
    """Risers (``Riser``), best first, and whether their scores were estimated (``approximate``),
    each within ``error`` of the exact one when stated."""

    def __init__(self, items=(), *, approximate: bool = False, error: float | None = None):
        super().__init__(items)
        self.approximate, self.error = approximate, error


class _Approximation:
    """Whether any graph scored so far was estimated, and the largest stated error."""

    def __init__(self) -> None:
        self.approximate, self.error = False, None

    def add(self, scores: algorithms.CentralityResult) -> None:
        if scores.approximate or scores.top is not None:
            self.approximate = True
            if scores.error is not None:
                self.error = max(self.error or 0.0, scores.error)


def scores_of(G: nx.MultiDiGraph, metric: str) -> algorithms.CentralityResult:
    """``metric`` on ``G``'s undirected view: the compiled engine on a large graph (not closeness)."""
    if metric != "closeness" and engine.use_engine(G.number_of_nodes()):
        return engine.CompactGraph.from_projection(G).centrality(metric)
    return algorithms.centrality(algorithms.undirected(G), metric)


def standings(G: nx.MultiDiGraph, metric: str, seen: _Approximation | None = None) -> dict[str, Standing]:
    """Every node's score by ``metric`` on the undirected view of ``G``, and its rank."""
    scores = scores_of(G, metric)
    if seen is not None:
        seen.add(scores)
    # Rounded for the ranks only: iterative measures (pagerank) give equal actors scores a few ulps apart.
    ordered = sorted((round(s, 9) for s in scores.values()), reverse=True)
    rank_of: dict[float, int] = {}
    for i, s in enumerate(ordered):
        rank_of.setdefault(s, i + 1)
    return {n: Standing(score=s, rank=rank_of[round(s, 9)]) for n, s in scores.items()}


def trend(G: nx.MultiDiGraph, metric: str, bucket: str) -> Trend:
    """Standings in each bucket (month, quarter or year) that holds at least one event of ``G``."""
    if bucket not in BUCKETS:
        raise WindowError(f"unknown bucket {bucket!r}: expected one of {', '.join(BUCKETS)}", "bucket")
    by_bucket: dict[str, list] = {}
    imprecise = 0
    structure, events = _split(G)
    for e in events:
        label = bucket_of(e[3].get("date"), bucket)
        if label is None:
            imprecise += 1 if e[3].get("date") else 0
            continue
        by_bucket.setdefault(label, []).append(e)
    infos, tables = [], {}
    seen = _Approximation()
    for label in sorted(by_bucket):
        Gb = _graph(G, structure, by_bucket[label])
        since, until = bucket_bounds(label)
        infos.append(BucketInfo(label, since, until, events=len(by_bucket[label]), nodes=Gb.number_of_nodes()))
        tables[label] = standings(Gb, metric, seen)
    return Trend(metric=metric, bucket=bucket, buckets=infos, standings=tables, imprecise=imprecise,
                 approximate=seen.approximate, error=seen.error)


def check_windows(before: tuple[str, str], after: tuple[str, str], by: str = "rank") -> None:
    """WindowError unless ``before`` ends before ``after`` starts and ``by`` is rank or score."""
    if by not in ("rank", "score"):
        raise WindowError(f"unknown order {by!r}: expected rank or score", "by")
    if before[1][: len(after[0])] >= after[0][: len(before[1])]:
        raise WindowError(f"the before window ({before[0]}..{before[1]}) must end before the after window "
                          f"starts ({after[0]})", "after")


def risers(G: nx.MultiDiGraph, metric: str, before: tuple[str, str], after: tuple[str, str], *,
           by: str = "rank", limit: int | None = None) -> Risers:
    """The actors of the ``after`` window that gained most on the ``before`` window, by rank (then
    score) or by score (then rank); only actors that gained by that measure. Each carries the keys
    of the after window's events touching it, in date order."""
    check_windows(before, after, by)
    structure, events = _split(G)
    seen = _Approximation()
    then = standings(_window_graph(G, structure, events, *before), metric, seen)
    G_after = _window_graph(G, structure, events, *after)
    now = standings(G_after, metric, seen)
    below_last = len(then) + 1
    out = []
    for actor, st in now.items():
        was = then.get(actor)
        rank_gain = (was.rank if was else below_last) - st.rank
        score_gain = st.score - (was.score if was else 0.0)
        if (rank_gain if by == "rank" else score_gain) <= 0:
            continue
        out.append(Riser(actor, was, st, rank_gain, score_gain))
    if by == "rank":
        out.sort(key=lambda r: (-r.rank_gain, -r.score_gain, r.actor))
    else:
        out.sort(key=lambda r: (-r.score_gain, -r.rank_gain, r.actor))
    out = out[:limit]
    for r in out:
        touching = {(d.get("date") or "", k, u, v) for u, v, k, d in G_after.out_edges(r.actor, keys=True, data=True)}
        touching |= {(d.get("date") or "", k, u, v) for u, v, k, d in G_after.in_edges(r.actor, keys=True, data=True)}
        r.events = [(u, v, k) for date, k, u, v in sorted(touching)
                    if G_after.edges[u, v, k].get("type") not in _STRUCTURE]
    return Risers(out, approximate=seen.approximate, error=seen.error)


# A projection cut to what trends read: (source, target, key, type, date) per edge. It pickles in
# a fraction of the time of the projection, for a worker process (service.heavy) to score.
Slim = list[tuple[str, str, str, str | None, str | None]]


def slim(G: nx.MultiDiGraph) -> Slim:
    """The edges of ``G`` with only the attributes ``trend`` and ``risers`` use."""
    return [(u, v, k, d.get("type"), d.get("date")) for u, v, k, d in G.edges(keys=True, data=True)]


def unslim(edges: Slim) -> nx.MultiDiGraph:
    """The graph of ``slim``'s edges (nodes carry no attributes: scores do not read them)."""
    G = nx.MultiDiGraph()
    G.add_edges_from((u, v, k, {"type": t, "date": d}) for u, v, k, t, d in edges)
    return G


def trend_of(edges: Slim, metric: str, bucket: str) -> Trend:
    """``trend`` on a slim projection (what a worker process runs)."""
    return trend(unslim(edges), metric, bucket)


def risers_of(edges: Slim, metric: str, before: tuple[str, str], after: tuple[str, str], by: str = "rank") -> Risers:
    """``risers`` on a slim projection (what a worker process runs)."""
    return risers(unslim(edges), metric, before, after, by=by)
