"""Realistic batches for the store tests, shaped like what the loaders extract from two articles.

The people are invented (the extractor must find real names itself; tests must not teach it any).
Each call builds fresh objects: ``GraphBatch.merged`` folds later actors into earlier ones in place.
"""
from __future__ import annotations

from graph.model import Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType, actor_id

__all__ = ["ARTICLE_ONE", "ARTICLE_TWO", "ids", "cite", "first_report", "second_report", "both_reports"]

ARTICLE_ONE = "101_first_report.txt"
ARTICLE_TWO = "102_second_report.txt"


class ids:
    """The actor ids the batches use, for assertions."""
    tariq = actor_id(NodeType.PERSON, "Tariq Hameed Qureshi")
    anwar = actor_id(NodeType.PERSON, "Anwar Hossain Chowdhury")
    selim = actor_id(NodeType.PERSON, "Selim Reza")
    pak_army = actor_id(NodeType.ARMED_FORCE, "Pakistan Army")
    bd_afd = actor_id(NodeType.ARMED_FORCE, "Armed Forces Division")
    pakistan = actor_id(NodeType.STATE, "Pakistan")
    bangladesh = actor_id(NodeType.STATE, "Bangladesh")
    ministry = actor_id(NodeType.ORGANIZATION, "Ministry of Defence Production")
    factory = actor_id(NodeType.FACILITY, "Heavy Mechanical Complex")
    rawalpindi = actor_id(NodeType.PLACE, "Rawalpindi")
    dhaka = actor_id(NodeType.PLACE, "Dhaka")


def cite(article: str, sentence: str, start: int, confidence: float = 0.9) -> Provenance:
    return Provenance(article=article, sentence=sentence, start=start, end=start + len(sentence),
                      confidence=confidence)


def _actor(type_: NodeType, name: str, *aliases: str, rank: str | None = None, title: str | None = None) -> Actor:
    return Actor(id=actor_id(type_, name), type=type_, name=name, aliases=list(aliases), rank=rank, title=title)


def first_report() -> GraphBatch:
    """One article: a dated meeting cited twice, a visit, an MoU, an offer, an undated meeting and
    the structure around them (membership, hierarchy, locations)."""
    a = ARTICLE_ONE
    b = GraphBatch()
    b.add_article(Article(id=a, title="Army chiefs meet in Rawalpindi", published="2025-01-15",
                          source="Example Daily", url="https://example.org/101"))
    for actor in (
        _actor(NodeType.PERSON, "Tariq Hameed Qureshi", "General Tariq Hameed Qureshi", "Gen Qureshi",
               rank="General", title="Chairman Joint Chiefs of Staff Committee"),
        _actor(NodeType.PERSON, "Anwar Hossain Chowdhury", "Lt Gen Anwar Hossain Chowdhury",
               rank="Lieutenant General", title="Principal Staff Officer"),
        _actor(NodeType.ARMED_FORCE, "Pakistan Army"),
        _actor(NodeType.ARMED_FORCE, "Armed Forces Division", "AFD"),
        _actor(NodeType.STATE, "Pakistan", "Islamic Republic of Pakistan"),
        _actor(NodeType.STATE, "Bangladesh"),
        _actor(NodeType.ORGANIZATION, "Ministry of Defence Production"),
        _actor(NodeType.FACILITY, "Heavy Mechanical Complex", "HMC"),
        _actor(NodeType.PLACE, "Rawalpindi"),
        _actor(NodeType.PLACE, "Dhaka"),
    ):
        b.add_actor(actor)
    met = "Lt Gen Anwar Hossain Chowdhury called on General Tariq Hameed Qureshi in Rawalpindi on Tuesday."
    talks = "The two generals held talks on defence cooperation."
    for rel in (
        Relation(ids.anwar, ids.tariq, RelType.MET, date="2025-01-14", place=ids.rawalpindi,
                 provenance=[cite(a, met, 1043), cite(a, talks, 1150, 0.7)]),
        Relation(ids.anwar, ids.factory, RelType.VISITED, date="2025-01-15",
                 provenance=[cite(a, "He also toured the Heavy Mechanical Complex on Wednesday.", 1300)]),
        Relation(ids.pakistan, ids.bangladesh, RelType.SIGNED, date="2025-01", what="memorandum of understanding",
                 provenance=[cite(a, "Pakistan and Bangladesh signed a memorandum of understanding in January.", 1500)]),
        Relation(ids.ministry, ids.bd_afd, RelType.OFFERED, date="2025-01-14", what="training slots",
                 provenance=[cite(a, "The ministry offered training slots to the Armed Forces Division.", 1620, 0.6)]),
        Relation(ids.tariq, ids.anwar, RelType.MET,  # undated: an earlier meeting, day not given
                 provenance=[cite(a, "The two had met before.", 1700, 0.5)]),
        Relation(ids.tariq, ids.pak_army, RelType.MEMBER_OF, provenance=[cite(a, met, 1043)]),
        Relation(ids.anwar, ids.bd_afd, RelType.MEMBER_OF, provenance=[cite(a, met, 1043)]),
        Relation(ids.pak_army, ids.pakistan, RelType.PART_OF, provenance=[]),
        Relation(ids.bd_afd, ids.bangladesh, RelType.PART_OF, provenance=[]),
        Relation(ids.factory, ids.pakistan, RelType.LOCATED_IN, provenance=[]),
        Relation(ids.rawalpindi, ids.pakistan, RelType.LOCATED_IN, provenance=[]),
        Relation(ids.dhaka, ids.bangladesh, RelType.LOCATED_IN, provenance=[]),
    ):
        b.add_relation(rel)
    return b


