"""Request and response models of the HTTP API, named by role (``ActorPublic``, ``MeetingPublic``...).

Examples here are what /docs shows; they use the sample corpus's shape, not its data.
"""
from __future__ import annotations

from typing import Callable, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from graph.model.corroboration import Corroboration, corroborate
from graph.model import Actor, Article, NodeType, Provenance, Relation, RelType
from graph.analytics.search import SearchHit

T = TypeVar("T")

_ACTOR_EXAMPLE = {"id": "person:tomas-reyvik", "type": "Person", "name": "Tomas Reyvik",
                  "aliases": ["General Tomas Reyvik", "Gen Reyvik"], "rank": "General",
                  "title": "Chief of Army Staff"}
_CITATION_EXAMPLE = {"article": "01_velorian_army_chief_in_ostrland.txt",
                     "sentence": "General Tomas Reyvik, Chief of Army Staff of the Velorian Army, called on Admiral "
                                 "Ilse Brandt, Chief of Defence Staff of Ostrland, at the Defence Headquarters in "
                                 "Halvik on Monday.",
                     "start": 60, "end": 233, "confidence": 0.9, "title": None, "url": None,
                     "published": "2026-03-10", "source": None}
_REYVIK = {"id": "person:tomas-reyvik", "type": "Person", "name": "Tomas Reyvik"}
_BRANDT = {"id": "person:ilse-brandt", "type": "Person", "name": "Ilse Brandt"}


class ActorRef(BaseModel):
    """An actor named in an answer."""
    id: str
    type: NodeType
    name: str

    @classmethod
    def of(cls, actor: Actor) -> "ActorRef":
        return cls(id=actor.id, type=actor.type, name=actor.name)


class ActorPublic(ActorRef):
    aliases: list[str] = []
    rank: str | None = None
    title: str | None = None

    model_config = ConfigDict(json_schema_extra={"examples": [_ACTOR_EXAMPLE]})

    @classmethod
    def of(cls, actor: Actor) -> "ActorPublic":
        return cls(id=actor.id, type=actor.type, name=actor.name, aliases=list(actor.aliases), rank=actor.rank,
                   title=actor.title)


class ActorHit(ActorPublic):
    """A search result: how well it matched, and on which name or alias."""
    score: float = Field(description="1.0 for an exact name; lower for prefix, fuzzy or title matches")
    matched: str

    model_config = ConfigDict(json_schema_extra={"examples": [{**_ACTOR_EXAMPLE, "score": 0.95,
                                                               "matched": "Gen Reyvik"}]})

    @classmethod
    def of(cls, hit: SearchHit) -> "ActorHit":  # type: ignore[override]
        return cls(**ActorPublic.of(hit.actor).model_dump(), score=hit.score, matched=hit.matched)


class AffiliationPublic(BaseModel):
    """What an actor belongs to (MEMBER_OF, PART_OF) or lies in (LOCATED_IN)."""
    type: RelType
    actor: ActorRef


class ActorDetail(ActorPublic):
    affiliations: list[AffiliationPublic]
    relation_counts: dict[str, int] = Field(description="relations touching the actor, by type")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        **_ACTOR_EXAMPLE,
        "affiliations": [{"type": "MEMBER_OF", "actor": {"id": "force:velorian-army", "type": "ArmedForce",
                                                          "name": "Velorian Army"}}],
        "relation_counts": {"MET": 2, "VISITED": 0, "SIGNED": 0, "OFFERED": 0, "MEMBER_OF": 1, "PART_OF": 0,
                            "LOCATED_IN": 0}}]})


class ProvenancePublic(BaseModel):
    """Where a relation is stated: the sentence and its character offsets in the article."""
    article: str
    sentence: str
    start: int
    end: int
    confidence: float


