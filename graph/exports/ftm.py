"""FollowTheMoney entities, one JSON object a line, as OCCRP Aleph imports them
(``alephclient write-entities``) and the ``ftm`` tools read.

Built with the ``followthemoney`` package, so every value is cleaned and checked by its property's
type and every entity validated against its schema before it is written. The mapping:

- Person -> ``Person`` (rank as ``title``, office as ``position``); ArmedForce and Organization ->
  ``Organization`` (an armed force classified as one); State -> ``PublicBody``, with ``country`` and
  ``jurisdiction`` when FtM knows the state's name (a fictional one it does not, and leaves out);
  Facility (a factory, shipyard, base) -> ``Organization`` classified "Facility", at an ``Address``
  of its own (``addressEntity``); Place -> ``Address``; each state has an ``Address`` too, where a
  trip from it starts. An actor located in or part of a state FtM knows gets that ``country`` too.
- MET, SIGNED, VISITED -> ``Event``, with the actors as ``involved``, ``date``, and the place as
  ``addressEntity`` and ``location``. A visit to a place or facility by an actor whose state is known
  (itself, or what it is MEMBER_OF / PART_OF / LOCATED_IN, transitively) is a ``Trip`` from that
  state's address (``startLocation``) to the place's (``endLocation``), both of which FtM requires;
  one whose state is not known stays an ``Event``. OFFERED -> ``Event`` with the offering side as
  ``organizer``, the other as ``involved`` and the offer as ``summary``.
- Every entity has the properties its schema requires (checked before writing, as ``ftm validate``
  does not).
- MEMBER_OF -> ``Membership`` (member, organization) when the target is an organisation, PART_OF
  and LOCATED_IN (and a membership of a non-organisation) -> ``UnknownLink`` with the role spelt out.
- Articles -> ``Article``; every relation entity names its articles as ``proof`` and carries the
  citing sentences in ``description`` and the relation key in ``recordId``.

Ids are readable where FtM's id syntax allows (``ag-person-jane-doe``) and hashed otherwise.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from graph.exports.errors import ExportUnavailable
from graph.exports.network import actor_name
from graph.model import Actor, Article, GraphBatch, NodeType, Relation, RelType

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

__all__ = ["to_ftm", "entities", "entity_id", "address_id", "article_entity_id", "relation_entity_id", "SCHEMA_OF",
           "MissingRequired"]

SCHEMA_OF = {
    NodeType.PERSON: "Person", NodeType.ARMED_FORCE: "Organization", NodeType.STATE: "PublicBody",
    NodeType.ORGANIZATION: "Organization", NodeType.FACILITY: "Organization", NodeType.PLACE: "Address",
}
# Actors that also get an Address entity of their own (``address_id``): where a trip starts or ends.
_ADDRESSED = {NodeType.FACILITY, NodeType.STATE}
_ORGANISATIONS = {NodeType.ARMED_FORCE, NodeType.STATE, NodeType.ORGANIZATION, NodeType.FACILITY}
_LEGAL = _ORGANISATIONS | {NodeType.PERSON}  # FtM's LegalEntity: what ``involved`` takes
_PREFIX = "ag"
# FtM's entity id syntax (followthemoney.types.entity), checked here so ids are known before import.
_FTM_ID = re.compile(r"[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?\Z")


def _model():
    try:
        from followthemoney import model
    except ImportError as exc:
        raise ExportUnavailable("FollowTheMoney export needs the followthemoney package: "
                                f"pip install 'actorgraph[ftm]' ({exc})") from exc
    return model


def _hashed(kind: str, key: str) -> str:
    return f"{_PREFIX}-{kind}-{hashlib.sha1(key.encode('utf-8')).hexdigest()}"


def entity_id(actor_id: str) -> str:
    """``person:jane-doe`` -> ``ag-person-jane-doe``: actor ids are slugs, so most stay readable;
    one FtM's id syntax would refuse is hashed."""
    readable = f"{_PREFIX}-{actor_id.replace(':', '-')}"
    return readable if _FTM_ID.match(readable) else _hashed("actor", actor_id)


def address_id(actor: Actor) -> str:
    """The id of the ``Address`` entity where ``actor`` is: a place is its own, a facility or a
    state has one beside it."""
    if actor.type is NodeType.PLACE:
        return entity_id(actor.id)
    readable = f"{_PREFIX}-address-{actor.id.replace(':', '-')}"
    return readable if _FTM_ID.match(readable) else _hashed("address", actor.id)