def second_report() -> GraphBatch:
    """A later article: the same meeting again (one relation, a second citation), a new officer who
    met an existing one, a new alias for an existing actor, and a place for the MoU."""
    a = ARTICLE_TWO
    b = GraphBatch()
    b.add_article(Article(id=a, title="Bangladesh delegation in Pakistan", source="Example Times"))
    for actor in (
        _actor(NodeType.PERSON, "Tariq Hameed Qureshi", "CJCSC Gen Qureshi", rank="General"),
        _actor(NodeType.PERSON, "Anwar Hossain Chowdhury"),
        _actor(NodeType.PERSON, "Selim Reza", "Maj Gen Selim Reza", rank="Major General"),
        _actor(NodeType.ARMED_FORCE, "Armed Forces Division"),
        _actor(NodeType.STATE, "Pakistan"),
        _actor(NodeType.STATE, "Bangladesh"),
        _actor(NodeType.PLACE, "Rawalpindi"),
        _actor(NodeType.PLACE, "Dhaka"),
    ):
        b.add_actor(actor)
    met = "General Qureshi received Lt Gen Chowdhury at the Joint Staff Headquarters on January 14."
    for rel in (
        Relation(ids.tariq, ids.anwar, RelType.MET, date="2025-01-14",
                 provenance=[cite(a, met, 220, 0.95)]),
        Relation(ids.selim, ids.tariq, RelType.MET, date="2025-01-16", place=ids.rawalpindi,
                 provenance=[cite(a, "Maj Gen Selim Reza met Gen Qureshi on Thursday.", 480)]),
        Relation(ids.selim, ids.bd_afd, RelType.MEMBER_OF, provenance=[cite(a, "Maj Gen Selim Reza of the AFD.", 400)]),
        Relation(ids.pakistan, ids.bangladesh, RelType.SIGNED, date="2025-01", place=ids.dhaka,
                 what="memorandum of understanding",
                 provenance=[cite(a, "The MoU, signed in Dhaka in January, covers training.", 700)]),
        Relation(ids.dhaka, ids.bangladesh, RelType.LOCATED_IN, provenance=[]),
    ):
        b.add_relation(rel)
    return b


def both_reports() -> GraphBatch:
    """What a store should hold after upserting the first report, then the second."""
    return GraphBatch.merged([first_report(), second_report()])
