"""Every export with a place for it carries each relation's corroboration, and the pictures dash the
edges only one outlet reports. The batch is tests/stores/test_min_sources.py's: only the signing of Reyvik
and Brandt is told by two outlets; Brandt and Tovar's meeting is told twice by one outlet."""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from graph.exports import export
from graph.exports.picture import to_dot
from tests.stores.test_min_sources import BRANDT, REYVIK, SIGNED, TOVAR, corroboration_batch

MET_BRANDT_TOVAR = f"MET|{BRANDT}|{TOVAR}|2026-03-13"


@pytest.fixture(scope="module")
def batch():
    return corroboration_batch()


def test_graphml_and_gexf_edges_carry_sources_articles_and_dates(batch):
    g = nx.read_graphml(io.BytesIO(export(batch, "graphml")), force_multigraph=True)
    attrs = {d["key"]: d for _, _, d in g.edges(data=True)}
    assert (attrs[SIGNED]["sources"], attrs[SIGNED]["article_count"]) == (2, 2)
    assert (attrs[SIGNED]["first_reported"], attrs[SIGNED]["last_reported"]) == ("2026-03-10", "2026-03-11")
    assert (attrs[MET_BRANDT_TOVAR]["sources"], attrs[MET_BRANDT_TOVAR]["article_count"]) == (1, 2)
    ns = "{http://gexf.net/1.3}"
    root = ET.fromstring(export(batch, "gexf"))
    declared = {a.get("id"): a.get("type") for a in root.iter(f"{ns}attribute")}
    assert declared["sources"] == "integer" and declared["last_reported"] == "string"
    edge = next(e for e in root.iter(f"{ns}edge") if e.get("id") == SIGNED)
    values = {v.get("for"): v.get("value") for v in edge.iter(f"{ns}attvalue")}
    assert (values["sources"], values["article_count"], values["first_reported"]) == ("2", "2", "2026-03-10")


def test_spreadsheet_and_cytoscape_carry_it(batch):
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(export(batch, "xlsx")))["relations"]
    rows = [dict(zip([c.value for c in ws[1]], (c.value for c in row))) for row in ws.iter_rows(min_row=2)]
    signed = [r for r in rows if r["key"] == SIGNED]
    assert len(signed) == 2 and all((r["sources"], r["articles"], r["last reported"]) == (2, 2, "2026-03-11")
                                    for r in signed)
    doc = json.loads(export(batch, "cytoscape"))
    data = {e["data"]["id"]: e["data"] for e in doc["elements"]["edges"]}
    assert data[SIGNED]["sources"] == 2 and data[MET_BRANDT_TOVAR]["corroboration"]["articles"] == 2
    assert {"selector": "edge[sources < 2]", "style": {"line-style": "dashed"}} in doc["style"]


def test_report_has_a_sources_column(batch):
    html = export(batch, "html").decode()
    relations = html[html.index('<section id="relations">'):html.index('<section id="actors">')]
    assert "<th>Independent sources (articles)</th>" in relations
    assert "2 (2 articles)<br>2026-03-10 – 2026-03-11" in relations
    assert '<span class=muted>1 (2 articles)<br>2026-03-10 – 2026-03-14</span>' in relations


def test_pictures_dash_single_source_edges_and_say_so(batch):
    lines = {line.split(" [", 1)[0].strip(): line for line in to_dot(batch).splitlines() if " -> " in line}
    assert 'style="dashed"' not in lines[f'"{BRANDT}" -> "{REYVIK}"']
    assert 'style="dashed"' in lines[f'"{BRANDT}" -> "{TOVAR}"']  # two articles, one outlet
    assert "a single source" in to_dot(batch)
    strong = corroboration_batch()
    strong.relations = {SIGNED: strong.relations[SIGNED]}
    assert "dashed" not in to_dot(strong) and "a single source" not in to_dot(strong)
