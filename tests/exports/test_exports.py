"""Every export read back with a real parser: names, types, dates, relation types and citations must
survive. The Cypher export is also run on the real Neo4j and read back through the Neo4j store."""
from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile

import networkx as nx
import pytest

from graph.exports import FORMATS, UnknownFormat, export, filename, is_text
from graph.exports.cypher import cypher_string, to_cypher
from graph.exports.cytoscape import to_cytoscape
from graph.model.events import events_from_relations
from graph.exports.gexf import to_gexf
from graph.exports.graphjson import to_json
from graph.exports.graphml import to_graphml
from graph.exports.neo4j_csv import to_neo4j_csv
from graph.stores.neo4j.import_files import ARRAY_DELIMITER, ARTICLE_HEADER, NODE_HEADER, RELATIONSHIP_HEADER, csv_tables
from graph.exports.network import LIST_SEPARATOR
from graph.exports.picture import to_dot, to_png, to_svg
from graph.exports.report import to_html
from graph.model import Actor, GraphBatch, NodeType
from tests.sample_graph import IDS, TRICKY_SENTENCE, sample_batch

SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def batch() -> GraphBatch:
    return sample_batch()


# -- the registry ---------------------------------------------------------------------------------

def test_every_format_exports_bytes_with_its_media_type_and_extension(batch):
    for name, (function, media_type, extension) in FORMATS.items():
        data = export(batch, name)
        assert isinstance(data, bytes) and data, name
        assert callable(function) and "/" in media_type and re.fullmatch(r"[a-z0-9]+(\.[a-z0-9]+)?", extension)
        assert filename(name) == f"subgraph.{extension}"
    assert is_text("json") and is_text("graphml") and is_text("cypher") and is_text("svg")
    assert not is_text("png") and not is_text("pdf") and not is_text("neo4j-csv")


def test_unknown_format_names_the_known_ones(batch):
    with pytest.raises(UnknownFormat, match="graphml"):
        export(batch, "docx")


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f not in ("pdf",)])
def test_an_empty_graph_exports_in_every_format(fmt):
    data = export(GraphBatch(), fmt)
    # FtM JSON lines of nothing is no line; every other format has at least its header.
    assert data == b"" if fmt == "ftm" else data


# -- graph JSON -----------------------------------------------------------------------------------

def test_json_is_the_graph_json_and_round_trips(batch):
    doc = json.loads(to_json(batch))
    assert doc == batch.to_dict()
    assert GraphBatch.from_dict(doc).to_dict() == batch.to_dict()
    met = next(e for e in doc["edges"] if e["type"] == "MET" and e.get("date") == "2025-03-04")
    assert [p["sentence"] for p in met["provenance"]][1] == TRICKY_SENTENCE


# -- GraphML and GEXF -----------------------------------------------------------------------------

def _check_network(g: nx.DiGraph, batch: GraphBatch, *, key_attr: str = "key") -> None:
    assert set(g.nodes) == set(batch.actors)
    for actor in batch.actors.values():
        attrs = g.nodes[actor.id]
        assert attrs["name"] == actor.name and attrs["type"] == actor.type.value
        assert attrs.get("aliases", "") == LIST_SEPARATOR.join(actor.aliases)
        assert attrs.get("rank") == actor.rank and attrs.get("title") == actor.title
    assert g.number_of_edges() == len(batch.relations)
    for u, v, attrs in g.edges(data=True):
        rel = batch.relations[attrs[key_attr]]
        assert (u, v) == (rel.source, rel.target)
        assert attrs["relation"] == rel.type.value
        assert attrs.get("date") == rel.date and attrs.get("place") == rel.place and attrs.get("what") == rel.what
        assert attrs["citations"] == len(rel.provenance)
        if rel.provenance:
            assert attrs["articles"] == LIST_SEPARATOR.join(rel.articles)
            assert set(attrs["sentences"].split("\n")) >= {p.sentence.split("\n")[0] for p in rel.provenance}


def test_graphml_reads_back_with_names_types_dates(batch):
    data = to_graphml(batch)
    g = nx.read_graphml(io.BytesIO(data), force_multigraph=True)
    _check_network(g, batch)
    # The edge ids are the relation keys, so a re-export of an edited file can be matched up.
    assert {k for _, _, k in g.edges(keys=True)} == set(batch.relations)


