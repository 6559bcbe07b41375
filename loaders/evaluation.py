"""The extractor's accuracy on an analyst's own annotated articles.

Reads the gold format of the evaluation sets (``entities`` with names and aliases, ``relations``
with ``type``/``source``/``target``/``article``, optional ``optional`` and ``ignore``) and scores a
graph JSON against it the way the reference scorer does: a predicted node matches a gold entity when
any of its names equals any of the entity's after folding case, accents, dots, hyphens and leading
titles; events count per article, structure relations once; MET and SIGNED have no direction.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import PurePath
from typing import Any

__all__ = ["score", "sentences", "EVENT_TYPES"]

EVENT_TYPES = {"MET", "VISITED", "SIGNED", "OFFERED"}
SYMMETRIC = {"MET", "SIGNED"}
# words a gold name and a predicted name may differ by at their start ('General X' = 'X')
_TITLE_WORDS = {
    "general", "gen", "lieutenant", "lt", "ltgen", "major", "maj", "brigadier", "brig", "colonel", "col",
    "admiral", "adm", "vice", "rear", "air", "chief", "marshal", "field", "commodore", "captain", "capt",
    "mr", "mrs", "ms", "dr", "prime", "minister", "president", "deputy", "foreign", "defence", "defense",
    "secretary", "his", "excellency", "the", "former", "cjcsc", "coas", "pso", "qmg",
}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’'`.\-]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _keys(name: str) -> set[str]:
    words = _fold(name).split()
    out = {"".join(words)}
    while words and words[0] in _TITLE_WORDS:
        words = words[1:]
    if words:
        out.add("".join(words))
    return out


def _articles(edge: dict[str, Any]) -> set[str]:
    found = [edge["article"]] if edge.get("article") else []
    found.extend(edge.get("articles") or [])
    for prov in edge.get("provenance") or []:
        found.append(prov.get("article") or prov.get("file") or prov.get("source") or ""
                     if isinstance(prov, dict) else str(prov))
    return {PurePath(a).name for a in found if a}


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _rel_key(type_: str, src: str, tgt: str, article: str | None) -> tuple:
    if type_ in SYMMETRIC:
        src, tgt = sorted((src, tgt))
    return (article if type_ in EVENT_TYPES else None, type_, src, tgt)


def _match_nodes(gold: dict, pred: dict) -> tuple[dict[str, str], list, list[str], set[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for e in gold["entities"]:
        for n in [e["name"], *e.get("aliases", [])]:
            for k in _keys(n):
                index[k].add(e["key"])
    ignored = set().union(*(_keys(n) for n in gold.get("ignore", []))) if gold.get("ignore") else set()
    node_map, merges, unmatched, ignored_ids = {}, [], [], set()
    for node in pred["nodes"]:
        names = [node.get("name") or "", *(node.get("aliases") or [])]
        hits: Counter = Counter(g for n in names for k in _keys(n) for g in index.get(k, ()))
        if hits:
            node_map[node["id"]] = hits.most_common(1)[0][0]
            if len(hits) > 1:
                merges.append((node.get("name"), sorted(hits)))
        elif any(k in ignored for n in names for k in _keys(n)):
            pass
        else:
            unmatched.append(node.get("name"))
        if node["id"] not in node_map and any(k in ignored for k in _keys(node.get("name") or "")):
            ignored_ids.add(node["id"])
    return node_map, merges, unmatched, ignored_ids


def score(gold: dict, pred: dict, verbose: bool = False) -> dict[str, Any]:
    """Precision, recall and F1 of relations (overall and by type) and entities, cross-article
    resolution and dates, as a dict; with ``verbose`` also what was missed and what was wrong."""
    node_map, merges, unmatched, ignored_ids = _match_nodes(gold, pred)
    gold_type = {e["key"]: e["type"] for e in gold["entities"]}
    required = [r for r in gold["relations"] if not r.get("optional")]
    optional = [r for r in gold["relations"] if r.get("optional")]
    gold_req = {_rel_key(r["type"], r["source"], r["target"], r["article"]) for r in required}
    gold_opt = {_rel_key(r["type"], r["source"], r["target"], r["article"]) for r in optional} - gold_req
    gold_dates = {_rel_key(r["type"], r["source"], r["target"], r["article"]): r["date"]
                  for r in required if r.get("date")}

    core = {k for r in required for k in (r["source"], r["target"])}
    per_gold = Counter(node_map.values())
    n_pred_nodes = len(node_map) + len(unmatched)
    ent_p = len(node_map) / n_pred_nodes if n_pred_nodes else 0.0
    ent_r = len(core & set(node_map.values())) / len(core) if core else 0.0
    types = {n["id"]: n.get("type") for n in pred["nodes"]}
    typed_ok = sum(1 for nid, g in node_map.items() if types.get(nid) == gold_type[g])

    seen_in = defaultdict(set)
    for r in gold["relations"]:
        if r["type"] in EVENT_TYPES:
            seen_in[r["source"]].add(r["article"])
            seen_in[r["target"]].add(r["article"])
    cross = [g for g, arts in seen_in.items() if len(arts) > 1]

    pred_keys, pred_dates, unmatched_edges = set(), {}, 0
    for edge in pred["edges"]:
        s, t = node_map.get(edge["source"]), node_map.get(edge["target"])
        if s is None or t is None:
            if not (edge["source"] in ignored_ids or edge["target"] in ignored_ids):
                unmatched_edges += 1
            continue
        arts = _articles(edge) if edge["type"] in EVENT_TYPES else {None}
        for a in arts or {"?"}:
            key = _rel_key(edge["type"], s, t, a)
            pred_keys.add(key)
            if edge.get("date"):
                pred_dates.setdefault(key, str(edge["date"]))
    scored = pred_keys - gold_opt
    tp = scored & gold_req
    rel = _prf(len(tp), len(scored) + unmatched_edges, len(gold_req))
    by_type = {}
    for t in sorted({k[1] for k in gold_req} | {k[1] for k in scored}):
        g = {k for k in gold_req if k[1] == t}
        p = {k for k in scored if k[1] == t}
        by_type[t] = dict(zip(["precision", "recall", "f1"], _prf(len(p & g), len(p), len(g))),
                          tp=len(p & g), predicted=len(p), gold=len(g))
    dated = [k for k in tp if k in gold_dates]
    result: dict[str, Any] = {
        "relations": dict(zip(["precision", "recall", "f1"], rel), tp=len(tp),
                          predicted=len(scored) + unmatched_edges, gold=len(gold_req)),
        "entities": {"precision": ent_p, "recall": ent_r,
                     "f1": 2 * ent_p * ent_r / (ent_p + ent_r) if ent_p + ent_r else 0.0,
                     "predicted_nodes": n_pred_nodes, "typed_correctly": typed_ok, "matched_nodes": len(node_map)},
        "resolution": {"cross_article_actors": len(cross),
                       "one_node_each": sum(1 for g in cross if per_gold.get(g) == 1),
                       "merged_nodes": len(merges)},
        "dates": {"gold_dated_found": len(dated),
                  "correct": sum(1 for k in dated if pred_dates.get(k, "").startswith(gold_dates[k]))},
        "by_type": by_type,
    }
    if verbose:
        result["missed"] = sorted(map(str, gold_req - tp))
        result["wrong"] = sorted(map(str, scored - gold_req))
        result["unmatched_nodes"] = sorted(map(str, unmatched))
        result["merges"] = merges
        result["split_actors"] = sorted(g for g in cross if per_gold.get(g, 0) > 1)
    return result


def sentences(gold: dict, pred: dict) -> dict[str, str]:
    """For the keys ``score(..., verbose=True)`` lists as missed or wrong (as it prints them): the
    gold's evidence of a missed relation, the first citing sentence of a wrong one."""
    node_map = _match_nodes(gold, pred)[0]
    out: dict[str, str] = {}
    for r in gold["relations"]:
        out.setdefault(str(_rel_key(r["type"], r["source"], r["target"], r["article"])), r.get("evidence", ""))
    for edge in pred["edges"]:
        s, t = node_map.get(edge["source"]), node_map.get(edge["target"])
        if s is None or t is None:
            continue
        cited = next((p.get("sentence", "") for p in edge.get("provenance") or [] if isinstance(p, dict)), "")
        for a in (_articles(edge) if edge["type"] in EVENT_TYPES else {None}) or {"?"}:
            out.setdefault(str(_rel_key(edge["type"], s, t, a)), cited)
    return out
