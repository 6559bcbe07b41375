"""Events (graph.model.events) as PLOVER event records, the JSON shape of POLECAT-style event data (the
PLOVER project's gold-standard records, openeventdata/PLOVER): one record per event with ``id``,
``date``, ``source`` and ``target`` as lists of actors (compound actors, not duplicated dyads),
``event`` (the PLOVER category), ``mode``, ``context``, ``text`` (the first citing sentence) and
``eventText``; plus this graph's own fields, prefixed ``ag_`` so PLOVER readers skip them: the
CAMEO code, the participants' ids and roles, the place, every citation.

Who is source and who target: side 0 (the host's guest, the signatory, the offerer, the
participants of a group meeting) is ``source``; side 1 ``target``. A group (everyone side 0) is
given as a compound source with no target, as PLOVER codes "A and B met".
"""
from __future__ import annotations

import json

from graph.exports.events import event_codes

from graph.model.batch import complete_events
from graph.exports.network import actor_name
from graph.model import GraphBatch

__all__ = ["to_plover", "plover_records", "PLOVER_VERSION"]

PLOVER_VERSION = "PLOVER 0.6 (category, mode, context)"


def _actor(batch: GraphBatch, actor_id: str) -> dict:
    a = batch.actors.get(actor_id)
    d = {"actorText": actor_name(batch, actor_id), "ag_id": actor_id}
    if a is not None:
        d["ag_type"] = a.type.value
    return d


def plover_records(batch: GraphBatch) -> list[dict]:
    codes = event_codes(batch)
    out = []
    for ev in sorted(complete_events(batch), key=lambda e: (e.date or "", e.id)):
        c = codes[ev.id]
        first = ev.citations[0] if ev.citations else None
        article = batch.articles.get(first.article) if first else None
        record = {
            "id": ev.id,
            "date": ev.date or "",
            "source": [_actor(batch, a) for a in ev.side(0)],
            "target": [_actor(batch, a) for a in ev.side(1)],
            "event": c.plover,
            "eventText": ev.what or ev.type.value.lower(),
            "mode": c.mode,
            "context": c.context,
            "text": first.sentence if first else "",
            "language": "en",
            "publication": (article.source or "") if article else "",
            "version": PLOVER_VERSION,
            "ag_type": ev.type.value,
            "ag_date_precision": ev.precision,
            "ag_cameo": c.cameo,
            "ag_cameo_text": c.cameo_text,
            "ag_participants": [p.to_dict() for p in ev.participants],
            "ag_citations": [p.to_dict() for p in ev.citations],
        }
        if ev.place:
            record["ag_place"] = {"id": ev.place, "name": actor_name(batch, ev.place)}
        out.append(record)
    return out


def to_plover(batch: GraphBatch, *, indent: int | None = 2) -> str:
    """A JSON array of PLOVER records, one per event."""
    return json.dumps(plover_records(batch), ensure_ascii=False, indent=indent) + "\n"