class MissingRequired(ValueError):
    """An entity without a property its FtM schema requires (a bug of the mapping, never written)."""


def article_entity_id(article_id: str) -> str:
    return _hashed("article", article_id)


def relation_entity_id(key: str) -> str:
    return _hashed("rel", key)


def _add(proxy: "EntityProxy", prop: str, value: Any) -> None:
    if value not in (None, "", []):
        proxy.add(prop, value)


def _actor(model, actor: Actor, states: list[str]) -> "EntityProxy":
    """``states``: names of the states the actor is located in or part of, for its ``country``."""
    proxy = model.make_entity(SCHEMA_OF[actor.type])
    proxy.id = entity_id(actor.id)
    _add(proxy, "name", actor.name)
    _add(proxy, "alias", actor.aliases)
    _add(proxy, "keywords", actor.type.value)
    if actor.type is NodeType.PERSON:
        _add(proxy, "title", actor.rank)
        _add(proxy, "position", actor.title)
    elif actor.type is NodeType.ARMED_FORCE:
        proxy.add("classification", "Armed force")
        proxy.add("sector", "Defence")
    elif actor.type is NodeType.STATE:
        proxy.add("classification", "State")
        # FtM's country type keeps a name it can resolve to a code and drops one it cannot.
        proxy.add("country", actor.name, fuzzy=False)
        proxy.add("jurisdiction", actor.name, fuzzy=False)
    elif actor.type is NodeType.FACILITY:
        proxy.add("classification", "Facility")
        proxy.add("addressEntity", address_id(actor))
    elif actor.type is NodeType.PLACE:
        proxy.add("full", actor.name)
    if actor.type is not NodeType.STATE and "country" in proxy.schema.properties:
        proxy.add("country", states, fuzzy=False)
    return proxy


def _address(model, actor: Actor, states: list[str]) -> "EntityProxy":
    """The Address a facility or a state is at (``address_id``)."""
    proxy = model.make_entity("Address")
    proxy.id = address_id(actor)
    proxy.add("full", actor.name)
    proxy.add("country", [actor.name] if actor.type is NodeType.STATE else states, fuzzy=False)
    return proxy


def _home_states(batch: GraphBatch) -> dict[str, str]:
    """Actor id -> the state it belongs to or is in: itself for a state, else the first state (by
    id) reached over MEMBER_OF, PART_OF and LOCATED_IN."""
    up: dict[str, set[str]] = {}
    for r in batch.relations.values():
        if r.type in (RelType.MEMBER_OF, RelType.PART_OF, RelType.LOCATED_IN):
            up.setdefault(r.source, set()).add(r.target)
    out: dict[str, str] = {}
    for actor_id in batch.actors:
        seen, frontier = {actor_id}, [actor_id]
        while frontier:
            states = sorted(a for a in frontier if a in batch.actors and batch.actors[a].type is NodeType.STATE)
            if states:
                out[actor_id] = states[0]
                break
            frontier = sorted({t for a in frontier for t in up.get(a, ()) if t not in seen})
            seen.update(frontier)
    return out


def _states_of(batch: GraphBatch) -> dict[str, list[str]]:
    """Actor id -> names of the states it is LOCATED_IN or PART_OF (directly), sorted."""
    out: dict[str, set[str]] = {}
    for r in batch.relations.values():
        target = batch.actors.get(r.target)
        if r.type in (RelType.LOCATED_IN, RelType.PART_OF) and target is not None and target.type is NodeType.STATE:
            out.setdefault(r.source, set()).add(target.name)
    return {k: sorted(v) for k, v in out.items()}


def _article(model, article: Article) -> "EntityProxy":
    proxy = model.make_entity("Article")
    proxy.id = article_entity_id(article.id)
    proxy.add("title", article.title or article.id)
    proxy.add("fileName", article.id)
    _add(proxy, "publishedAt", article.published)
    _add(proxy, "publisher", article.source)
    _add(proxy, "sourceUrl", article.url)
    return proxy


