"""cypher/queries.cypher run on the real Neo4j over the sample graph, and cypher/style.grass parsed
the way Neo4j Browser reads it."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from graph.exports.palette import TYPE_COLOURS
from graph.model import EVENT_TYPES, RelType
from tests.sample_graph import sample_batch

CYPHER = Path(__file__).resolve().parents[1] / "cypher"


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


def test_style_colours_types_and_captions_by_name():
    text = (CYPHER / "style.grass").read_text(encoding="utf-8")
    assert "/*" not in text and "//" not in text  # Browser's parser has no comments
    rules = parse_grass(text)
    for type_, colour in TYPE_COLOURS.items():
        rule = rules[f"node.{type_.value}"]
        assert rule["color"] == colour and rule["caption"] == "{name}"
    for rel in RelType:
        assert rules[f"relationship.{rel.value}"]["caption"] == ("<type> {date}" if rel in EVENT_TYPES else "<type>")


# What each query finds in the sample graph (at least this many rows).
EXPECTED_ROWS = {"1a": 1, "4a": 0, "1b": 1, "1c": 2, "2": 1, "3a": 1, "3b": 4, "3c": 0, "4b": 11, "5a": 2, "5b": 2, "6a": 3}


@pytest.mark.neo4j
def test_ready_queries_run_on_neo4j(neo4j_store, neo4j_driver, neo4j_env):
    from neo4j.exceptions import ClientError

    neo4j_store.upsert(sample_batch())
    queries = parse_queries((CYPHER / "queries.cypher").read_text(encoding="utf-8"))
    ran = set()
    with neo4j_driver.session(database=neo4j_env.database) as session:
        has_gds = bool(session.run("SHOW PROCEDURES YIELD name WHERE name = 'gds.pageRank.stream' "
                                   "RETURN name").data())
        for q in queries:
            # Evaluate each :param literal on the server, as Browser does.
            params = {name: session.run(f"RETURN {literal} AS v").single()["v"] for name, literal in q.params.items()}
            if "gds." in q.text and not has_gds:
                # A server without the plugin: the query must parse and fail only for want of it.
                with pytest.raises(ClientError) as err:
                    session.run(q.text, params).consume()
                assert err.value.code == "Neo.ClientError.Procedure.ProcedureNotFound", err.value
                continue
            rows = session.run(q.text, params).data()
            if "gds.pageRank.stream" in q.text:
                # Ranked over whatever the (possibly shared) dev server holds: check the shape only.
                scores = [r["pagerank"] for r in rows]
                assert scores and scores == sorted(scores, reverse=True) and scores[-1] > 0
            assert len(rows) >= EXPECTED_ROWS[q.label], (q.label, rows)
            ran.add(q.label)
    assert ran >= set(EXPECTED_ROWS)
    # Spot-check the answers, not only their number.
    two_states = next(q for q in queries if q.label == "2")
    with neo4j_driver.session(database=neo4j_env.database) as session:
        params = {n: session.run(f"RETURN {v} AS v").single()["v"] for n, v in two_states.params.items()}
        rows = session.run(two_states.text, params).data()
    assert [(r["date"], r["side_a"], r["side_b"], r["place"]) for r in rows] == \
        [("2025-03-04", "Anna Brežka", "Tomas Vell", "Vellmar")]