def test_graphml_has_no_none_values_and_only_scalar_types(batch):
    root = ET.fromstring(to_graphml(batch))
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    keys = root.findall(f"{ns}key")
    assert {k.get("attr.type") for k in keys} <= {"string", "long", "int", "double", "boolean"}
    assert len({k.get("id") for k in keys}) == len(keys)  # ids unique across node and edge keys
    values = [d.text for d in root.iter(f"{ns}data")]
    assert values and all(v not in (None, "", "None", "[]") for v in values)


GEXF = "{http://gexf.net/1.3}"


def _only(batch: GraphBatch, keep) -> GraphBatch:
    """The batch with only the relations ``keep`` accepts (every actor stays)."""
    out = GraphBatch(actors=dict(batch.actors), articles=dict(batch.articles))
    out.relations = {k: r for k, r in batch.relations.items() if keep(r)}
    return out


def test_gexf_is_1_3_dynamic_with_spells_and_mutual_met_and_signed(batch):
    from lxml import etree

    root = etree.fromstring(to_gexf(batch, title="Freedonia & Sylvania"))
    assert root.tag == f"{GEXF}gexf" and root.get("version") == "1.3"
    assert root.findtext(f"{GEXF}meta/{GEXF}description") == "Freedonia & Sylvania"
    graph = root.find(f"{GEXF}graph")
    assert (graph.get("mode"), graph.get("timeformat"), graph.get("defaultedgetype")) == ("dynamic", "date", "directed")
    assert (graph.get("start"), graph.get("end")) == ("2025-03-01", "2025-03-31")  # OFFERED is dated "2025-03"
    assert graph.get("name") is None
    edges = {e.get("id"): e for e in graph.iter(f"{GEXF}edge")}
    assert set(edges) == set(batch.relations)
    for key, rel in batch.relations.items():
        edge = edges[key]
        assert edge.get("type", "directed") == ("mutual" if rel.type.value in ("MET", "SIGNED") else "directed")
        assert edge.get("kind") == rel.type.value
        spells = [(s.get("start"), s.get("end")) for s in edge.iter(f"{GEXF}spell")]
        if rel.date is None:
            assert spells == [], key
        elif len(rel.date) == 10:
            assert spells == [(rel.date, rel.date)], key
        else:
            assert spells == [("2025-03-01", "2025-03-31")], key
    colours = {n.get("id"): n.find(f"{GEXF}color") for n in graph.iter(f"{GEXF}node")}
    assert colours[IDS["freedonia"]].get("r") == "225"  # the palette's State red, #E15759


@pytest.mark.parametrize("date, expected", [
    ("2025-03-04", ("2025-03-04", "2025-03-04")), ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2025", ("2025-01-01", "2025-12-31")), (None, None), ("2025-13", None), ("soon", None),
])
def test_gexf_spell_covers_the_date_at_its_precision(date, expected):
    from graph.exports.gexf import spell

    assert spell(date) == expected


@pytest.mark.parametrize("with_events", [False, True])
def test_the_default_whole_graph_gexf_reads_in_networkx(batch, with_events):
    """Every relation type at once (directed and symmetric), with event nodes or without: networkx
    reads it as it is written, no option needed."""
    from graph.model.events import events_from_relations
    whole = GraphBatch.from_dict(batch.to_dict())
    if with_events:
        for ev in events_from_relations(whole.relations.values()):
            whole.add_event(ev)
    g = nx.read_gexf(io.BytesIO(to_gexf(whole)))
    assert g.is_directed()
    assert {d["id"] for _, _, d in g.edges(data=True)} >= set(batch.relations)
    met = [d for _, _, d in g.edges(data=True) if d.get("relation") == "MET"]
    assert met and all(d["id"] in batch.relations for d in met)
    assert set(batch.actors) <= set(g.nodes)


def test_gexf_of_symmetric_relations_reads_in_networkx_as_undirected(batch):
    met = _only(batch, lambda r: r.type.value in ("MET", "SIGNED"))
    g = nx.read_gexf(io.BytesIO(to_gexf(met)))
    assert not g.is_directed()
    _check_network(g, met, key_attr="id")
    signed = next(d for _, _, d in g.edges(data=True) if d["relation"] == "SIGNED")
    assert signed["label"] == "SIGNED 2025-03-06" and signed["spells"] == [("2025-03-06", "2025-03-06")]


