"""Every route refuses a query parameter it does not take with a 422 naming it: a misspelled
filter (``?from=`` for ``since=``) must not answer 200, unfiltered. The routes are read off the
OpenAPI schema, so a route added later is walked too."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from tests.api_support import API_KEY, settings
from tests.factories import ids

UNKNOWN = "no_such_parameter"


def _routes(app) -> list[tuple[str, str]]:
    return sorted((method, path) for path, item in app.openapi()["paths"].items() for method in item)


def test_the_schema_lists_the_routes_walked(seeded):
    routes = _routes(create_app(seeded, settings=settings()))
    assert ("get", "/centrality") in routes and ("get", "/events") in routes and ("post", "/articles") in routes
    assert len(routes) >= 15


def test_every_route_refuses_an_unknown_query_parameter(client: TestClient):
    walked = []
    for method, path in _routes(client.app):
        url = re.sub(r"\{[^}]+\}", ids.anwar, path)
        r = client.request(method.upper(), url, params={UNKNOWN: "1"}, headers={"X-API-Key": API_KEY})
        walked.append(path)
        assert r.status_code == 422, (method, path, r.status_code, r.text[:200])
        detail = r.json()["detail"]
        assert detail[0]["loc"] == ["query", UNKNOWN], (method, path, detail)
        assert UNKNOWN in detail[0]["msg"]
    assert "/actors/{actor_id}/meetings" in walked or any("meetings" in p for p in walked)


@pytest.mark.parametrize("url, wrong", [("/events?start=2025-01-01", "start"), ("/centrality?sate=Pakistan", "sate"),
                                        (f"/actors/{ids.tariq}/meetings?from=2025-01-01", "from")])
def test_the_misspellings_of_the_issue_are_422s_that_list_what_the_route_takes(client, url, wrong):
    r = client.get(url)
    assert r.status_code == 422
    msg = r.json()["detail"][0]["msg"]
    assert repr(wrong) in msg and "since" in msg


def test_known_parameters_still_pass(client):
    assert client.get("/events", params={"since": "2025-01-01", "limit": 5}).status_code == 200