class CitationPublic(ProvenancePublic):
    """A provenance entry with what is known of its article."""
    title: str | None = None
    url: str | None = None
    published: str | None = None
    source: str | None = Field(default=None, description="the outlet that published the article")

    model_config = ConfigDict(json_schema_extra={"examples": [_CITATION_EXAMPLE]})

    @classmethod
    def of(cls, p: Provenance, article: Article | None) -> "CitationPublic":
        return cls(article=p.article, sentence=p.sentence, start=p.start, end=p.end, confidence=p.confidence,
                   title=article.title if article else None, url=article.url if article else None,
                   published=article.published if article else None, source=article.source if article else None)


class CorroborationPublic(BaseModel):
    """How well a relation or an event is corroborated (``graph.model.corroboration``): what ``min_sources`` counts."""
    articles: int = Field(description="distinct articles citing it")
    sources: int = Field(description="distinct outlets among them: an article's source, else its URL's host; "
                                     "an article with neither counts as its own")
    first_reported: str | None = Field(default=None, description="the earliest publication date of those articles")
    last_reported: str | None = Field(default=None, description="the latest publication date of those articles")

    @classmethod
    def of(cls, c: Corroboration) -> "CorroborationPublic":
        return cls(articles=c.articles, sources=c.sources, first_reported=c.first_reported,
                   last_reported=c.last_reported)

    @classmethod
    def of_relation(cls, rel: Relation, articles: dict[str, Article]) -> "CorroborationPublic":
        return cls.of(corroborate(rel.provenance, articles))


_CORROBORATION_EXAMPLE = {"articles": 1, "sources": 1, "first_reported": "2026-03-10", "last_reported": "2026-03-10"}


class RelationBase(BaseModel):
    type: RelType
    source: str = Field(description="as stored: MET and SIGNED have their ends sorted")
    target: str
    date: str | None = None
    what: str | None = None


class RelationPublic(RelationBase):
    """A relation with its citations."""
    place: ActorRef | None = None
    corroboration: CorroborationPublic
    citations: list[CitationPublic]


class MeetingPublic(BaseModel):
    """A MET relation seen from one side: ``actor`` met ``counterpart``."""
    actor: ActorRef
    counterpart: ActorRef
    date: str | None = Field(description="ISO date, or year-month when only that is known")
    place: ActorRef | None = None
    corroboration: CorroborationPublic
    citations: list[CitationPublic]

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "actor": _REYVIK, "counterpart": _BRANDT,
        "date": "2026-03-09", "place": {"id": "place:halvik", "type": "Place", "name": "Halvik"},
        "corroboration": _CORROBORATION_EXAMPLE, "citations": [_CITATION_EXAMPLE]}]})


class Page(BaseModel, Generic[T]):
    """One page of a long list: ``total`` items in all, ``items`` from ``offset``."""
    total: int
    limit: int
    offset: int
    items: list[T]


class MeetingsPublic(Page[MeetingPublic]):
    a: ActorRef
    b: ActorRef
    a_side: int = Field(description="actors counted on a's side (a and its members)")
    b_side: int = Field(description="actors counted on b's side")


class HopPublic(BaseModel):
    """One step of a path and every relation that ties its two actors, cited."""
    source: ActorRef = Field(description="the hop's end nearer the path's source (not the relations' direction)")
    target: ActorRef
    relations: list[RelationPublic]
    statements: list[str] = Field(description="each relation read in its true direction: 'A MEMBER_OF Marenzia'")


class PathPublic(BaseModel):
    length: int = Field(description="hops")
    cost: float = Field(description="the sum of the hops' costs (see weights)")
    actors: list[ActorRef]
    hops: list[HopPublic]