def test_gexf_of_directed_relations_reads_in_networkx_with_names_types_dates(batch):
    directed = _only(batch, lambda r: r.type.value not in ("MET", "SIGNED"))
    g = nx.read_gexf(io.BytesIO(to_gexf(directed)))
    assert g.is_directed()
    _check_network(g, directed, key_attr="id")
    for node, attrs in g.nodes(data=True):
        assert attrs["label"] == batch.actors[node].name


# -- Neo4j bulk-import CSV ------------------------------------------------------------------------

def _split(cell: str, cast=str) -> list:
    return [cast(x) for x in cell.split(ARRAY_DELIMITER)] if cell else []


def test_neo4j_csv_headers_follow_the_import_tool_syntax():
    typed = re.compile(r"^(\w+)?(:(ID|LABEL|START_ID|END_ID|TYPE|(string|long|double)(\[\])?))?$")
    for header in (NODE_HEADER, RELATIONSHIP_HEADER, ARTICLE_HEADER):
        assert all(typed.match(column) for column in header), header
    assert NODE_HEADER == ["id:ID", "name", "type", "aliases:string[]", "rank", "title", ":LABEL"]
    assert RELATIONSHIP_HEADER[:9] == [":START_ID", ":END_ID", ":TYPE", "key", "date", "place", "what",
                                      "articles:string[]", "sentences:string[]"]
    for column in ("articles:string[]", "sentences:string[]", "starts:long[]", "ends:long[]",
                   "confidences:double[]", "prov_ids:string[]"):
        assert column in RELATIONSHIP_HEADER


def test_neo4j_csv_zip_reads_back_with_the_csv_module(batch):
    archive = zipfile.ZipFile(io.BytesIO(to_neo4j_csv(batch)))
    assert set(archive.namelist()) == {"nodes.csv", "relationships.csv", "articles.csv", "mentions.csv", "events.csv",
                                       "in_event.csv", "fixup.cypher", "README.txt"}
    assert f"--array-delimiter='{ARRAY_DELIMITER}'" in archive.read("README.txt").decode()

    nodes = list(csv.DictReader(io.StringIO(archive.read("nodes.csv").decode("utf-8"))))
    assert len(nodes) == len(batch.actors)
    for row in nodes:
        actor = batch.actors[row["id:ID"]]
        assert row["name"] == actor.name and row["type"] == actor.type.value
        assert _split(row[":LABEL"]) == ["Actor", actor.type.value]
        assert _split(row["aliases:string[]"]) == actor.aliases
        assert (row["rank"] or None, row["title"] or None) == (actor.rank, actor.title)

    rels = list(csv.DictReader(io.StringIO(archive.read("relationships.csv").decode("utf-8"))))
    assert len(rels) == len(batch.relations)
    for row in rels:
        rel = batch.relations[row["key"]]
        assert (row[":START_ID"], row[":END_ID"], row[":TYPE"]) == (rel.source, rel.target, rel.type.value)
        assert (row["date"] or None, row["place"] or None, row["what"] or None) == (rel.date, rel.place, rel.what)
        lists = [_split(row["articles:string[]"]), _split(row["sentences:string[]"]),
                 _split(row["starts:long[]"], int), _split(row["ends:long[]"], int),
                 _split(row["confidences:double[]"], float), _split(row["prov_ids:string[]"])]
        assert all(len(values) == len(rel.provenance) for values in lists), row["key"]
        assert lists[0] == [p.article for p in rel.provenance]
        assert lists[2] == [p.start for p in rel.provenance] and lists[4] == [p.confidence for p in rel.provenance]
        assert lists[5] == [p.id for p in rel.provenance]
        # Sentences survive intact, newline included; only the delimiter itself is swapped out.
        assert lists[1] == [p.sentence.replace("|", "\u00a6") for p in rel.provenance]

    articles = list(csv.DictReader(io.StringIO(archive.read("articles.csv").decode("utf-8"))))
    assert {r["id:ID"]: r["title"] or None for r in articles} == {a.id: a.title for a in batch.articles.values()}

    mentions = list(csv.DictReader(io.StringIO(archive.read("mentions.csv").decode("utf-8"))))
    assert [(r[":START_ID"], r[":END_ID"]) for r in mentions] == batch.mentions()
    assert {r[":TYPE"] for r in mentions} == {"MENTIONS"}
    assert ("a1.txt", IDS["base"]) in batch.mentions() and ("a1.txt", IDS["vellmar"]) in batch.mentions()



