"""Where the extractor lost each gold relation it missed: ``actorgraph eval --explain``.

A missed gold relation is put at the first stage of the pipeline that lost it:

1. ``actor not found``: the article has no actor whose name overlaps an endpoint's gold names;
2. ``name boundary wrong``: one overlaps (contains it, is contained in it, shares two distinctive
   words or a person's surname) but no name of it is the gold's (an honour glued on, a particle cut
   off) and it is no other gold actor ('Philippines' is not a boundary of 'Armed Forces of ...');
3. ``not resolved to the gold actor``: both are found, but the node one became counts as another
   gold actor (merged), one actor of the article stands for both, or the article's relation of the
   type went to a namesake ('Dussan toured ...' read as the other Dussan);
4. ``no event form``: both found, no relation of the type between them in the article, and none
   the modality checks dropped either;
5. ``dropped as negated or planned``: the extractor read the event and dropped it as denied,
   negated, hypothetical, cancelled or planned (``loaders.dropped``);
6. ``wrong date``: found, dated otherwise than the gold: not a miss for F1, a stage of its own.

The article's actors and dropped events come from its ``ArticleGraph`` (``summarize``); without
them the nodes the graph cites in the article stand in, and stage 5 cannot be told from 4.
Wrong (false-positive) relations are grouped by cause: an endpoint no gold actor, the reverse of a
gold relation, or gold actors with no such relation between them.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import PurePath
from typing import Any

from loaders.evaluation import (EVENT_TYPES, SYMMETRIC, _TITLE_WORDS, _articles, _fold, _keys, _match_nodes,
                                _rel_key)

__all__ = ["STAGES", "WRONG_CAUSES", "explain", "summarize"]

NOT_FOUND, BOUNDARY, RESOLUTION, NO_FORM, DROPPED, DATE = STAGES = (
    "actor not found", "name boundary wrong", "not resolved to the gold actor", "no event form",
    "dropped as negated or planned", "wrong date")
NOT_GOLD, REVERSED, NO_SUCH = WRONG_CAUSES = (
    "endpoint not a gold actor", "wrong direction", "gold actors but no such relation")
# words two different actors' names share without being one name ('Air Force', 'Ministry of ...')
_GENERIC = _TITLE_WORDS | {
    "of", "the", "and", "for", "air", "force", "forces", "army", "navy", "naval", "military", "armed", "ministry",
    "department", "office", "staff", "joint", "command", "national", "state", "republic", "federal", "kingdom",
    "affairs", "council", "agency", "defence", "defense", "royal", "united", "union", "corps", "guard", "central",
}


def summarize(graph: Any) -> dict[str, Any]:
    """What explain needs of one ``ArticleGraph``: its actors' names and its dropped events, by name."""
    names = {k: [a.name, *sorted(a.aliases - {a.name})] for k, a in graph.actors.items()}
    return {
        "actors": [{"key": k, "names": names[k]} for k in graph.actors],
        "dropped": [{"type": d.type.value, "source": names.get(d.source, [d.source]),
                     "target": names.get(d.target, [d.target]), "reason": d.reason, "sentence": d.sentence}
                    for d in getattr(graph, "dropped", ())],
    }


def _words(name: str) -> list[str]:
    words = _fold(re.sub(r"[-‐]", " ", name)).split()  # 'Vastic-Lund' shares 'Vastic'
    while len(words) > 1 and words[0] in _TITLE_WORDS:
        words = words[1:]
    return words


def _contains(long: list[str], short: list[str]) -> bool:
    n = len(short)
    return 0 < n < len(long) and any(long[i:i + n] == short for i in range(len(long) - n + 1)) and \
        any(w not in _GENERIC for w in short)


def _overlap(gold_names: list[str], names: list[str], person: bool) -> bool:
    """The two name lists name one actor with a different boundary: token overlap of folded names
    (a person's names may share just the surname)."""
    for g in map(_words, gold_names):
        for p in map(_words, names):
            if not g or not p:
                continue
            if _contains(p, g) or _contains(g, p):
                return True
            shared = set(g) & set(p) - _GENERIC
            if len(shared) >= 2 or person and g[-1] in shared and len(g[-1]) > 2:
                return True
    return False


