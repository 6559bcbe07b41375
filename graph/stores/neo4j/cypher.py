"""Every Cypher statement the Neo4j store runs, as small functions returning query strings.

Values always travel as parameters. Labels and relationship types cannot be parameters, so the few
functions that take one accept only a ``NodeType`` or ``RelType`` member and format its value in:
user input never reaches the query text.

Relations keep their provenance in parallel list properties (``prov_ids``, ``articles``,
``sentences``, ``starts``, ``ends``, ``confidences``), so Browser users can write
``MATCH (a)-[r:MET]-(b) RETURN a.name, b.name, r.sentences, r.articles``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

from graph.model import NodeType, RelType

__all__ = [
    "SCHEMA_PATH", "PROVENANCE_LISTS", "schema_statements", "ping", "wipe",
    "existing_actors", "by_element", "collected", "KEYS_PER_READ", "key_chunks", "ACTOR_FIELDS", "upsert_actors",
    "actor_elements", "stored_relations", "STORED_RELATION_PROPS",
    "upsert_relations", "create_relations", "existing_articles", "upsert_articles", "upsert_mentions",
    "mention_rows", "write_mentions",
    "get_actor", "actors", "relations", "articles", "node_counts", "relation_counts", "article_count",
    "wipe_graph", "judgements", "save_judgement", "sources", "save_sources", "drop_sources",
]

# cypher/schema.cypher, reached through graph/stores/neo4j/schema.cypher (a link, packaged as data) so an
# installed wheel carries the same file Browser users read.
SCHEMA_PATH = Path(__file__).resolve().parent / "schema.cypher"

# Provenance field -> the relationship's list property holding it, in Provenance's field order.
PROVENANCE_LISTS = {"id": "prov_ids", "article": "articles", "sentence": "sentences", "start": "starts",
                    "end": "ends", "confidence": "confidences"}

# Reads return whole property maps rather than ``a.title``, ``r.place``...: naming a key no entity has
# yet (a fresh database with no titled actor) makes the server warn on every run of the query.
_ACTOR = "properties(a) AS actor"

# RelationFilter.accepts in Cypher: types; structure relations and unbounded reads pass the dates;
# otherwise a date is needed and compares with each bound over their common prefix ('2025-01').
_FILTER = """($types IS NULL OR type(r) IN $types)
  AND (type(r) IN $structure OR ($since IS NULL AND $until IS NULL)
       OR (r.date IS NOT NULL
           AND ($since IS NULL OR left(r.date, size($since)) >= left($since, size(r.date)))
           AND ($until IS NULL OR left(r.date, size($until)) <= left($until, size(r.date)))))"""


def schema_statements(path: Path = SCHEMA_PATH) -> list[str]:
    """The statements of ``cypher/schema.cypher``: ``//`` comment lines dropped, split on ``;``."""
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("//"))
    return [s.strip() for s in text.split(";") if s.strip()]


def ping() -> str:
    return "RETURN 1 AS ok"


# Relationships go first, in chunks of their own: a DETACH DELETE of 10,000 nodes takes every
# relationship of those nodes into one transaction, and a hub's (thousands) overflow the server's
# transaction memory pool at the default heap.
# Directed, so each is matched once (for wipe_graph: actors and articles start every relationship
# of the graph, a relation or a MENTIONS).
_DROP_RELATIONSHIPS = "MATCH (n)-[r]->() {}CALL (r) {{ DELETE r }} IN TRANSACTIONS OF 10000 ROWS"


def wipe() -> list[str]:
    """Delete every node and relationship of the database, in chunks (auto-commit transactions only)."""
    return [_DROP_RELATIONSHIPS.format(""),
            "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"]


# -- writes ------------------------------------------------------------------------------------

# The reads of a write chunk answer as one record of rows (``collected``): a re-ingest reads the
# stored state of every key it writes, and 200k relations' records cost the client seconds.
_ELEMENT = "{id: id, element: elementId(a)}"


def existing_actors() -> str:
    """The stored actors of $ids with their element ids, as rows (``collected``)."""
    return f"UNWIND $ids AS id MATCH (a:Actor {{id: id}}) {collected('{actor: properties(a), element: elementId(a)}')}"