def _event_name(batch: GraphBatch, rel: Relation) -> str:
    a, b = actor_name(batch, rel.source), actor_name(batch, rel.target)
    if rel.type is RelType.MET:
        return f"{a} met {b}"
    if rel.type is RelType.VISITED:
        return f"{a} visited {b}"
    if rel.type is RelType.SIGNED:
        return f"{a} and {b} signed {rel.what}" if rel.what else f"{a} and {b} signed an agreement"
    return f"{a} offered {rel.what} to {b}" if rel.what else f"{a} made an offer to {b}"


def _relation(model, batch: GraphBatch, rel: Relation, home: dict[str, str]) -> "EntityProxy":
    source, target = batch.actors[rel.source], batch.actors[rel.target]
    src, tgt = entity_id(rel.source), entity_id(rel.target)
    if rel.type in (RelType.MET, RelType.SIGNED, RelType.VISITED, RelType.OFFERED):
        start = batch.actors.get(home.get(rel.source, ""))
        trip = rel.type is RelType.VISITED and target.type in (NodeType.PLACE, NodeType.FACILITY) \
            and start is not None
        proxy = model.make_entity("Trip" if trip else "Event")
        proxy.add("name", _event_name(batch, rel))
        if rel.type is RelType.OFFERED:
            proxy.add("organizer" if source.type in _LEGAL else "involved", src)
        elif source.type in _LEGAL:
            proxy.add("involved", src)
        if trip:
            proxy.add("startLocation", address_id(start))
            proxy.add("endLocation", address_id(target))
        if target.type in _LEGAL:
            proxy.add("involved", tgt)
        elif not trip:
            proxy.add("addressEntity", address_id(target))
        place = batch.actors.get(rel.place or "")
        if place is not None and place.type in (NodeType.PLACE, NodeType.FACILITY):
            proxy.add("addressEntity", address_id(place))
        if rel.place:
            proxy.add("location", actor_name(batch, rel.place))
        _add(proxy, "summary", rel.what)
        _add(proxy, "date", rel.date)
    elif rel.type is RelType.MEMBER_OF and target.type in _ORGANISATIONS and source.type in _LEGAL:
        proxy = model.make_entity("Membership")
        proxy.add("member", src)
        proxy.add("organization", tgt)
    else:
        proxy = model.make_entity("UnknownLink")
        proxy.add("subject", src)
        proxy.add("object", tgt)
        proxy.add("role", rel.type.value.replace("_", " ").lower())  # "part of", "located in"
    proxy.id = relation_entity_id(rel.key)
    proxy.add("recordId", rel.key)
    cited = [a for a in rel.articles if a in batch.articles]
    _add(proxy, "proof", [article_entity_id(a) for a in cited])
    sentences = list(dict.fromkeys(f"{p.sentence} [{p.article}]" for p in rel.provenance))
    _add(proxy, "description", "\n".join(sentences))
    return proxy


def entities(batch: GraphBatch) -> Iterator["EntityProxy"]:
    """The batch as validated FtM entity proxies: actors, articles, then relations, each sorted."""
    model = _model()
    states, home = _states_of(batch), _home_states(batch)
    made = [_actor(model, batch.actors[k], states.get(k, [])) for k in sorted(batch.actors)]
    made += [_address(model, batch.actors[k], states.get(k, [])) for k in sorted(batch.actors)
             if batch.actors[k].type in _ADDRESSED]
    made += [_article(model, batch.articles[k]) for k in sorted(batch.articles)]
    made += [_relation(model, batch, batch.relations[k], home) for k in sorted(batch.relations)]
    for proxy in made:
        proxy.schema.validate(proxy.to_dict())  # raises InvalidData naming the property
        missing = sorted(p for p in proxy.schema.required if not proxy.has(p))
        if missing:
            raise MissingRequired(f"FtM {proxy.schema.name} {proxy.id} lacks {', '.join(missing)}")
        yield proxy


def to_ftm(batch: GraphBatch) -> bytes:
    """FtM JSON lines (``.ftm.json``): one ``{"id", "schema", "properties"}`` object a line."""
    _model()  # ExportUnavailable, not an ImportError of orjson, where followthemoney is missing
    import orjson  # a dependency of followthemoney, and what its own writer uses

    return b"".join(orjson.dumps(p.to_dict(), option=orjson.OPT_APPEND_NEWLINE | orjson.OPT_SORT_KEYS)
                    for p in entities(batch))