def test_neo4j_csv_events_read_back_by_column(batch):
    """Each event's citations in the columns its header names, parties as IN_EVENT rows."""
    for ev in events_from_relations(batch.relations.values()):
        batch.add_event(ev)
    tables = csv_tables(batch)
    events = {row["id:ID"]: row for row in csv.DictReader(io.StringIO(tables["events.csv"]))}
    assert set(events) == set(batch.events) and events
    for event_id, row in events.items():
        ev = batch.events[event_id]
        assert (row["type"], row["date"] or None, _split(row[":LABEL"])) == (ev.type.value, ev.date, ["Event"])
        assert _split(row["articles:string[]"]) == [c.article for c in ev.citations]
        assert _split(row["prov_ids:string[]"]) == [c.id for c in ev.citations]
        assert _split(row["starts:long[]"], int) == [c.start for c in ev.citations]
        assert _split(row["ends:long[]"], int) == [c.end for c in ev.citations]
        assert _split(row["confidences:double[]"], float) == [c.confidence for c in ev.citations]
    parties = [(r[":START_ID"], r[":END_ID"], r["role"], int(r["side:int"]))
               for r in csv.DictReader(io.StringIO(tables["in_event.csv"]))]
    assert sorted(parties) == sorted((p.actor, k, p.role, p.side) for k, e in batch.events.items() for p in e.participants)

def _neo4j_lib() -> "Path":
    """The Neo4j jars scripts/neo4j-local resolved for the tests' server (its home's lib/), which
    include the import tool."""
    from tests import neo4j_server

    lib = neo4j_server.folder() / "home" / "lib"
    if not any(lib.glob("neo4j-import-tool-*.jar")):
        pytest.fail(f"no Neo4j import tool under {lib}: scripts/test resolves the jars when it starts the tests' server, "
                    "or deselect with -m 'not neo4j'", pytrace=False)
    return lib


@pytest.mark.neo4j
def test_neo4j_csv_loads_with_the_real_import_tool(batch, tmp_path):
    """neo4j-admin database import full, run from the zip's README command on an empty database:
    every node, relationship and non-empty cell arrives, and nothing is reported bad."""
    import shlex
    import subprocess

    from graph.stores.neo4j.import_files import IMPORT_COMMAND

    lib = _neo4j_lib()
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "neo4j.conf").write_text(
        f"server.directories.data={tmp_path / 'data'}\nserver.directories.logs={tmp_path / 'logs'}\n")
    work = tmp_path / "csv"
    for ev in events_from_relations(batch.relations.values()):  # events as nodes, IN_EVENT edges too
        batch.add_event(ev)
    assert batch.events
    zipfile.ZipFile(io.BytesIO(to_neo4j_csv(batch))).extractall(work)
    args = shlex.split(IMPORT_COMMAND)
    assert args[:4] == ["neo4j-admin", "database", "import", "full"]
    report = tmp_path / "bad.log"
    proc = subprocess.run(
        ["java", "-Xmx512m", "-cp", f"{lib}/*", "org.neo4j.cli.AdminTool", *args[1:], f"--report-file={report}"],
        cwd=work, capture_output=True, text=True, timeout=300,
        env={"PATH": __import__("os").environ["PATH"], "NEO4J_HOME": str(tmp_path), "NEO4J_CONF": str(tmp_path / "conf")})
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    summary = re.search(r"Imported:\s+(\d+) nodes\s+(\d+) relationships\s+(\d+) properties", proc.stdout)
    assert summary, proc.stdout[-2000:]
    tables = csv_tables(batch)

    def cells(name: str, skip: set[str]) -> int:
        return sum(1 for row in csv.DictReader(io.StringIO(tables[name])) for k, v in row.items() if v and k not in skip)

    properties = (cells("nodes.csv", {":LABEL"}) + cells("articles.csv", {":LABEL"}) + cells("events.csv", {":LABEL"})
                  + cells("relationships.csv", {":START_ID", ":END_ID", ":TYPE"})
                  + cells("in_event.csv", {":START_ID", ":END_ID", ":TYPE"}))
    in_event = sum(len(e.participants) for e in batch.events.values())
    assert tuple(map(int, summary.groups())) == (len(batch.actors) + len(batch.articles) + len(batch.events),
                                                 len(batch.relations) + len(batch.mentions()) + in_event, properties)
    assert not report.exists() or not report.read_text().strip()


