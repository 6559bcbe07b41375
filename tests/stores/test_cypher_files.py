"""cypher/queries.cypher run on the real Neo4j over the example articles as the README ingests them,
and cypher/style.grass parsed and captioned the way Neo4j Browser reads and renders it."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graph.exports.palette import TYPE_COLOURS
from graph.model import EVENT_TYPES, RelType

REPO = Path(__file__).resolve().parents[2]
CYPHER = REPO / "cypher"


@dataclass
class Query:
    label: str
    text: str
    params: dict[str, str] = field(default_factory=dict)  # name -> Cypher literal, as :param sets it


def parse_queries(text: str) -> list[Query]:
    """Statements of a Browser script: ``:param`` lines set parameters for what follows, ``//``
    comments name the query (``// 1a.`` or a ``// == 2.`` header), ``;`` ends a statement."""
    queries, params, label, lines = [], {}, "", []
    for line in text.splitlines():
        stripped = line.strip()
        if m := re.match(r"//\s*(?:==\s*)?(\d+[a-z]?)\.", stripped):
            label = m.group(1)
        if not stripped or stripped.startswith("//"):
            continue
        if m := re.fullmatch(r":param\s+(\w+)\s*=>\s*(.+)", stripped):
            params[m.group(1)] = m.group(2)
            continue
        lines.append(line)
        if stripped.endswith(";"):
            queries.append(Query(label, "\n".join(lines).rstrip(";"), dict(params)))
            lines = []
    assert not lines, "a statement is missing its ';'"
    return queries


def test_queries_file_has_every_section():
    queries = parse_queries((CYPHER / "queries.cypher").read_text(encoding="utf-8"))
    labels = {q.label for q in queries}
    assert {"1a", "2", "3a", "4a", "4b", "5a", "5b"} <= labels
    assert any("gds.pageRank.stream" in q.text for q in queries)
    assert all("$" not in q.text or q.params for q in queries)


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """selector -> {property: value}, read as Browser's style parser does: braces open and close a
    rule except inside quotes, where captions such as '{name}' hold them."""
    rules: dict[str, dict[str, str]] = {}
    selector, body, quote, inside = "", "", "", False
    for ch in text:
        if quote:
            body += ch
            quote = "" if ch == quote else quote
        elif inside and ch in "'\"":
            body, quote = body + ch, ch
        elif ch == "{" and not inside:
            inside = True
        elif ch == "}" and inside:
            props = {}
            for decl in body.split(";"):
                if decl.strip():
                    key, _, value = decl.partition(":")
                    props[key.strip()] = value.strip().strip("'")
            rules[selector.strip()] = props
            selector, body, inside = "", "", False
        elif inside:
            body += ch
        else:
            selector += ch
    assert not inside and not quote, "unclosed rule or string"
    return rules


# Browser's caption rule (neo4j-browser's GraphStyle.interpolate, as Browser 5 renders it):
# '{key}' is the item's property (lists joined with ', ', missing ones empty); '<type>' and '<id>'
# stand for the item's type and id only when they are the whole caption: anywhere else they are
# shown as written, as in the literal "<type> 2026-04-12".
def browser_caption(template: str, item: dict) -> str:
    if template == "<type>":
        return item["type"]
    if template == "<id>":
        return str(item["id"])

    def prop(m: re.Match) -> str:
        value = item["properties"].get(m.group(1))
        if isinstance(value, list):
            return ", ".join(map(str, value))
        return "" if value is None else str(value)

    return re.sub(r"\{([^{}]*)\}", prop, template)


def test_browser_caption_rule_reproduces_the_literal_type():
    rel = {"type": "MET", "id": 7, "properties": {"date": "2026-04-12"}}
    assert browser_caption("<type> {date}", rel) == "<type> 2026-04-12"   # what the issue saw
    assert browser_caption("<type>", rel) == "MET" and browser_caption("{date}", rel) == "2026-04-12"


def test_style_colours_types_and_captions_by_name():
    text = (CYPHER / "style.grass").read_text(encoding="utf-8")
    assert "/*" not in text and "//" not in text  # Browser's parser has no comments
    rules = parse_grass(text)
    for type_, colour in TYPE_COLOURS.items():
        rule = rules[f"node.{type_.value}"]
        assert rule["color"] == colour and rule["caption"] == "{name}"
    for rel in RelType:
        caption = rules[f"relationship.{rel.value}"]["caption"]
        assert caption == ("{date}" if rel in EVENT_TYPES else "<type>")
    # Events are told apart by colour (their caption is the date), so each has its own.
    event_colours = [rules[f"relationship.{t.value}"]["color"] for t in EVENT_TYPES]
    assert len(set(event_colours)) == len(EVENT_TYPES)
    for selector, props in rules.items():
        caption = props.get("caption", "")
        if caption not in ("<type>", "<id>"):
            assert "<" not in caption, (selector, caption)  # Browser would print it literally


def ingest_examples(neo4j_env) -> None:
    """The README's main job, into the tests' server: ``actorgraph ingest examples/articles``."""
    env = {**os.environ, "ACTORGRAPH_STORE": "neo4j", "ACTORGRAPH_VOCAB": str(REPO / "examples" / "vocab"),
           "NEO4J_URI": neo4j_env.uri, "NEO4J_USER": neo4j_env.user, "NEO4J_PASSWORD": neo4j_env.password,
           "NEO4J_DATABASE": neo4j_env.database}
    p = subprocess.run([sys.executable, "-m", "service.cli", "ingest", str(REPO / "examples" / "articles")],
                       cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr


@pytest.mark.neo4j
def test_style_captions_render_on_the_example_graph(neo4j_store, neo4j_driver, neo4j_env):
    ingest_examples(neo4j_env)
    rules = parse_grass((CYPHER / "style.grass").read_text(encoding="utf-8"))
    with neo4j_driver.session(database=neo4j_env.database) as session:
        nodes = session.run("MATCH (n) RETURN labels(n) AS labels, elementId(n) AS id, "
                            "properties(n) AS properties").data()
        rels = session.run("MATCH ()-[r]->() RETURN type(r) AS type, elementId(r) AS id, "
                           "properties(r) AS properties").data()
    assert nodes and rels
    seen = set()
    for node in nodes:
        # Browser applies the rules of every label the node has; the most specific caption wins.
        captions = [rules[f"node.{label}"]["caption"] for label in node["labels"] if f"node.{label}" in rules
                    and "caption" in rules[f"node.{label}"]]
        if not captions:
            continue
        text = browser_caption(captions[-1], {"type": node["labels"][0], **node})
        assert text and "<" not in text and "{" not in text, (node["labels"], text)
        seen.update(node["labels"])
    assert {"Actor", "Person", "State", "Article", "Event"} <= seen
    dated = roles = 0
    for rel in rels:
        text = browser_caption(rules[f"relationship.{rel['type']}"]["caption"], rel)
        assert "<" not in text and "{" not in text, (rel["type"], text)
        if rel["type"] in {t.value for t in EVENT_TYPES}:
            assert text == (rel["properties"].get("date") or "")
            dated += bool(text)
        elif rel["type"] == "IN_EVENT":  # a participant's part in an event node: its role
            assert text == rel["properties"]["role"]
            roles += 1
        else:
            assert text == rel["type"]
    assert dated > 0 and roles > 0


@pytest.mark.neo4j
def test_every_ready_query_returns_rows_on_the_example_articles(neo4j_store, neo4j_driver, neo4j_env):
    ingest_examples(neo4j_env)
    queries = parse_queries((CYPHER / "queries.cypher").read_text(encoding="utf-8"))
    answers: dict[str, list[list[dict]]] = {}
    with neo4j_driver.session(database=neo4j_env.database) as session:
        has_gds = bool(session.run("SHOW PROCEDURES YIELD name WHERE name = 'gds.pageRank.stream' "
                                   "RETURN name").data())
        assert has_gds, "the tests' server runs with GDS (scripts/neo4j-local's default plugins)"
        for q in queries:
            # Evaluate each :param literal on the server, as Browser does.
            params = {name: session.run(f"RETURN {literal} AS v").single()["v"] for name, literal in q.params.items()}
            rows = session.run(q.text, params).data()
            if q.text.lstrip().startswith("CALL gds.graph.drop"):
                continue  # housekeeping: answers only when an earlier run left the projection
            assert rows, f"query {q.label} returned no rows on the example articles:\n{q.text}"
            answers.setdefault(q.label, []).append(rows)
    assert set(answers) >= {"1a", "1b", "1c", "2", "3a", "3b", "3c", "4a", "4b", "5a", "5b"}
    # Spot-check the answers, not only their number.
    met_by_brandt = answers["1a"][0]
    # newest first: "met Admiral Ilse Brandt during the talks" takes the day the lede dates the talks
    assert [(r["met"], r["date"]) for r in met_by_brandt] == [("Aldo Santori", "2026-05-19"), ("Tomas Reyvik", "2026-03-09")]
    all_meetings = [r["date"] for r in answers["1c"][0]]
    dated = [d for d in all_meetings if d is not None]
    assert dated == sorted(dated, reverse=True) and all_meetings[:len(dated)] == dated  # undated last
    assert ("2026-07-02", "Paolo Ferrante", "Karl Odegard", "Halvik") in {
        (r["date"], r["side_a"], r["side_b"], r["place"]) for r in answers["2"][0]}
    hops = answers["3b"][0]
    assert {(h["from"], h["to"]) for h in hops if h["relation"] == "MET"} >= {("Aldo Santori", "Tomas Reyvik")}
    scores = [r["pagerank"] for r in next(rows for rows in answers["4a"] if "pagerank" in rows[0])]
    assert scores == sorted(scores, reverse=True) and scores[-1] > 0
    assert {r["article"] for r in answers["5a"][0]} == {"04_marenzian_minister_in_halvik.txt"}
    assert answers["5b"][0][0]["date"] == "2026-07-02"


def _neo4j_local(*args: str) -> subprocess.CompletedProcess:
    """scripts/neo4j-local on the tests' server (never the development one)."""
    from tests import neo4j_server
    env = {**os.environ, "NEO4J_LOCAL_DIR": str(neo4j_server.folder()), "NEO4J_PASSWORD": neo4j_server.password()}
    return subprocess.run([str(REPO / "scripts" / "neo4j-local"), *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=600, stdin=subprocess.DEVNULL)


@pytest.mark.neo4j
def test_neo4j_local_cypher_runs_cypher_shell_on_the_server(neo4j_store):
    from tests.extraction.support import examples_batch
    batch = examples_batch()
    neo4j_store.upsert(batch)
    p = _neo4j_local("cypher", "--format", "plain", "MATCH (a:Actor) RETURN count(a) AS n")
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["n", str(len(batch.actors))]
    # A section of the ready queries, :param lines and all, as cypher-shell -f runs it.
    section = REPO / "cypher" / "queries.cypher"
    p = _neo4j_local("cypher", "--format", "plain", "-f", str(section))
    assert p.returncode == 0, p.stderr
    assert "Karl Odegard" in p.stdout and "2026-07-02" in p.stdout


@pytest.mark.neo4j
def test_neo4j_local_admin_is_neo4j_admin_of_the_resolved_jars(neo4j_store):
    p = _neo4j_local("admin", "--version")
    assert p.returncode == 0 and p.stdout.strip().startswith("5.26."), (p.stdout, p.stderr)
    p = _neo4j_local("admin", "database", "info")  # every database, read while the server runs
    assert p.returncode == 0, p.stderr
    assert {"neo4j", "system"} <= set(re.findall(r"Database name:\s+(\S+)", p.stdout)), p.stdout