def by_element(var: str, label: str, element: str, node_id: str) -> str:
    """Node ``var`` found by the element id an earlier phase of the same upsert read (``element``),
    checked against its ``id`` (``node_id``): a direct record read, where a MATCH by id walks the id
    index's tree of long strings, for each end of each relation and mention (a quarter of the
    server's time at 150k relations). The check keeps a node deleted meanwhile, whose element id a
    new node may reuse, from being matched: no match, as a MATCH by id would find none.
    ``coalesce`` keeps the planner on the element-id seek: a plain equality on ``id`` makes it
    choose the id index again."""
    return (f"MATCH ({var}:{label}) WHERE elementId({var}) = {element} "
            f"AND coalesce({var}.id, '') = {node_id}")


_ENDS = f"{by_element('s', 'Actor', 'row.s', 'row.source')}\n{by_element('t', 'Actor', 'row.t', 'row.target')}"


# The fields of an actor row (graph.stores.neo4j.store._actor_row) besides its id.
ACTOR_FIELDS = ("type", "name", "aliases", "rank", "title")


def upsert_actors(node_type: NodeType) -> str:
    """Rows are whole, already-merged actors: every field is set (a null removes one). Named one by
    one rather than ``a += row``: a map of unknown keys conflicts with the MERGE's read of ``id`` and
    costs the plan an Eager barrier."""
    label = NodeType(node_type).value
    fields = ", ".join(f"a.{f} = row.{f}" for f in ACTOR_FIELDS)
    return f"UNWIND $rows AS row MERGE (a:Actor {{id: row.id}}) SET a:`{label}`, {fields}"


def actor_elements() -> str:
    """The element ids of the actors of $ids, by id: read after a write rather than returned by it
    (a RETURN after the SET costs the plan an Eager barrier)."""
    return f"UNWIND $ids AS id MATCH (a:Actor {{id: id}}) {collected(_ELEMENT)}"


def stored_relations(rel_type: RelType) -> str:
    """What an upsert needs to know of the stored relations of one type, by key: their citation ids
    and whether they have a place and a what. Found by the index of the key's uniqueness
    constraint (cypher/schema.cypher), not by an expand from their endpoints (a hub has thousands of relationships). The properties are read by
    name from $props: a key no relationship has yet (``what`` in a graph of meetings) must not make
    the server warn."""
    rel = RelType(rel_type).value
    return (f"UNWIND $keys AS key MATCH ()-[r:`{rel}` {{key: key}}]->() "
            + collected("{key: r.key, values: [p IN $props | r[p]]}"))


STORED_RELATION_PROPS = ["prov_ids", "place", "what"]


def upsert_relations(rel_type: RelType) -> str:
    """Merge relations of one type by key, appending only the citations they do not hold yet.

    The rows are those a read of ``stored_relations`` found new or changed (``_write_relations``), so
    an unchanged relation is not written at all and the counts come from that read; the summary's
    ``relationships_created`` counts the new ones. Nothing is read after the MERGE, so the plan has
    no Eager barrier: every row streams through one LockingMerge. ON MATCH recomputes the fresh
    citations against the locked relationship (a SET evaluates all its items before assigning any),
    so a concurrent writer's citations are neither lost nor doubled. ``coalesce``: a relationship
    written by ``neo4j-admin database import`` has no property for an empty list.
    """
    rel = RelType(rel_type).value
    create = ", ".join(f"r.{prop} = row.{prop}" for prop in PROVENANCE_LISTS.values())
    fresh = "[i IN range(0, size(row.prov_ids) - 1) WHERE NOT row.prov_ids[i] IN coalesce(r.prov_ids, [])"
    append = ",\n    ".join(f"r.{prop} = coalesce(r.{prop}, []) + {fresh} | row.{prop}[i]]"
                            for prop in PROVENANCE_LISTS.values())
    return f"""UNWIND $rows AS row
{_ENDS}
MERGE (s)-[r:`{rel}` {{key: row.key}}]->(t)
ON CREATE SET r.date = row.date, r.place = row.place, r.what = row.what, {create}
ON MATCH SET r.place = coalesce(r.place, row.place), r.what = coalesce(r.what, row.what),
    {append}"""