def test_neo4j_csv_zip_is_byte_stable(batch):
    assert to_neo4j_csv(batch) == to_neo4j_csv(sample_batch())
    assert set(csv_tables(batch)) == {"nodes.csv", "relationships.csv", "articles.csv", "mentions.csv", "events.csv",
                                      "in_event.csv"}


# -- Cytoscape.js ---------------------------------------------------------------------------------

def test_cytoscape_elements_carry_data(batch):
    doc = json.loads(to_cytoscape(batch))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    assert {n["data"]["id"]: n["data"]["name"] for n in nodes} == {a.id: a.name for a in batch.actors.values()}
    assert all(n["classes"] == n["data"]["type"] for n in nodes)
    by_id = {e["data"]["id"]: e["data"] for e in edges}
    assert set(by_id) == set(batch.relations)
    for key, data in by_id.items():
        rel = batch.relations[key]
        assert (data["source"], data["target"], data["type"], data.get("date")) == \
            (rel.source, rel.target, rel.type.value, rel.date)
        assert len(data["provenance"]) == len(rel.provenance)
    assert {s["selector"] for s in doc["style"]} >= {f"node.{t.value}" for t in NodeType}
    assert doc["data"]["articles"][0]["id"] == "a1.txt"


# -- Cypher script --------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, literal", [
    ("plain", "'plain'"),
    ("it's", r"'it\'s'"),
    ('say "hi"', "'say \"hi\"'"),
    ("back\\slash", r"'back\\slash'"),
    ("a;b", r"'a\u003Bb'"),
    ("line\nbreak\r\ttab", r"'line\nbreak\r\ttab'"),
    ("bell\x07nul\x00", r"'bell\u0007nul\u0000'"),
    ("Brežka – ok", "'Brežka – ok'"),
    ("\\'; MATCH (n) DETACH DELETE n; //", r"'\\\'\u003B MATCH (n) DETACH DELETE n\u003B //'"),
])
def test_cypher_strings_are_escaped(raw, literal):
    assert cypher_string(raw) == literal


def _statements(script: str) -> list[str]:
    """Split as cypher-shell does for this script: the exporter guarantees ';' only ends statements."""
    return [s for s in (_strip_comments(part) for part in script.split(";")) if s]


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")).strip()


def test_cypher_script_has_no_semicolon_inside_a_literal(batch):
    script = to_cypher(batch, rows_per_statement=2)
    # Every statement ends with ';' at the end of a line: splitting on every ';' finds exactly those.
    ends = len(re.findall(r";$", script, flags=re.M))
    assert len(_statements(script)) == ends == script.count(";")
    assert TRICKY_SENTENCE not in script  # it holds ';', a newline and a quote, all escaped


def _mine(snapshot: GraphBatch, batch: GraphBatch) -> GraphBatch:
    """The part of a server's snapshot with the batch's ids."""
    out = GraphBatch()
    out.actors = {k: v for k, v in snapshot.actors.items() if k in batch.actors}
    out.relations = {k: v for k, v in snapshot.relations.items() if k in batch.relations}
    out.articles = {k: v for k, v in snapshot.articles.items() if k in batch.articles}
    return out


def _mentions(driver, env, batch: GraphBatch) -> list[tuple[str, str]]:
    records, _, _ = driver.execute_query(
        "MATCH (a:Article)-[:MENTIONS]->(x:Actor) WHERE a.id IN $articles RETURN a.id AS article, x.id AS actor "
        "ORDER BY article, actor", articles=list(batch.articles), database_=env.database)
    return [(r["article"], r["actor"]) for r in records]


@pytest.mark.neo4j
def test_ingest_writes_article_mentions_so_browser_walks_from_actor_to_sources(neo4j_store, neo4j_driver,
                                                                            neo4j_env, batch):
    neo4j_store.upsert(batch)
    assert _mentions(neo4j_driver, neo4j_env, batch) == batch.mentions()
    # What a Browser user types: the sources of one actor, with their titles.
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (:Actor {id: $id})<-[:MENTIONS]-(a:Article) RETURN a.id AS id, a.title AS title ORDER BY id",
        id=IDS["vell"], database_=neo4j_env.database)
    assert [r["id"] for r in records] == ["a1.txt", "a2.txt", "a3.txt"]
    assert records[0]["title"] == "Freedonian chief in Vellmar <talks>"
    # Mentions are no relations of the graph: reads and counts are unchanged.
    assert _mine(neo4j_store.snapshot(), batch).to_dict() == batch.to_dict()
    assert sum(neo4j_store.stats()["relations"].values()) == len(batch.relations)
    # A second ingest adds no second MENTIONS and leaves the version alone.
    version = neo4j_store.version()
    neo4j_store.upsert(sample_batch())
    assert _mentions(neo4j_driver, neo4j_env, batch) == batch.mentions() and neo4j_store.version() == version