class _Explainer:
    def __init__(self, gold: dict, pred: dict, local: dict[str, dict]):
        self.gold, self.pred = gold, pred
        self.local = {PurePath(a).name: v for a, v in local.items()}
        self.node_map = _match_nodes(gold, pred)[0]
        self.entities = {e["key"]: e for e in gold["entities"]}
        for r in gold["relations"]:  # an endpoint the gold does not list among its entities
            for k in (r["source"], r["target"]):
                self.entities.setdefault(k, {"key": k, "type": "", "name": k})
        self.gold_names = {k: [e["name"], *e.get("aliases", [])] for k, e in self.entities.items()}
        self.gold_keys = {k: set().union(*(_keys(n) for n in ns)) for k, ns in self.gold_names.items()}
        self.key_owner: dict[str, set[str]] = defaultdict(set)
        for k, keys in self.gold_keys.items():
            for key in keys:
                self.key_owner[key].add(k)
        self.nodes = {n["id"]: n for n in pred["nodes"]}
        self.per_gold = Counter(self.node_map.values())
        # the nodes by each of their folded names, and the edges citing each article
        self.by_name: dict[str, set[str]] = defaultdict(set)
        for n in pred["nodes"]:
            for name in [n.get("name") or "", *(n.get("aliases") or [])]:
                self.by_name[_fold(name)].add(n["id"])
        self.edges_in: dict[str | None, list[dict]] = defaultdict(list)
        for e in pred["edges"]:
            for a in _articles(e) or {None}:
                self.edges_in[a].append(e)

    def name(self, node_id: str) -> str:
        return (self.nodes.get(node_id) or {}).get("name") or node_id

    def actors(self, article: str) -> list[list[str]]:
        """The names of each actor the extractor read in the article (the graph's, failing that)."""
        if article in self.local:
            return [a["names"] for a in self.local[article]["actors"]]
        ids = {i for e in self.edges_in.get(article, ()) for i in (e["source"], e["target"])}
        return [[self.name(i), *(self.nodes[i].get("aliases") or [])] for i in sorted(ids) if i in self.nodes]

    def exact(self, key: str, names: list[str]) -> bool:
        return any(k in self.gold_keys[key] for n in names for k in _keys(n))

    def stage(self, r: dict) -> tuple[str, str]:
        """The first stage that lost the gold relation r, and what the extractor had instead."""
        article = PurePath(r["article"]).name if r.get("article") else None
        actors = self.actors(article) if article else []
        found: dict[str, list[list[str]]] = {}
        worst, note = None, []
        for end in (r["source"], r["target"]):
            gname = self.entities[end]["name"]
            found[end] = [a for a in actors if self.exact(end, a)]
            if found[end]:
                continue
            near = [a[0] for a in actors if self.overlaps(end, a) and not self.other_actor(end, a)]
            if near:
                worst = worst or BOUNDARY
                note.append(f"{gname!r} read as {', '.join(map(repr, near[:3]))}")
            else:
                worst = NOT_FOUND
                unread = bool(self.local) and article not in self.local
                note.append(f"no actor like {gname!r}" + (" (the article was not read)" if unread else ""))
        if worst is not None:
            return worst, "; ".join(note)
        src, tgt = found[r["source"]], found[r["target"]]
        same = [a[0] for a in src if a in tgt]
        if same:
            return RESOLUTION, f"one actor {same[0]!r} stands for both {r['source']} and {r['target']}"
        for end, acts in ((r["source"], src), (r["target"], tgt)):
            became = {i for a in acts for i in self.by_name.get(_fold(a[0]), ())}
            if became and not any(self.node_map.get(i) == end for i in became):
                i = sorted(became)[0]
                other = self.node_map.get(i)
                split = f"; {end} is split over {self.per_gold[end]} nodes" if self.per_gold[end] > 1 else ""
                return RESOLUTION, (f"{acts[0][0]!r} became node {self.name(i)!r}, counted as "
                                    f"{other or 'no gold actor'}{split}")
        swapped = self.namesake(r, article)
        if swapped:
            return RESOLUTION, swapped
        for d in self.local.get(article, {}).get("dropped", ()):
            if d["type"] != r["type"]:
                continue
            for a, b in ((d["source"], d["target"]), (d["target"], d["source"])):
                if self.is_end(r["source"], a) and self.is_end(r["target"], b):
                    return DROPPED, f"{d['reason']}: {d['sentence'][:200]}"
        return NO_FORM, self.between(r, article)

    def namesake(self, r: dict, article: str | None) -> str | None:
        """An edge of the type in the article from one gold endpoint to a person whose name overlaps
        the other's ('Dussan toured ...' resolved to the other Dussan of the article)."""
        s, t = r["source"], r["target"]
        person = {k for k in (s, t) if self.entities[k]["type"] == "Person"}
        for e in self.edges_in.get(article, ()):
            if e["type"] != r["type"]:
                continue
            ends = [(e["source"], e["target"])]
            if r["type"] in SYMMETRIC:
                ends.append((e["target"], e["source"]))
            for a, b in ends:
                ga, gb = self.node_map.get(a), self.node_map.get(b)
                if ga == s and gb != t and t in person and self.overlaps(t, self.node_names(b)) or \
                        gb == t and ga != s and s in person and self.overlaps(s, self.node_names(a)):
                    return f"the article's {e['type']} joins {self.name(a)!r} and {self.name(b)!r}"
        return None

    def node_names(self, node_id: str) -> list[str]:
        node = self.nodes.get(node_id) or {}
        return [node.get("name") or node_id, *(node.get("aliases") or [])]

    def overlaps(self, key: str, names: list[str]) -> bool:
        return _overlap(self.gold_names[key], names, self.entities[key]["type"] == "Person")

    def other_actor(self, key: str, names: list[str]) -> bool:
        """The names are another gold actor's ('Philippines' in 'Armed Forces of the Philippines')."""
        return any(self.key_owner.get(k, set()) - {key} for n in names for k in _keys(n))

    def is_end(self, key: str, names: list[str]) -> bool:
        return self.exact(key, names) or self.overlaps(key, names)

    def between(self, r: dict, article: str | None) -> str:
        """The relations the article has between the two gold actors (other types, the reverse),
        else those of the type with one of them (another partner)."""
        s, t = r["source"], r["target"]
        pair, one = set(), set()
        for e in self.edges_in.get(article, ()):
            a, b = self.node_map.get(e["source"]), self.node_map.get(e["target"])
            said = f"{e['type']} {self.name(e['source'])} -> {self.name(e['target'])}"
            if {a, b} == {s, t}:
                pair.add(said)
            elif e["type"] == r["type"] and {a, b} & {s, t}:
                one.add(said)
        if pair:
            return "had " + ", ".join(sorted(pair))
        if one:
            more = f" and {len(one) - 3} more" if len(one) > 3 else ""
            return "no relation between them; had " + ", ".join(sorted(one)[:3]) + more
        return "no relation between them in the article"

    def wrong(self, gold_req: set, gold_opt: set) -> list[dict[str, Any]]:
        """Each wrong predicted relation (as the scorer counts them) with its cause."""
        ignored = _match_nodes(self.gold, self.pred)[3]
        out, seen = [], set()
        for e in self.pred["edges"]:
            s, t = self.node_map.get(e["source"]), self.node_map.get(e["target"])
            cited = next((p.get("sentence", "") for p in e.get("provenance") or [] if isinstance(p, dict)), "")
            arts = _articles(e) if e["type"] in EVENT_TYPES else {None}
            item = {"type": e["type"], "source": self.name(e["source"]), "target": self.name(e["target"]),
                    "sentence": cited[:200]}
            if s is None or t is None:
                if not (e["source"] in ignored or e["target"] in ignored):
                    out.append(dict(item, cause=NOT_GOLD, article=min((a for a in _articles(e)), default=None)))
                continue
            for a in arts or {"?"}:
                key = _rel_key(e["type"], s, t, a)
                if key in gold_req or key in gold_opt or key in seen:
                    continue
                seen.add(key)
                reverse = _rel_key(e["type"], t, s, a)
                cause = REVERSED if e["type"] not in SYMMETRIC and reverse in gold_req else NO_SUCH
                out.append(dict(item, cause=cause, article=a))
        return out


