"""docker-compose.yml, the Dockerfile and .dockerignore, checked as data (no Docker engine here):
Neo4j 5.26 Community with a data volume and a health check, and the service built from the
Dockerfile, pointed at Neo4j by its service name, started only once Neo4j is healthy."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def _env(service: dict) -> dict:
    env = service.get("environment") or {}
    if isinstance(env, list):  # both compose spellings: a mapping, or KEY=VALUE items
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def _service_using(compose: dict, image_prefix: str) -> tuple[str, dict]:
    found = [(name, s) for name, s in compose["services"].items() if str(s.get("image", "")).startswith(image_prefix)]
    assert len(found) == 1, f"one service should run {image_prefix}"
    return found[0]


def test_neo4j_service(compose):
    name, neo4j = _service_using(compose, "neo4j:")
    assert neo4j["image"] == "neo4j:5.26-community"
    auth = _env(neo4j)["NEO4J_AUTH"]
    assert re.fullmatch(r"neo4j/\$\{NEO4J_PASSWORD:-[^}]{8,}\}", auth), auth  # from the environment, dev default
    ports = {str(p).rsplit(":", 1)[-1] for p in neo4j["ports"]}
    assert {"7474", "7687"} <= ports  # Browser and Bolt
    assert all(str(p).startswith("127.0.0.1:") for p in neo4j["ports"])

    mounts = {str(v).split(":")[0]: str(v).split(":")[1] for v in neo4j["volumes"]}
    assert mounts.get("neo4j-data") == "/data"
    assert "neo4j-data" in compose["volumes"]

    check = neo4j["healthcheck"]
    test = check["test"]
    assert test[0] in ("CMD", "CMD-SHELL") and "cypher-shell" in " ".join(test)
    assert "$${NEO4J_AUTH" in " ".join(test)  # escaped for compose, expanded by the container's shell
    for key in ("interval", "timeout", "retries"):
        assert check[key]


def test_service_points_at_neo4j_and_waits_for_it(compose):
    neo4j_name, _ = _service_using(compose, "neo4j:")
    services = {n: s for n, s in compose["services"].items() if n != neo4j_name}
    assert len(services) == 1
    (name, app), = services.items()
    assert app["build"] in (".", {"context": "."}) or app["build"].get("context") == "."
    env = _env(app)
    assert env["ACTORGRAPH_STORE"] == "neo4j"
    uri = urlparse(env["NEO4J_URI"])
    assert uri.scheme in ("bolt", "neo4j") and uri.hostname == neo4j_name and uri.port == 7687
    assert env["NEO4J_PASSWORD"] == "${NEO4J_PASSWORD:-actorgraph-dev}"
    assert app["depends_on"][neo4j_name]["condition"] == "service_healthy"
    assert any(str(p).endswith(":8000") for p in app["ports"])


def test_dockerfile_builds_the_service():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    instructions = [line.split(None, 1) for line in text.splitlines() if line.strip() and not line.startswith(("#", " "))]
    assert instructions[0] == ["FROM", "python:3.11-slim"]
    assert re.search(r'pip install "?\.(\[[a-z,]+\])?"?', text)
    assert "apt-packages.txt" in text  # the Debian packages the exports need
    cmd = next(arg for ins, arg in instructions if ins == "CMD")
    assert cmd.replace(" ", "").startswith('["actorgraph","serve","--host","0.0.0.0"')


def test_dockerignore_keeps_the_context_small():
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    assert {".git", ".venv", "data"} <= ignored
    # What the image needs must not be ignored.
    assert not ignored & {"graph", "loaders", "service", "cypher", "pyproject.toml", "scripts"}


def test_apt_packages_list_what_the_exports_need():
    packages = (ROOT / "scripts" / "apt-packages.txt").read_text().split()
    assert "graphviz" in packages and "libpango-1.0-0" in packages