@pytest.mark.neo4j
def test_cypher_script_recreates_the_subgraph_in_neo4j(neo4j_store, neo4j_driver, neo4j_env, batch):
    script = to_cypher(batch, rows_per_statement=3)
    with neo4j_driver.session(database=neo4j_env.database) as session:
        for _ in range(2):  # twice: MERGE makes a second run change nothing
            for statement in _statements(script):
                session.run(statement).consume()
    got = _mine(neo4j_store.snapshot(), batch)
    assert got.to_dict() == batch.to_dict()
    tricky = got.relations[next(k for k in batch.relations if k.startswith("MET|person:anna"))]
    assert tricky.provenance[1].sentence == TRICKY_SENTENCE

    # The script's MENTIONS are the store's: Browser walks from an actor to its articles either way.
    assert _mentions(neo4j_driver, neo4j_env, batch) == batch.mentions()

    # The store's own writes recognise what the script wrote: nothing new to add.
    version = neo4j_store.version()
    result = neo4j_store.upsert(sample_batch())
    assert neo4j_store.version() == version
    assert (result.relations, result.provenance) == (0, 0)
    assert _mine(neo4j_store.snapshot(), batch).to_dict() == batch.to_dict()


# -- pictures -------------------------------------------------------------------------------------

def test_svg_is_xml_with_every_name_as_text(batch):
    svg = to_svg(batch, title="Freedonia & Sylvania")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    for actor in batch.actors.values():
        for word in actor.name.split():
            assert word in texts, actor.name
    for shown in ("MET 2025-03-04", "VISITED 2025-03-05", "Freedonia & Sylvania", "Person", "Facility"):
        assert shown in texts


def test_dot_source_escapes_quotes_and_colours_by_type(batch):
    dot = to_dot(batch)
    assert '"person:anna-brezka" [label="Anna Brežka"' in dot
    assert 'fillcolor="#4E79A733"' in dot  # persons' tint
    odd = Actor(id="org:odd", type=NodeType.ORGANIZATION, name='Say "hi" \\N <b>&</b>')
    batch.add_actor(odd)
    assert r'label="Say \"hi\" \\N <b>&</b>"' in to_dot(batch, isolated=True)
    texts = [t.text for t in ET.fromstring(to_svg(batch, isolated=True)).iter(f"{SVG_NS}text")]
    assert odd.name in texts  # drawn as written: no \N expansion, no markup


def _groups(svg: str, cls: str) -> dict[str, ET.Element]:
    """Graphviz's SVG groups of one class ("node", "edge"), by their <title> (node id, or "a->b")."""
    root = ET.fromstring(svg)
    return {g.findtext(f"{SVG_NS}title"): g for g in root.iter(f"{SVG_NS}g")
            if cls in (g.get("class") or "").split()}


def test_picture_marks_the_centre_with_a_double_border_and_names_it_in_the_legend(batch):
    from graph.exports.picture import CENTER_CLASS

    svg = to_svg(batch, center=IDS["brezka"])
    nodes = _groups(svg, "node")
    centre = nodes[IDS["brezka"]]
    assert CENTER_CLASS in centre.get("class").split()
    shapes = lambda g: [e for e in g.iter() if e.tag in (f"{SVG_NS}path", f"{SVG_NS}polygon")]  # noqa: E731
    assert len(shapes(centre)) == 2 and all(len(shapes(g)) == 1 for k, g in nodes.items() if k != IDS["brezka"])
    assert [k for k, g in nodes.items() if CENTER_CLASS in g.get("class").split()] == [IDS["brezka"]]
    assert "centre: Anna Brežka" in [t.text for t in ET.fromstring(svg).iter(f"{SVG_NS}text")]
    assert "centre:" not in to_svg(batch)  # no centre asked, none marked


def _points(d: str) -> list[tuple[float, float]]:
    nums = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return list(zip(nums[::2], nums[1::2]))


