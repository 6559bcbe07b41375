// Ready queries for Neo4j Browser (or cypher-shell) over the actorgraph graph.
//
// Each section sets its parameters first with `:param`, then runs one or more queries. Paste a whole
// section into Browser, or one query at a time after its :param lines. The example values are ids
// from the example articles (examples/articles, as the README ingests them); change them to ids of
// your graph (`actorgraph actors NAME`, GET /actors?q=..., or
// `MATCH (a:Actor) WHERE a.name CONTAINS 'x' RETURN a.id`). Dates sort newest first with undated
// events last: ORDER BY r.date IS NULL, r.date DESC (a plain DESC would put nulls first).
//
// The graph: (:Actor:Person|ArmedForce|State|Organization|Facility|Place {id, name, type, aliases,
// rank, title}); relationships MET, VISITED, SIGNED, OFFERED (events: date, place, what) and
// MEMBER_OF, PART_OF, LOCATED_IN (structure), each with `key` and its citations as the parallel
// lists articles, sentences, starts, ends, confidences (and prov_ids); (:Article {id, title,
// published, source, url}), with (:Article)-[:MENTIONS]->(:Actor) to each actor its citations
// name. Paths below list the actor relation types, so they do not shortcut through articles. Dates are ISO strings and may be partial ('2025-03'), so date ranges
// compare over the common prefix, as the service does.
//
// See cypher/README.md for how to run these and cypher/style.grass for the colours.


// == 1. Who met whom ===========================================================================

// 1a. Everyone an actor met, newest first (undated meetings last), with where and how often it is cited.
:param actor => 'person:ilse-brandt'
MATCH (a:Actor {id: $actor})-[r:MET]-(b:Actor)
OPTIONAL MATCH (p:Actor {id: r.place})
RETURN b.name AS met, b.type AS type, b.title AS title, r.date AS date, p.name AS place,
       size(r.articles) AS citations
ORDER BY r.date IS NULL, r.date DESC;

// 1b. The same as a picture: the actor, the people met, and their organisations.
MATCH path = (a:Actor {id: $actor})-[:MET]-(b:Actor)
OPTIONAL MATCH member = (b)-[:MEMBER_OF|PART_OF]->(:Actor)
RETURN path, member;

// 1c. All meetings in the graph, newest first (undated ones last).
MATCH (a:Actor)-[r:MET]->(b:Actor)
RETURN r.date AS date, a.name AS actor, b.name AS met, size(r.articles) AS citations
ORDER BY r.date IS NULL, r.date DESC
LIMIT 100;


// == 2. Meetings between two states in a date range ============================================
// A side is the state and everything that belongs to it: MEMBER_OF it, or MEMBER_OF / PART_OF
// something that does (an officer MEMBER_OF an army PART_OF the state), as GET /meetings counts.

:param stateA => 'state:marenzia'
:param stateB => 'state:ostrland'
:param since => '2026-01-01'
:param until => '2026-12-31'
MATCH (sa:Actor {id: $stateA}), (sb:Actor {id: $stateB})
MATCH (x:Actor)-[:MEMBER_OF|PART_OF*0..6]->(sa)
MATCH (y:Actor)-[:MEMBER_OF|PART_OF*0..6]->(sb)
MATCH (x)-[r:MET]-(y)
WHERE r.date IS NOT NULL
  AND left(r.date, size($since)) >= left($since, size(r.date))
  AND left(r.date, size($until)) <= left($until, size(r.date))
WITH DISTINCT r, x, y
OPTIONAL MATCH (p:Actor {id: r.place})
RETURN r.date AS date, x.name AS side_a, y.name AS side_b, p.name AS place, r.sentences[0] AS first_citation,
       size(r.articles) AS citations
ORDER BY date;


// == 3. Shortest path between two actors =======================================================

// 3a. One shortest path over any relation between actors, up to 6 hops (drawn in Browser).
:param source => 'person:karl-odegard'
:param target => 'person:tomas-reyvik'
MATCH (a:Actor {id: $source}), (b:Actor {id: $target})
MATCH path = shortestPath((a)-[:MET|VISITED|SIGNED|OFFERED|MEMBER_OF|PART_OF|LOCATED_IN*..6]-(b))
RETURN path;

