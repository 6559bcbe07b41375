// The actorgraph schema: constraints and indexes, applied by graph.stores.neo4j.store at start.
// Every statement is idempotent (IF [NOT] EXISTS), so running this file again changes nothing.
// Paste into Neo4j Browser or run with `cypher-shell -f cypher/schema.cypher`.

// Identity: MERGE on these ids is what makes ingest idempotent; the constraints also index them.
CREATE CONSTRAINT actor_id IF NOT EXISTS FOR (a:Actor) REQUIRE a.id IS UNIQUE;
CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE;
// The version is the last committed transaction now: older databases' version node goes unused.
DROP CONSTRAINT graph_meta_id IF EXISTS;
// Curation (graph.curation): kept article texts and analysts' judgements.
CREATE CONSTRAINT article_source_id IF NOT EXISTS FOR (s:ArticleSource) REQUIRE s.id IS UNIQUE;
CREATE CONSTRAINT judgement_id IF NOT EXISTS FOR (j:Judgement) REQUIRE j.id IS UNIQUE;
// Events (graph.model.events): (:Actor)-[:IN_EVENT {role, side}]->(:Event), beside the binary edges.
CREATE CONSTRAINT event_id IF NOT EXISTS FOR (e:Event) REQUIRE e.id IS UNIQUE;
CREATE INDEX event_date IF NOT EXISTS FOR (e:Event) ON (e.date);

// Lookups by name for Browser users and the service's search.
CREATE INDEX actor_name IF NOT EXISTS FOR (a:Actor) ON (a.name);
CREATE INDEX actor_type IF NOT EXISTS FOR (a:Actor) ON (a.type);

// Relations: the key (one relation per type, endpoints and date) is unique, and the constraint's
// index is what the store's MERGE finds a relation by (DirectedRelationshipUniqueIndexSeek), rather
// than an Expand(Into) over its endpoints' relationships (a hub has thousands). Databases made before
// the constraints had plain indexes on the key, named <type>_key: dropped (a no-op once gone) so the
// constraints can take their place. For events, the date is indexed too.
DROP INDEX met_key IF EXISTS;
DROP INDEX visited_key IF EXISTS;
DROP INDEX signed_key IF EXISTS;
DROP INDEX offered_key IF EXISTS;
DROP INDEX member_of_key IF EXISTS;
DROP INDEX part_of_key IF EXISTS;
DROP INDEX located_in_key IF EXISTS;
CREATE CONSTRAINT met_key_unique IF NOT EXISTS FOR ()-[r:MET]-() REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT visited_key_unique IF NOT EXISTS FOR ()-[r:VISITED]-() REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT signed_key_unique IF NOT EXISTS FOR ()-[r:SIGNED]-() REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT offered_key_unique IF NOT EXISTS FOR ()-[r:OFFERED]-() REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT member_of_key_unique IF NOT EXISTS FOR ()-[r:MEMBER_OF]-() REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT part_of_key_unique IF NOT EXISTS FOR ()-[r:PART_OF]-() REQUIRE r.key IS UNIQUE;
CREATE CONSTRAINT located_in_key_unique IF NOT EXISTS FOR ()-[r:LOCATED_IN]-() REQUIRE r.key IS UNIQUE;
CREATE INDEX met_date IF NOT EXISTS FOR ()-[r:MET]-() ON (r.date);
CREATE INDEX visited_date IF NOT EXISTS FOR ()-[r:VISITED]-() ON (r.date);
CREATE INDEX signed_date IF NOT EXISTS FOR ()-[r:SIGNED]-() ON (r.date);
CREATE INDEX offered_date IF NOT EXISTS FOR ()-[r:OFFERED]-() ON (r.date);
