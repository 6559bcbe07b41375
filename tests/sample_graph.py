"""A small, fictional, hand-built graph for the export and report tests.

Freedonia and Sylvania, their forces, two officers, a minister, a base and the places around it.
The strings carry what exporters get wrong: quotes, apostrophes, backslashes, semicolons, the CSV
array delimiter, newlines, markup and non-ASCII letters.
"""
from __future__ import annotations

from graph.model import Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType, actor_id

__all__ = ["sample_batch", "TRICKY_SENTENCE", "IDS"]

TRICKY_SENTENCE = ('General Brežka said "the talks\\drills went well"; Sylvania\'s envoy | added:\n'
                   '<b>more</b> & more.')

IDS = {
    "freedonia": actor_id(NodeType.STATE, "Freedonia"),
    "sylvania": actor_id(NodeType.STATE, "Sylvania"),
    "army": actor_id(NodeType.ARMED_FORCE, "Freedonian Army"),
    "navy": actor_id(NodeType.ARMED_FORCE, "Sylvanian Navy"),
    "brezka": actor_id(NodeType.PERSON, "Anna Brežka"),
    "vell": actor_id(NodeType.PERSON, "Tomas Vell"),
    "marn": actor_id(NodeType.PERSON, "Ilse Marn"),
    "council": actor_id(NodeType.ORGANIZATION, "Northern Defence Council"),
    "base": actor_id(NodeType.FACILITY, "Port Carrow Naval Base"),
    "carrow": actor_id(NodeType.PLACE, "Carrow"),
    "vellmar": actor_id(NodeType.PLACE, "Vellmar"),
}


def _cite(article: str, sentence: str, start: int, confidence: float = 0.9) -> Provenance:
    return Provenance(article=article, sentence=sentence, start=start, end=start + len(sentence),
                      confidence=confidence)


def sample_batch() -> GraphBatch:
    i = IDS
    b = GraphBatch()
    for type_, name, aliases, rank, title in [
        (NodeType.STATE, "Freedonia", ["Republic of Freedonia"], None, None),
        (NodeType.STATE, "Sylvania", [], None, None),
        (NodeType.ARMED_FORCE, "Freedonian Army", ["FA"], None, None),
        (NodeType.ARMED_FORCE, "Sylvanian Navy", [], None, None),
        (NodeType.PERSON, "Anna Brežka", ["Gen Brežka", "CDS; Freedonia"], "General", "Chief of Defence Staff"),
        (NodeType.PERSON, "Tomas Vell", ["Adm Vell"], "Admiral", "Chief of Naval Staff"),
        (NodeType.PERSON, "Ilse Marn", [], None, 'Minister of Defence ("MoD")'),
        (NodeType.ORGANIZATION, "Northern Defence Council", ["NDC"], None, None),
        (NodeType.FACILITY, "Port Carrow Naval Base", [], None, None),
        (NodeType.PLACE, "Carrow", [], None, None),
        (NodeType.PLACE, "Vellmar", [], None, None),
    ]:
        b.add_actor(Actor(id=actor_id(type_, name), type=type_, name=name, aliases=aliases, rank=rank, title=title))

    b.add_article(Article(id="a1.txt", title="Freedonian chief in Vellmar <talks>", published="2025-03-04",
                          source="The Freedonia Herald", url="https://example.org/a1?x=1&y=2"))
    b.add_article(Article(id="a2.txt", title="Sylvania & Freedonia sign pact", published="2025-03-06",
                          source="Sylvanian Times"))
    b.add_article(Article(id="a3.txt", published="2025-03-07"))

    s_met = "General Anna Brežka met Admiral Tomas Vell in Vellmar on Tuesday."
    for rel in [
        Relation(i["brezka"], i["vell"], RelType.MET, date="2025-03-04", place=i["vellmar"],
                 provenance=[_cite("a1.txt", s_met, 120), _cite("a2.txt", TRICKY_SENTENCE, 40, 0.75)]),
        Relation(i["brezka"], i["base"], RelType.VISITED, date="2025-03-05",
                 provenance=[_cite("a1.txt", "She later toured Port Carrow Naval Base.", 400)]),
        Relation(i["freedonia"], i["sylvania"], RelType.SIGNED, date="2025-03-06", place=i["vellmar"],
                 what="defence cooperation memorandum",
                 provenance=[_cite("a2.txt", "Freedonia and Sylvania signed a defence cooperation memorandum.", 0)]),
        Relation(i["sylvania"], i["freedonia"], RelType.OFFERED, date="2025-03", what="training slots",
                 provenance=[_cite("a3.txt", "Sylvania offered training slots to Freedonia.", 10, 0.6)]),
        Relation(i["marn"], i["vell"], RelType.MET, provenance=[_cite("a3.txt", "Marn met Vell.", 90)]),
        Relation(i["brezka"], i["army"], RelType.MEMBER_OF),
        Relation(i["vell"], i["navy"], RelType.MEMBER_OF),
        Relation(i["army"], i["freedonia"], RelType.PART_OF),
        Relation(i["navy"], i["sylvania"], RelType.PART_OF),
        Relation(i["freedonia"], i["council"], RelType.MEMBER_OF),
        Relation(i["base"], i["carrow"], RelType.LOCATED_IN),
        Relation(i["carrow"], i["sylvania"], RelType.LOCATED_IN),
        Relation(i["vellmar"], i["sylvania"], RelType.LOCATED_IN),
    ]:
        b.add_relation(rel)
    return b