// 3b. Every shortest path, as a table of hops with the first citation of each.
MATCH (a:Actor {id: $source}), (b:Actor {id: $target})
MATCH path = allShortestPaths((a)-[:MET|VISITED|SIGNED|OFFERED|MEMBER_OF|PART_OF|LOCATED_IN*..6]-(b))
UNWIND relationships(path) AS r
RETURN DISTINCT startNode(r).name AS from, type(r) AS relation, endNode(r).name AS to, r.date AS date,
       r.sentences[0] AS citation;

// 3c. Only through meetings and visits (any relation types can be listed in the pattern).
MATCH (a:Actor {id: $source}), (b:Actor {id: $target})
MATCH path = shortestPath((a)-[:MET|VISITED*..6]-(b))
RETURN path;


// == 4. The most central actors ================================================================

// 4a. PageRank with Graph Data Science, where the server has the plugin. Relations count both
// ways (a meeting ties two people whatever its stored direction). The projection is dropped
// first in case an earlier run left it, and again at the end.
CALL gds.graph.drop('actorgraph', false) YIELD graphName;
CALL gds.graph.project('actorgraph', 'Actor', {ALL: {type: '*', orientation: 'UNDIRECTED'}});
CALL gds.pageRank.stream('actorgraph')
YIELD nodeId, score
WITH gds.util.asNode(nodeId) AS a, score
RETURN a.name AS actor, a.type AS type, round(score, 3) AS pagerank
ORDER BY pagerank DESC
LIMIT 20;
CALL gds.graph.drop('actorgraph', false) YIELD graphName;

// 4b. Without GDS (Community Edition as it comes): degree in plain Cypher, the distinct actors
// each one is tied to, and how many events (MET, VISITED, SIGNED, OFFERED) it takes part in.
MATCH (a:Actor)
OPTIONAL MATCH (a)--(b:Actor)
WITH a, count(DISTINCT b) AS ties
RETURN a.name AS actor, a.type AS type, ties,
       COUNT { (a)-[:MET|VISITED|SIGNED|OFFERED]-(:Actor) } AS events
ORDER BY ties DESC, events DESC, actor
LIMIT 20;


// == 5. The citations behind an edge ===========================================================

// 5a. By the two actors: every relation between them, one row per citing sentence, with the
// article's metadata.
:param a => 'person:paolo-ferrante'
:param b => 'person:karl-odegard'
MATCH (x:Actor {id: $a})-[r]-(y:Actor {id: $b})
UNWIND range(0, size(r.articles) - 1) AS i
OPTIONAL MATCH (art:Article {id: r.articles[i]})
RETURN type(r) AS relation, r.date AS date, r.sentences[i] AS sentence, r.articles[i] AS article,
       art.title AS title, art.source AS source, art.published AS published,
       r.starts[i] AS start, r.ends[i] AS end, r.confidences[i] AS confidence
ORDER BY date, article, start;

// 5b. By relation key, as the service and every export name it (edge ids in GraphML, GEXF,
// Cytoscape). The key starts with the relation type; naming it in the pattern uses its index.
:param key => 'MET|person:karl-odegard|person:paolo-ferrante|2026-07-02'
MATCH (x:Actor)-[r:MET {key: $key}]->(y:Actor)
UNWIND range(0, size(r.articles) - 1) AS i
OPTIONAL MATCH (art:Article {id: r.articles[i]})
RETURN x.name AS from, type(r) AS relation, y.name AS to, r.date AS date, r.sentences[i] AS sentence,
       r.articles[i] AS article, art.title AS title, art.source AS source, art.published AS published;


// == 6. An actor's sources =====================================================================

// 6a. The articles whose citations name an actor, newest first (in Browser, expand an Article node
// to see everyone else it names).
:param actor => 'person:tomas-reyvik'
MATCH (a:Actor {id: $actor})<-[:MENTIONS]-(art:Article)
RETURN art.id AS article, art.title AS title, art.source AS source, art.published AS published
ORDER BY published IS NULL, published DESC, article;