def create_relations(rel_type: RelType) -> str:
    """Create relations of one type that a read of ``stored_relations`` in the same transaction
    found absent: no MERGE's lock and lookup per row. A concurrent writer that created one of the keys
    meanwhile makes the key's uniqueness constraint refuse the transaction (``ConstraintError``),
    and the store writes that chunk again through ``upsert_relations``."""
    rel = RelType(rel_type).value
    # A null in CREATE's map sets nothing, as ON CREATE SET r.place = null does.
    props = ", ".join(f"{prop}: row.{prop}" for prop in ("key", "date", "place", "what", *PROVENANCE_LISTS.values()))
    return f"""UNWIND $rows AS row
{_ENDS}
CREATE (s)-[:`{rel}` {{{props}}}]->(t)"""


def existing_articles() -> str:
    """The stored articles of $ids, by id, with their element ids (as ``actor_elements``)."""
    return f"UNWIND $ids AS id MATCH (a:Article {{id: id}}) {collected(_ELEMENT)}"


def upsert_articles() -> str:
    """The first metadata seen for an article stays, as in ``GraphBatch.add_article``."""
    return "UNWIND $rows AS row MERGE (a:Article {id: row.id}) ON CREATE SET a += row"


def upsert_mentions() -> str:
    """``(:Article)-[:MENTIONS]->(:Actor)`` for rows of ``{article, actors}``, so Browser can walk from
    an actor to its sources. No properties: the citations stay on the relations. One row per
    article: its node is found once, not once per actor (1.5x on 300k mentions). By ids: the form
    of scripts (``graph.exports.cypher``); the store writes ``write_mentions``."""
    return ("UNWIND $rows AS row MATCH (a:Article {id: row.article}) "
            "UNWIND row.actors AS actor MATCH (x:Actor {id: actor}) MERGE (a)-[:MENTIONS]->(x)")


def mention_rows(mentioned: dict[str, Iterable[str]]) -> list[dict[str, Any]]:
    """Article id -> the actor ids it mentions (``GraphBatch.mentioned``) as the rows of
    ``upsert_mentions``: ``{article, actors}``, in id order (``write_mentions`` adds element ids)."""
    return [{"article": article, "actors": sorted(mentioned[article])} for article in sorted(mentioned)]


def write_mentions(*, create: bool) -> str:
    """``upsert_mentions`` as the store runs it: the article and actors by the element ids its earlier
    phases read (``by_element``), in rows of ``{article, a, actors, xs}`` (``xs[i]``: the
    element id of ``actors[i]``). ``create``: for articles the same upsert created, which mention
    no one yet: a CREATE, without MERGE's Expand(Into) over the actor's relationships and its locks."""
    article = by_element("a", "Article", "row.a", "row.article")
    actor = by_element("x", "Actor", "row.xs[i]", "row.actors[i]")
    return (f"UNWIND $rows AS row {article} UNWIND range(0, size(row.xs) - 1) AS i {actor} "
            f"{'CREATE' if create else 'MERGE'} (a)-[:MENTIONS]->(x)")


# -- reads -------------------------------------------------------------------------------------

def get_actor() -> str:
    return f"MATCH (a:Actor {{id: $id}}) RETURN {_ACTOR}"


def actors() -> str:
    return f"MATCH (a:Actor) WHERE $types IS NULL OR a.type IN $types RETURN {_ACTOR} ORDER BY a.id"


def relations(*, touching: bool = False, provenance: bool = True, articles: bool = False) -> str:
    """Relations passing the filter parameters ($types, $structure, $since, $until); ``touching``
    adds $actor_id; without ``provenance`` the citation lists stay on the server, but for the
    cited article ids with ``articles`` (to count a relation's outlets for ``min_sources``)."""
    if touching:
        match = "MATCH (:Actor {id: $actor_id})-[r]-(:Actor)\nWITH DISTINCT r"
    else:
        match = "MATCH (:Actor)-[r]->(:Actor)"
    # Without provenance the lists are blanked in a map projection (.* names no key, so no warning).
    props = "properties(r)" if provenance else \
        "r {.*, " + ", ".join(f"{prop}: null" for prop in PROVENANCE_LISTS.values()
                              if not (articles and prop == "articles")) + "}"
    if touching:  # bounded by the actor's ties: one record (``collected``)
        return f"{match}\nWHERE {_FILTER}\n{collected(_relation_map(props), order='r.key', carried='r')}"
    return (f"{match}\nWHERE {_FILTER}\n"
            f"RETURN startNode(r).id AS source, endNode(r).id AS target, type(r) AS type, {props} AS props\n"
            "ORDER BY r.key")