class PathsPublic(BaseModel):
    source: ActorRef
    target: ActorRef
    found: bool
    paths: list[PathPublic]
    truncated: bool = Field(description="more shortest paths exist than were returned (raise limit)")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "source": _REYVIK, "target": _BRANDT, "found": True, "truncated": False,
        "paths": [{"length": 1, "cost": 1, "actors": [_REYVIK, _BRANDT], "hops": [{
            "source": _REYVIK, "target": _BRANDT, "statements": ["Ilse Brandt MET Tomas Reyvik"],
            "relations": [{"type": "MET", "source": "person:ilse-brandt", "target": "person:tomas-reyvik",
                           "date": "2026-03-09", "place": {"id": "place:halvik", "type": "Place", "name": "Halvik"},
                           "corroboration": _CORROBORATION_EXAMPLE, "citations": [_CITATION_EXAMPLE]}]}]}]}]})


class CentralityItem(BaseModel):
    rank: int
    actor: ActorRef
    score: float


class CentralityPublic(Page[CentralityItem]):
    metric: Literal["degree", "betweenness", "pagerank", "eigenvector", "closeness"]
    approximate: bool = Field(description="scores estimated from a sample (betweenness on a large graph), "
                                          "each within `error` of the exact one with probability >= 0.9")
    k: int | None = Field(description="samples drawn (sources or shortest paths) when approximate")
    error: float | None = Field(None, description="the stated bound on |score - exact score| when approximate")
    top: int | None = Field(None, description="only the top this many actors were scored (exact scores), "
                                              "e.g. closeness on a large graph; `total` counts those ranked")
    engine: Literal["networkx", "igraph", "networkit", "gds"] = Field(
        "networkx", description="what computed the scores: networkx on a small graph, the compiled engine "
                                "(igraph, networkit) on a large one, Neo4j's Graph Data Science on its server")
    version: str = Field(description="the graph version the scores were computed on")
    graph: dict[str, int] = Field(description="nodes and edges of the graph scored")


class ArticlePublic(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None


class GraphRelationPublic(RelationBase):
    place: str | None = None
    corroboration: CorroborationPublic | None = None
    provenance: list[ProvenancePublic]


class GraphPublic(BaseModel):
    """Graph JSON (DESIGN.md): nodes, edges with provenance, and the articles cited."""
    nodes: list[ActorPublic]
    edges: list[GraphRelationPublic]
    articles: list[ArticlePublic]
    events: list[dict] = Field(default=[], description="the events the edges are derived from (graph.model.events): "
                                                       "id, type, date, precision, place, what, participants with "
                                                       "roles, citations, codes")


class StorePublic(BaseModel):
    kind: str
    reachable: bool
    writable: bool | None = Field(default=None, description="false while writes fail (disk full, read-only folder)")
    version: str | None = None
    nodes: dict[str, int] | None = None
    relations: dict[str, int] | None = None
    articles: int | None = None
    error: str | None = Field(default=None, description="why, in a word: unreachable, authentication failed, "
                                                        "locked out, not writable")


class HealthPublic(BaseModel):
    status: Literal["ok", "degraded", "unavailable"]
    store: StorePublic
    warming: bool = Field(default=False, description="true while the projections are still being built after "
                                                     "start: paths are walked on the store meanwhile, answers "
                                                     "that need the whole graph wait for the build")

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "status": "ok", "store": {"kind": "embedded", "reachable": True, "version": "12",
                                  "nodes": {"Person": 6}, "relations": {"MET": 3}, "articles": 5}}]})


