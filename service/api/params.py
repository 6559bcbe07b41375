"""Query parameters shared by the routes, with their bounds: a value out of bounds is a 422 that
names the parameter (FastAPI's own validation, or ParameterError for what it cannot express)."""
from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from fastapi import Query, Request
from pydantic import AfterValidator

from graph.model import RelType
from service.errors import ParameterError

MAX_LIMIT = 1000
MAX_DEPTH = 4
MAX_HOPS = 8
MAX_PATHS = 100

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _iso_date(value: str | None) -> str | None:
    """'2025', '2025-01' or '2025-01-14', a real calendar date."""
    if value is None:
        return None
    m = _DATE.match(value)
    if m is None:
        raise ValueError("expected an ISO date: YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    dt.date(year, month, day)  # ValueError names the bad month or day
    return value


IsoDate = Annotated[str | None, AfterValidator(_iso_date)]
Since = Annotated[IsoDate, Query(description="earliest event date (ISO; a prefix like 2025-01 works)",
                                 examples=["2025-01-01"])]
Until = Annotated[IsoDate, Query(description="latest event date (ISO; inclusive by prefix)", examples=["2025-12-31"])]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"page size, at most {MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="items to skip")]
MinSources = Annotated[int | None, Query(ge=1, le=1000, description=(
    "only relations reported by at least this many independent sources (articles of one outlet, an "
    "article's source else its URL's host, or of one story, near-duplicate or syndicated texts, are one; "
    "those naming no outlet count as one only where no known outlet reports it)"), examples=[2])]
StateParam = Annotated[str | None, Query(
    description="only actors affiliated with this state, force or body (an id or a name): MEMBER_OF it, or of "
                "something PART_OF it, transitively", examples=["Pakistan", "state:pakistan"])]
TypesParam = Annotated[list[str] | None, Query(
    description="relation types to follow, repeated or comma-separated: MET,VISITED,SIGNED,OFFERED,"
                "MEMBER_OF,PART_OF,LOCATED_IN (default all)", examples=["MET,MEMBER_OF,PART_OF"])]


def parse_types(values: list[str] | None, parameter: str = "types") -> list[RelType] | None:
    """Relation types from repeated and/or comma-separated values, case-insensitive."""
    if not values:
        return None
    out: list[RelType] = []
    for value in values:
        for name in filter(None, (v.strip() for v in value.split(","))):
            try:
                out.append(RelType(name.upper()))
            except ValueError:
                raise ParameterError(parameter, f"unknown relation type {name!r}: expected any of "
                                     f"{', '.join(t.value for t in RelType)}", value) from None
    return out or None


def check_range(since: str | None, until: str | None) -> None:
    if since and until and since[: len(until)] > until[: len(since)]:
        raise ParameterError("until", f"until ({until}) is before since ({since})", until)


def _known_query(route) -> frozenset[str]:
    """The query parameters ``route`` declares, its dependencies' included (computed once per route)."""
    known = getattr(route, "_known_query", None)
    if known is None:
        names: set[str] = set()
        todo = [route.dependant]
        while todo:
            dependant = todo.pop()
            names.update(p.alias for p in dependant.query_params)
            todo.extend(dependant.dependencies)
        known = route._known_query = frozenset(names)
    return known


def reject_unknown_query(request: Request) -> None:
    """A query parameter the route does not take is a 422 naming it, not silently ignored:
    ``?from=`` where ``since=`` is meant would otherwise answer 200, unfiltered."""
    route = request.scope.get("route")
    if route is None:
        return
    known = _known_query(route)
    unknown = [name for name in request.query_params if name not in known]
    if unknown:
        raise ParameterError(unknown[0], f"unknown query parameter {unknown[0]!r}: this route takes "
                             + (", ".join(sorted(known)) if known else "no query parameters"),
                             request.query_params.get(unknown[0]))