def explain(gold: dict, pred: dict, local: dict[str, dict] | None = None) -> dict[str, Any]:
    """Each missed gold relation at the first stage that lost it, the found ones dated wrong, and the
    wrong relations by cause: counts per stage, per type and stage, and the lists.

    ``local`` maps an article's file name to ``summarize(its ArticleGraph)``."""
    x = _Explainer(gold, pred, local or {})
    required: dict[tuple, dict] = {}
    optional = set()
    for r in gold["relations"]:
        key = _rel_key(r["type"], r["source"], r["target"], r["article"])
        if r.get("optional"):
            optional.add(key)
        else:
            required.setdefault(key, r)
    optional -= set(required)
    gold_dates = {_rel_key(r["type"], r["source"], r["target"], r["article"]): r["date"]  # as the scorer reads them
                  for r in gold["relations"] if not r.get("optional") and r.get("date")}
    found, dates = set(), {}
    for e in pred["edges"]:
        s, t = x.node_map.get(e["source"]), x.node_map.get(e["target"])
        if s is None or t is None:
            continue
        for a in (_articles(e) if e["type"] in EVENT_TYPES else {None}) or {"?"}:
            key = _rel_key(e["type"], s, t, a)
            found.add(key)
            if e.get("date"):
                dates.setdefault(key, str(e["date"]))
    items = []
    for key, r in required.items():
        base = {"type": r["type"], "source": r["source"], "target": r["target"], "article": r.get("article"),
                "evidence": r.get("evidence", "")}
        if key in found:
            want = gold_dates.get(key)
            if want and not dates.get(key, "").startswith(want):
                items.append(dict(base, stage=DATE, instead=f"dated {dates.get(key) or 'nowhere'}, gold {want}"))
            continue
        stage, instead = x.stage(r)
        items.append(dict(base, stage=stage, instead=instead))
    items.sort(key=lambda i: (STAGES.index(i["stage"]), i["type"], i["article"] or "", i["source"], i["target"]))
    counts = Counter(i["stage"] for i in items)
    total = sum(counts.values())
    by_type: dict[str, dict[str, int]] = {}
    for i in items:
        by_type.setdefault(i["type"], dict.fromkeys(STAGES, 0))[i["stage"]] += 1
    wrong = x.wrong(set(required), optional)
    return {
        "stages": [{"stage": s, "count": counts[s], "share": counts[s] / total if total else 0.0} for s in STAGES],
        "missed": total - counts[DATE],
        "wrong_dates": counts[DATE],
        "by_type": dict(sorted(by_type.items())),
        "items": items,
        "wrong_causes": {c: sum(1 for w in wrong if w["cause"] == c) for c in WRONG_CAUSES},
        "wrong": sorted(wrong, key=lambda w: (WRONG_CAUSES.index(w["cause"]), w["type"], w["source"], w["target"])),
    }