class ArticleIn(BaseModel):
    """An article to ingest; without ``id`` one is made from a hash of the text. Refused as the CLI
    refuses a file: no text but whitespace, or a date that is not a day."""
    id: str | None = Field(default=None, max_length=200)
    text: str = Field(min_length=1, description="the article's text; at most ACTORGRAPH_MAX_ARTICLE_BYTES")
    date: str | None = Field(default=None, description="publication day, e.g. 2026-03-10 (or 'Mar 10 2026'); "
                                                       "relative dates resolve against it")
    title: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)

    @field_validator("text")
    @classmethod
    def _has_text(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("the text is empty or only whitespace")
        return text

    @field_validator("date")
    @classmethod
    def _is_a_day(cls, value: str | None) -> str | None:
        from loaders.dates import parse_published  # the extractor's own reading of the date
        if value is not None and parse_published(value) is None and parse_published(value[:10]) is None:
            raise ValueError("not a day: give the publication date as YYYY-MM-DD")
        return value


class ArticlesIn(BaseModel):
    articles: list[ArticleIn] = Field(min_length=1, max_length=50)

    model_config = ConfigDict(json_schema_extra={"examples": [{"articles": [{
        "id": "2026-03-10-velorian-chief.txt", "date": "2026-03-10", "source": "Example News",
        "text": "HALVIK: General Tomas Reyvik, Chief of Army Staff of the Velorian Army, called on Admiral "
                "Ilse Brandt, Chief of Defence Staff of Ostrland, at the Defence Headquarters on Monday."}]}]})


class IngestPublic(BaseModel):
    """What an ingest added: counts as the store reports them, and the ids extracted per article."""
    articles: list[str]
    actors: int
    relations: int
    provenance: int
    new_articles: int
    updated: int
    version: str
    duplicates: dict[str, str] = Field(default_factory=dict, description=(
        "articles not ingested because their text is already stored, or was sent earlier in the request, "
        "under another id: id -> that id"))


def relation_public(rel: Relation, ref: Callable[[str], ActorRef | None],
                    articles: dict[str, Article]) -> RelationPublic:
    return RelationPublic(type=rel.type, source=rel.source, target=rel.target, date=rel.date,
                          place=ref(rel.place) if rel.place else None, what=rel.what,
                          corroboration=CorroborationPublic.of_relation(rel, articles),
                          citations=citations(rel, articles))


def citations(rel: Relation, articles: dict[str, Article]) -> list[CitationPublic]:
    return [CitationPublic.of(p, articles.get(p.article)) for p in rel.provenance]


# -- events (graph.model.events): GET /events, GET /events/{id} ---------------------------------------

class ParticipantPublic(BaseModel):
    """An actor's part in an event: participant, host, visitor, signatory, offerer or recipient;
    ``side`` 0 or 1 tells whom it pairs with in the derived edges (a group is all on side 0)."""
    actor: ActorRef
    role: str
    side: int


class EventCodesPublic(BaseModel):
    """The event's codes in PLOVER (POLECAT's ontology) and CAMEO (GDELT's); see graph/model/event_codes.py."""
    plover: str
    plover_mode: str
    plover_context: str
    cameo: str
    cameo_text: str


class EventPublic(BaseModel):
    """One meeting, visit, signing or offer, with every participant and its role."""
    id: str
    type: RelType
    date: str | None = None
    precision: Literal["day", "month", "year"] | None = None
    place: ActorRef | None = None
    what: str | None = None
    participants: list[ParticipantPublic]
    edges: int = Field(description="the binary edges derived from it (a five-party meeting: ten)")
    corroboration: CorroborationPublic
    codes: EventCodesPublic

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "event:met:2026-03-09:3f0c9a1b2d4e", "type": "MET", "date": "2026-03-09", "precision": "day",
        "place": {"id": "place:halvik", "type": "Place", "name": "Halvik"}, "what": None,
        "participants": [{"actor": _REYVIK, "role": "participant", "side": 0},
                         {"actor": _BRANDT, "role": "participant", "side": 1}],
        "edges": 1, "corroboration": {"articles": 2, "sources": 2, "first_reported": "2026-03-10",
                                      "last_reported": "2026-03-11"},
        "codes": {"plover": "CONSULT", "plover_mode": "", "plover_context": "", "cameo": "040",
                  "cameo_text": "Consult"}}]})


class EventDetail(EventPublic):
    """An event with its citations and the keys of the edges derived from it."""
    citations: list[CitationPublic]
    relations: list[str] = Field(description="keys of the derived binary edges")


class EventsPublic(Page[EventPublic]):
    pass
