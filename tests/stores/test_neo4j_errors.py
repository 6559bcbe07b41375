"""How the Neo4j driver's errors are classified and answered, without a server: a transient error
(DatabaseUnavailable while Neo4j stops or starts) is a 503 with Retry-After, not a 502."""
from __future__ import annotations

from fastapi.testclient import TestClient
from neo4j.exceptions import ClientError, DatabaseUnavailable, ServiceUnavailable

from graph.stores.embedded.store import EmbeddedStore
from graph.stores.neo4j.store import classify
from service.app import create_app
from tests.api_support import settings


def test_transient_errors_are_temporarily_unavailable_and_others_are_not_hidden() -> None:
    assert classify(DatabaseUnavailable("the database is shutting down")) == "temporarily unavailable"
    assert classify(ServiceUnavailable("gone")) == "unreachable"
    assert classify(ClientError("bad query")) is None


def test_a_transient_error_escaping_a_route_is_503_with_retry_after(tmp_path) -> None:
    app = create_app(EmbeddedStore(tmp_path / "graph.sqlite"), settings=settings())

    @app.get("/raises-transient")
    def raises_transient() -> None:
        raise DatabaseUnavailable("the database is shutting down")

    @app.get("/raises-client-error")
    def raises_client_error() -> None:
        raise ClientError("bad query")

    with TestClient(app) as client:
        r = client.get("/raises-transient")
        assert r.status_code == 503 and r.headers["Retry-After"]
        assert r.json()["reason"] == "temporarily unavailable"
        assert "shutting down" not in r.text  # the driver's words stay in the log
        assert client.get("/raises-client-error").status_code == 502