def _relation_map(props: str = "properties(r)") -> str:
    return f"{{source: startNode(r).id, target: endNode(r).id, type: type(r), props: {props}}}"


# The most keys one ``collected`` read by key asks for, so its one record stays a few MB however
# many the caller has (every event's relations, for an export of the whole graph).
KEYS_PER_READ = 5_000


def key_chunks(keys: Iterable[str]) -> list[list[str]]:
    """``keys`` sorted, in the chunks of at most ``KEYS_PER_READ`` that reads by key ask for."""
    ordered = sorted(keys)
    return [ordered[i:i + KEYS_PER_READ] for i in range(0, len(ordered), KEYS_PER_READ)]


def collected(row: str, *, order: str | None = None, carried: str = "") -> str:
    """The tail of a read whose size a request or a write chunk bounds (an actor's ties, a
    subgraph's relations, the stored state of a chunk's keys): its rows as maps in one list of one
    record, ``rows``, in ``order`` (``carried``: the variables ``row`` and ``order`` read). The
    driver unpacks one record's list in its compiled codec but spends ~20 µs of Python on each
    record of a stream (2,079 relations: 44 -> 13 ms of client CPU). Reads of the whole graph
    stream, so no one record holds it all."""
    if order is None:
        return f"RETURN collect({row}) AS rows"
    return f"WITH {carried} ORDER BY {order}\nRETURN collect({row}) AS rows"


def relations_by_key(rel_type: RelType) -> str:
    """The ``rel_type`` relations whose key is in $keys, found through the key's unique index
    (not by walking the relations around their ends: around a state that is thousands), as one
    record (``collected``)."""
    rel = RelType(rel_type).value
    return (f"UNWIND $keys AS k MATCH (:Actor)-[r:{rel} {{key: k}}]->(:Actor)\n"
            + collected(_relation_map(), order="r.key", carried="r"))


def articles() -> str:
    return "MATCH (a:Article) RETURN properties(a) AS article ORDER BY a.id"


def node_counts() -> str:
    return "MATCH (a:Actor) RETURN a.type AS type, count(*) AS n"


def relation_counts() -> str:
    return "MATCH (:Actor)-[r]->(:Actor) RETURN type(r) AS type, count(*) AS n"


def article_count() -> str:
    return "MATCH (a:Article) RETURN count(a) AS n"


# -- curation (graph.curation): kept article texts and judgements, beside the graph ------------

def wipe_graph() -> list[str]:
    """Delete the actors, relations and articles, keeping kept texts and judgements (auto-commit only)."""
    return [_DROP_RELATIONSHIPS.format("WHERE n:Actor OR n:Article "),
            "MATCH (n) WHERE n:Actor OR n:Article CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"]


# Through properties(): in a database with no judgement or source yet, ``j.data`` names a key the
# server has never seen, and it warns on every run (as _ACTOR above).
def judgements() -> str:
    return "MATCH (j:Judgement) WITH properties(j) AS j RETURN j.data AS data ORDER BY j.seq"


def save_judgement() -> str:
    return "MERGE (j:Judgement {id: $id}) ON CREATE SET j.seq = $seq SET j.data = $data"


def sources() -> str:
    return ("MATCH (s:ArticleSource) WITH properties(s) AS s "
            "RETURN s.id AS id, s.ingested AS ingested, s.data AS data ORDER BY s.seq")


def save_sources() -> str:
    """The first ingest fixes an article's place in ingest order (seq); later ones replace its data."""
    return ("UNWIND $rows AS row MERGE (s:ArticleSource {id: row.id}) "
            "ON CREATE SET s.seq = row.seq, s.ingested = row.ingested SET s.data = row.data")


def drop_sources() -> str:
    return "UNWIND $ids AS id MATCH (s:ArticleSource {id: id}) DELETE s"