def _bezier(points: list[tuple[float, float]], steps: int = 200) -> list[tuple[float, float]]:
    """Points along a Graphviz edge path: M p0 C c1 c2 p1 c1 c2 p2 ... (cubic Bézier pieces)."""
    out = [points[0]]
    for i in range(1, len(points) - 2, 3):
        p0, c1, c2, p1 = points[i - 1], points[i], points[i + 1], points[i + 2]
        for k in range(1, steps + 1):
            t = k / steps
            out.append(tuple((1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t ** 2 * c + t ** 3 * d
                             for a, b, c, d in zip(p0, c1, c2, p1)))
    return out


def test_each_edge_label_is_tied_to_its_own_edge(batch):
    """Graphviz's decorate: under each label a line runs from the label to a point on that edge's
    own path, closer to it than to any other edge, so crossing edges cannot swap labels."""
    edges = _groups(to_svg(batch), "edge")
    curves = {k: _bezier(_points(next(g.iter(f"{SVG_NS}path")).get("d"))) for k, g in edges.items()}

    def distance(p, curve):
        return min(((p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2) ** 0.5 for q in curve)

    labelled = 0
    for key, g in edges.items():
        texts = g.findall(f"{SVG_NS}text")
        if not texts:
            continue
        labelled += 1
        line = g.find(f"{SVG_NS}polyline")
        assert line is not None, key
        underline_start, underline_end, attach = _points(line.get("points"))[:3]
        label = texts[-1]
        # The underline sits under the label's last line...
        assert abs(underline_start[1] - float(label.get("y"))) < 6, key
        # ...and its other end lands on this edge, nearer to it than to any other.
        assert distance(attach, curves[key]) < 1.5, key
        assert all(distance(attach, curves[key]) <= distance(attach, c) for k, c in curves.items() if k != key), key
    assert labelled == len(edges) >= 10


def test_picture_leaves_actors_without_relations_out_unless_asked(batch):
    lonely = Actor(id="person:lone-wanderer", type=NodeType.PERSON, name="Lone Wanderer")
    batch.add_actor(lonely)
    assert lonely.id not in _groups(to_svg(batch), "node")
    assert set(_groups(to_svg(batch), "node")) == set(batch.actors) - {lonely.id}
    assert lonely.id in _groups(to_svg(batch, isolated=True), "node")
    assert lonely.id in _groups(to_svg(batch, center=lonely.id), "node")  # the centre is always drawn
    assert lonely.id in _groups(export(batch, "svg", isolated=True).decode(), "node")
    assert "Lone Wanderer" not in to_html(batch, generated="now").split('<section id="relations">')[0]


def test_png_is_a_png_pillow_opens():
    from PIL import Image

    data = to_png(sample_batch())
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG" and image.width > 300 and image.height > 300
    extrema = image.convert("L").getextrema()
    assert extrema[0] < 100 < extrema[1]  # dark text on a light background, not a blank canvas


# -- actorgraph export ------------------------------------------------------------------------------

@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """An embedded store holding the sample graph, configured as the CLI would find it."""
    from graph.stores import open_store

    with open_store("embedded", data_dir=tmp_path) as store:
        store.upsert(sample_batch())
    monkeypatch.setenv("ACTORGRAPH_STORE", "embedded")
    monkeypatch.setenv("ACTORGRAPH_DATA", str(tmp_path))
    return tmp_path


def test_export_command_knows_every_format():
    from service.commands.export import FORMAT_NAMES

    assert FORMAT_NAMES == tuple(FORMATS)


def test_export_command_writes_an_ego_network(data_dir, tmp_path):
    from service.cli import main

    svg = tmp_path / "brezka.svg"
    assert main(["export", "--center", IDS["brezka"], "-o", str(svg)]) == 0
    assert "centre: Anna Brežka" in svg.read_text()

    out = tmp_path / "brezka.graphml"
    assert main(["export", "--center", IDS["brezka"], "--depth", "1", "-o", str(out)]) == 0
    g = nx.read_graphml(out, force_multigraph=True)
    assert set(g.nodes) == {IDS["brezka"], IDS["vell"], IDS["army"], IDS["base"]}
    assert {d["relation"] for _, _, d in g.edges(data=True)} == {"MET", "VISITED", "MEMBER_OF"}


def test_export_command_writes_a_path_and_filters(data_dir, tmp_path, capsys):
    from service.cli import main

    assert main(["export", "--source", IDS["marn"], "--target", IDS["freedonia"], "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    ids = [n["id"] for n in doc["nodes"]]
    assert IDS["marn"] in ids and IDS["freedonia"] in ids
    assert {a["id"] for a in doc["articles"]} == {p["article"] for e in doc["edges"] for p in e["provenance"]}

    assert main(["export", "--types", "MET", "--since", "2025-03-01", "--until", "2025-03-31", "-f", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(e["type"], e["date"]) for e in doc["edges"]] == [("MET", "2025-03-04")]
    assert {n["id"] for n in doc["nodes"]} == {IDS["brezka"], IDS["vell"]}

    pdf = tmp_path / "all.pdf"
    assert main(["export", "-o", str(pdf), "--title", "Everything"]) == 0  # format from the suffix
    assert pdf.read_bytes().startswith(b"%PDF-")

    ftm = tmp_path / "all.ftm.json"  # ".ftm.json" is FtM, not graph JSON
    assert main(["export", "-o", str(ftm)]) == 0
    assert all("schema" in json.loads(line) for line in ftm.read_text().splitlines())
    xlsx = tmp_path / "all.xlsx"
    assert main(["export", "-o", str(xlsx)]) == 0 and xlsx.read_bytes()[:2] == b"PK"


def test_export_command_explains_bad_requests(data_dir, capsys):
    from service.cli import main

    assert main(["export", "--center", "person:nobody"]) == 2
    assert "person:nobody" in capsys.readouterr().err
    assert main(["export", "--source", IDS["marn"]]) == 2
    assert main(["export", "--types", "MET,HUGGED"]) == 2
    assert "HUGGED" in capsys.readouterr().err


# -- GET /subgraph?format= --------------------------------------------------------------------------

@pytest.fixture
def api():
    from fastapi.testclient import TestClient

    from graph.stores.embedded.store import EmbeddedStore
    from service.app import create_app
    from service.settings import Settings

    store = EmbeddedStore(None)
    store.upsert(sample_batch())
    settings = Settings(store="embedded", api_key=None, read_requires_key=False)
    with TestClient(create_app(store, settings=settings)) as client:
        yield client


def test_subgraph_route_downloads_any_format(api):
    plain = api.get("/subgraph", params={"center": IDS["brezka"]})
    assert plain.status_code == 200 and plain.headers["content-type"] == "application/json"
    assert "content-disposition" not in plain.headers

    r = api.get("/subgraph", params={"center": IDS["brezka"], "depth": 1, "format": "graphml"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/graphml+xml")
    assert r.headers["content-disposition"] == 'attachment; filename="person-anna-brezka-depth1.graphml"'
    g = nx.read_graphml(io.BytesIO(r.content), force_multigraph=True)
    assert set(g.nodes) == {IDS["brezka"], IDS["vell"], IDS["army"], IDS["base"]}

    svg = api.get("/subgraph", params={"center": IDS["brezka"], "format": "svg"})
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert "Anna Brežka: ego network, depth 1" in svg.text  # the title reaches the picture
    assert "centre: Anna Brežka" in svg.text  # and the centre is marked

    csv_zip = api.get("/subgraph", params={"center": IDS["brezka"], "format": "neo4j-csv"})
    assert csv_zip.headers["content-type"] == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(csv_zip.content)).namelist()[0] == "nodes.csv"

    pdf = api.get("/subgraph", params={"center": IDS["brezka"], "format": "pdf", "types": "MET"})
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF-")

    ftm = api.get("/subgraph", params={"center": IDS["brezka"], "format": "ftm"})
    assert ftm.headers["content-disposition"] == 'attachment; filename="person-anna-brezka-depth1.ftm.json"'
    assert {json.loads(line)["schema"] for line in ftm.content.splitlines()} >= {"Person", "Event", "Membership"}

    xlsx = api.get("/subgraph", params={"center": IDS["brezka"], "format": "xlsx"})
    from openpyxl import load_workbook

    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == ["nodes", "relations", "events", "articles"]


def test_subgraph_route_refuses_unknown_formats(api):
    r = api.get("/subgraph", params={"center": IDS["brezka"], "format": "docx"})
    assert r.status_code == 422
    assert api.get("/subgraph", params={"center": "person:nobody", "format": "svg"}).status_code == 404
