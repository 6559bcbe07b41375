"""Ingest throughput of the stores on a synthetic graph shaped like the extractor's output.

Run from the repository root: ``python -m bench.ingest [--relations 100000] [--json]``.

The graph: persons, armed forces, states, organisations, facilities and places; dated MET, VISITED,
SIGNED and OFFERED events citing one or two articles each, with a few popular actors on many of
them (as real news has); and the MEMBER_OF / PART_OF / LOCATED_IN structure around them.

The batch carries its events (graph.model.events), one per sentence-level event, read off the edges as
the extractor would have made them; the same batch without them is timed too, side by side, and
``events/plain`` is the event model's cost (the goal: at most 1.5x).

For Neo4j it also times a baseline that writes one relation per transaction (the store's own
transaction function and rows, on a sample), and prints batched/baseline: the goal is >= 20x and >= 10,000 relations/s.

``--single`` times instead one single-article upsert (a dozen actors and relations, some new, some
already stored) into embedded stores of 10k, 100k and 1M relations (``--sizes``): the goal is a
flat cost, the largest within 3x of the smallest. Each store is built with its own upsert, in
batches of 100k relations (one transaction each: the bulk path).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from itertools import accumulate
from pathlib import Path
from typing import Any

from graph.model.events import events_from_relations
from graph.model import (Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType,
                         actor_id)

__all__ = ["synthetic_batch", "main"]

GOAL_RATIO = 20
GOAL_EVENTS = 1.5  # events/plain ingest time


def with_events(batch: GraphBatch) -> GraphBatch:
    """The batch with the events its event edges stand for, as the extractor emits them."""
    for ev in events_from_relations(batch.relations.values()):
        batch.add_event(ev)
    return batch


def without_events(batch: GraphBatch) -> GraphBatch:
    return GraphBatch(actors=batch.actors, relations=batch.relations, articles=batch.articles)
GOAL_RATE = 10_000

_FIRST = ["Tariq", "Anwar", "Selim", "Imran", "Farhan", "Rashid", "Nadia", "Omar", "Kamal", "Hina",
          "Yusuf", "Bilal", "Ayesha", "Zafar", "Mehmet", "Li", "Arjun", "Sara", "Khalid", "Jamal"]
_LAST = ["Qureshi", "Chowdhury", "Reza", "Hossain", "Malik", "Rahman", "Siddiqui", "Yilmaz", "Wang",
         "Iqbal", "Haider", "Aziz", "Karim", "Shah", "Nasir", "Demir", "Chen", "Mehta", "Ali", "Baig"]
_RANKS = ["General", "Lieutenant General", "Major General", "Brigadier", "Admiral", "Air Marshal", None]
_WHAT = ["training slots", "a memorandum of understanding", "joint exercises", "drones", "scholarships",
         "a defence cooperation agreement", "frigates", "spare parts"]


def synthetic_batch(relations: int, seed: int = 7) -> GraphBatch:
    """A batch of exactly ``relations`` relations (and their actors and articles), deterministic in seed."""
    rng = random.Random(seed)
    b = GraphBatch()

    def actors(type_: NodeType, count: int, name) -> list[str]:
        made = []
        for i in range(count):
            n = name(i)
            rank = rng.choice(_RANKS) if type_ is NodeType.PERSON else None
            a = b.add_actor(Actor(id=actor_id(type_, n), type=type_, name=n, rank=rank,
                                  aliases=[f"{rank} {n}"] if rank else []))
            made.append(a.id)
        return made

    persons = actors(NodeType.PERSON, max(20, relations // 8),
                     lambda i: f"{rng.choice(_FIRST)} {rng.choice(_LAST)} {i}")
    states = actors(NodeType.STATE, 60, lambda i: f"State {i}")
    forces = actors(NodeType.ARMED_FORCE, max(6, relations // 1000), lambda i: f"Armed Force {i}")
    orgs = actors(NodeType.ORGANIZATION, max(4, relations // 2000), lambda i: f"Ministry {i}")
    facilities = actors(NodeType.FACILITY, max(8, relations // 250), lambda i: f"Ordnance Factory {i}")
    places = actors(NodeType.PLACE, max(8, relations // 250), lambda i: f"City {i}")
    articles = [f"{i:06d}_synthetic.txt" for i in range(max(10, relations // 10))]
    for art in articles:
        b.add_article(Article(id=art, title=f"Report {art}", published=_date(rng, day=True), source="Bench Wire"))

    def add(rel: Relation) -> None:
        if len(b.relations) < relations:
            b.add_relation(rel)

    # Structure first: every person serves a force, forces and ministries belong to states.
    for p in persons:
        add(Relation(p, rng.choice(forces), RelType.MEMBER_OF, provenance=_cites(rng, articles)))
    for f in forces:
        add(Relation(f, rng.choice(states), RelType.PART_OF))
    for o in orgs:
        add(Relation(o, rng.choice(states), RelType.PART_OF))
    for f in facilities:
        add(Relation(f, rng.choice(places), RelType.LOCATED_IN))
    for pl in places:
        add(Relation(pl, rng.choice(states), RelType.LOCATED_IN))

    # Events: a few actors are in most of the news (Zipf-like weights), so hubs have high degree.
    hubs = list(accumulate(1 / (i + 1) ** 0.8 for i in range(len(persons))))
    state_hubs = list(accumulate(1 / (i + 1) for i in range(len(states))))

    def person() -> str:
        return rng.choices(persons, cum_weights=hubs)[0]

    def state() -> str:
        return rng.choices(states, cum_weights=state_hubs)[0]

    while len(b.relations) < relations:
        kind = rng.random()
        date, cites = _date(rng), _cites(rng, articles)
        if kind < 0.5:
            rel = Relation(person(), person(), RelType.MET, date=date, place=rng.choice(places), provenance=cites)
        elif kind < 0.8:
            to = rng.choice((facilities, places, [state()]))
            rel = Relation(person(), rng.choice(to), RelType.VISITED, date=date, provenance=cites)
        elif kind < 0.9:
            rel = Relation(state(), rng.choice((state(), rng.choice(orgs))), RelType.SIGNED, date=date,
                           what=rng.choice(_WHAT), provenance=cites)
        else:
            rel = Relation(rng.choice((state(), rng.choice(orgs))), rng.choice((state(), rng.choice(forces))),
                           RelType.OFFERED, date=date, what=rng.choice(_WHAT), provenance=cites)
        if rel.source != rel.target:
            add(rel)
    return b


def _date(rng: random.Random, day: bool = False) -> str | None:
    """Mostly full dates; some only a month (as 'in January' gives), a few unknown."""
    r = rng.random()
    if not day and r < 0.05:
        return None
    month = f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}"
    return month if not day and r < 0.2 else f"{month}-{rng.randint(1, 28):02d}"


def _cites(rng: random.Random, articles: list[str]) -> list[Provenance]:
    out = []
    for _ in range(rng.choice((1, 1, 2))):
        start = rng.randint(0, 8000)
        sentence = f"Synthetic sentence {rng.randint(0, 10**6)} stating the relation, as an article would."
        out.append(Provenance(article=rng.choice(articles), sentence=sentence, start=start,
                              end=start + len(sentence), confidence=round(rng.uniform(0.5, 1.0), 2)))
    return out


def _sample(batch: GraphBatch, rows: int) -> GraphBatch:
    """``rows`` relations spread over the batch (structure and events alike), with their endpoints
    and cited articles."""
    out = GraphBatch()
    every = list(batch.relations.values())
    for rel in every[:: max(1, len(every) // rows)][:rows]:
        out.add_actor(batch.actors[rel.source])
        out.add_actor(batch.actors[rel.target])
        out.add_relation(rel)
        for p in rel.provenance:
            out.add_article(batch.articles[p.article])
    return with_events(out)


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _check_count(store, expected: int) -> None:
    found = sum(store.stats()["relations"].values())
    if found != expected:  # a figure for a graph that is not the one generated would be worthless
        raise SystemExit(f"{store.name}: wrote {expected:,} relations but holds {found:,} "
                         "(did another client write to or wipe the database meanwhile?)")


def bench_embedded(batch: GraphBatch) -> dict[str, Any]:
    from graph.stores.embedded.store import DB_FILE, EmbeddedStore
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / DB_FILE)  # on disk: the upsert is committed when it returns
        seconds = _timed(lambda: store.upsert(batch))
        _check_count(store, len(batch.relations))
        size = (Path(tmp) / DB_FILE).stat().st_size
    return {"relations": len(batch.relations), "seconds": seconds, "rel_per_s": len(batch.relations) / seconds,
            "file_mb": size / 1e6}


def bench_neo4j(batch: GraphBatch, batch_size: int, baseline_rows: int) -> dict[str, Any]:
    from graph.stores.neo4j.store import Neo4jStore, connect, relation_row
    from graph.stores.neo4j.store import _write_relations as write_relations
    from service.settings import get_settings

    s = get_settings()
    driver = connect(s.neo4j_uri, s.neo4j_user, s.neo4j_password, s.neo4j_database)
    try:
        store = Neo4jStore(driver, s.neo4j_database, batch_size=batch_size)
        store.clear()
        seconds = _timed(lambda: store.upsert(batch))
        _check_count(store, len(batch.relations))
        batched = {"relations": len(batch.relations), "seconds": seconds,
                   "rel_per_s": len(batch.relations) / seconds, "batch_size": batch_size}

        # Baseline: the same relation query and rows, one relation per transaction, on a sample
        # whose actors are written (untimed) first, so only relation writes are compared.
        sample = _sample(batch, baseline_rows)
        store.clear()
        store.upsert(GraphBatch(actors=sample.actors, articles=sample.articles))
        rows = [(rel.type, relation_row(rel)) for rel in sample.relations.values()]

        def one_per_transaction() -> None:
            with driver.session(database=s.neo4j_database) as session:
                for rel_type, row in rows:
                    session.execute_write(write_relations, rel_type, [row])

        base_seconds = _timed(one_per_transaction)
        baseline = {"relations": len(rows), "seconds": base_seconds, "rel_per_s": len(rows) / base_seconds}
        store.clear()  # leave no synthetic graph behind for Browser users
    finally:
        driver.close()
    ratio = batched["rel_per_s"] / baseline["rel_per_s"]
    return {"uri": s.neo4j_uri, "batched": batched, "baseline": baseline, "ratio": ratio,
            "meets_goals": ratio >= GOAL_RATIO and batched["rel_per_s"] >= GOAL_RATE}


BULK_RELATIONS = 100_000  # relations per upsert while building a store for --single
SINGLE_REPEATS = 15


def _chunks_of(batch: GraphBatch, size: int):
    """The batch as self-contained batches of ``size`` relations (with their endpoints and articles)."""
    rels = list(batch.relations.values())
    for i in range(0, len(rels), size):
        part = GraphBatch()
        for rel in rels[i:i + size]:
            part.actors.setdefault(rel.source, batch.actors[rel.source])
            part.actors.setdefault(rel.target, batch.actors[rel.target])
            part.relations[rel.key] = rel
            for p in rel.provenance:
                part.articles.setdefault(p.article, batch.articles[p.article])
        yield with_events(part)


def _one_article(batch: GraphBatch, n: int) -> GraphBatch:
    """What one article gives: 12 relations among stored and new actors, half of them already
    stored (they gain this article's citation), half new."""
    rng = random.Random(1000 + n)
    article = f"single-{n:03d}.txt"
    out = GraphBatch(articles={article: Article(id=article, title=f"Single {n}", published="2026-01-02")})
    stored = rng.sample(list(batch.relations.values()), 6)
    new_people = [Actor(id=actor_id(NodeType.PERSON, f"New Person {n} {i}"), type=NodeType.PERSON,
                        name=f"New Person {n} {i}") for i in range(4)]
    for a in new_people:
        out.add_actor(a)
    for i, rel in enumerate(stored):
        cite = Provenance(article=article, sentence=f"Sentence {i} of {article}.", start=i * 100, end=i * 100 + 40)
        out.add_actor(batch.actors[rel.source])
        out.add_actor(batch.actors[rel.target])
        out.add_relation(Relation(rel.source, rel.target, rel.type, date=rel.date, provenance=[cite]))
        other = new_people[i % 4]
        out.add_relation(Relation(other.id, rel.source, RelType.MET, date="2026-01-02",
                                  provenance=[Provenance(article, f"New {i}.", 1000 + i * 100, 1040 + i * 100)]))
    return with_events(out)


def bench_single(sizes: list[int], seed: int) -> list[dict[str, Any]]:
    """Per store size: the build time and the median (and max) single-article upsert time."""
    from graph.stores.embedded.store import DB_FILE, EmbeddedStore
    out = []
    for size in sizes:
        batch = synthetic_batch(size, seed)
        with tempfile.TemporaryDirectory() as tmp:
            store = EmbeddedStore(Path(tmp) / DB_FILE)
            build = _timed(lambda: [store.upsert(part) for part in _chunks_of(batch, BULK_RELATIONS)])
            held = store._db.execute("SELECT count(*) FROM relations").fetchone()[0]
            if held != size:
                raise SystemExit(f"built {held:,} relations, expected {size:,}")
            # Untimed: let the bulk load reach the disk, so the figures are one upsert's own cost
            # and not the wait behind the writeback of hundreds of MB just written.
            store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            os.sync()
            times, cpu = [], []
            for n in range(SINGLE_REPEATS):
                article = _one_article(batch, n)
                start = time.process_time()
                times.append(_timed(lambda: store.upsert(article)))
                cpu.append(time.process_time() - start)
            mb = (Path(tmp) / DB_FILE).stat().st_size / 1e6
            store.close()
        times.sort()
        cpu.sort()
        out.append({"relations": size, "build_seconds": build, "db_mb": mb,
                    "upsert_ms_median": 1000 * times[len(times) // 2], "upsert_ms_max": 1000 * times[-1],
                    "cpu_ms_median": 1000 * cpu[len(cpu) // 2]})
        del batch
    return out


def _single_table(rows: list[dict[str, Any]]) -> str:
    lines = [f"one single-article upsert (12 relations, 6 already stored) into the embedded store, "
             f"median of {SINGLE_REPEATS}; stores built in upserts of {BULK_RELATIONS:,} relations", "",
             f"{'relations':>10}{'build s':>10}{'db MB':>9}{'upsert ms':>11}{'max ms':>9}{'cpu ms':>9}"]
    for r in rows:
        lines.append(f"{r['relations']:>10,}{r['build_seconds']:>10.1f}{r['db_mb']:>9.0f}"
                     f"{r['upsert_ms_median']:>11.2f}{r['upsert_ms_max']:>9.2f}{r['cpu_ms_median']:>9.2f}")
    ratio = rows[-1]["upsert_ms_median"] / rows[0]["upsert_ms_median"]
    cpu_ratio = rows[-1]["cpu_ms_median"] / rows[0]["cpu_ms_median"]
    verdict = "met" if ratio <= 3 else "NOT met"
    lines += ["", f"largest/smallest: {ratio:.2f}x wall clock, {cpu_ratio:.2f}x CPU; goal <= 3x: {verdict}",
              "(wall clock includes the commit's fsync: on a shared disk it varies more than the store's own work)"]
    return "\n".join(lines)


def _table(figures: dict[str, Any]) -> str:
    lines = [f"synthetic graph: {figures['actors']:,} actors, {figures['relations']:,} relations, "
             f"{figures['provenance']:,} citations, {figures['articles']:,} articles, {figures['events']:,} events "
             f"(generated in {figures['generate_seconds']:.1f} s)", "",
             f"{'store':<34}{'relations':>10}{'seconds':>10}{'rel/s':>10}"]

    def row(label: str, f: dict[str, Any]) -> None:
        lines.append(f"{label:<34}{f['relations']:>10,}{f['seconds']:>10.2f}{f['rel_per_s']:>10,.0f}")

    if "embedded" in figures:
        row("embedded, edges only", figures["embedded_plain"])
        row("embedded, edges and events", figures["embedded"])
        verdict = "met" if figures["embedded_events_ratio"] <= GOAL_EVENTS else "NOT met"
        lines += [f"events/plain: {figures['embedded_events_ratio']:.2f}x; goal <= {GOAL_EVENTS}x: {verdict}", ""]
    if "neo4j" in figures:
        row("neo4j batched, edges only", figures["neo4j_plain"]["batched"])
        verdict = "met" if figures["neo4j_events_ratio"] <= GOAL_EVENTS else "NOT met"
        lines += [f"neo4j events/plain: {figures['neo4j_events_ratio']:.2f}x; goal <= {GOAL_EVENTS}x: {verdict}"]
        n = figures["neo4j"]
        row(f"neo4j batched ({n['batched']['batch_size']:,} per UNWIND)", n["batched"])
        row("neo4j one transaction per relation", n["baseline"])
        verdict = "met" if n["meets_goals"] else "NOT met"
        lines += ["", f"batched/baseline: {n['ratio']:.0f}x; goals >= {GOAL_RATIO}x and >= {GOAL_RATE:,} rel/s: "
                      f"{verdict} ({n['uri']})"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ingest", description=__doc__.split("\n\n")[0],
        epilog="WARNING: the neo4j run DELETES EVERYTHING in the configured database (NEO4J_URI, "
               "NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE; default bolt://127.0.0.1:7687, database "
               "neo4j) before and after it writes. Point it at a development server only.")
    parser.add_argument("--relations", type=int, default=100_000, help="relations to generate (default 100000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the synthetic graph")
    parser.add_argument("--batch-size", type=int, default=1000, help="rows per UNWIND for neo4j (default 1000)")
    parser.add_argument("--baseline-rows", type=int, default=2000,
                        help="relations written one per transaction for the neo4j baseline (default 2000)")
    parser.add_argument("--stores", nargs="+", choices=("embedded", "neo4j"), default=["embedded", "neo4j"])
    parser.add_argument("--json", action="store_true", help="print one JSON object of the figures")
    parser.add_argument("--single", action="store_true",
                        help="time one single-article upsert into embedded stores of --sizes relations")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000],
                        help="store sizes for --single (default 10000 100000 1000000)")
    args = parser.parse_args(argv)

    if args.single:
        rows = bench_single(args.sizes, args.seed)
        print(json.dumps({"single_article": rows}) if args.json else _single_table(rows))
        return 0

    start = time.perf_counter()
    batch = with_events(synthetic_batch(args.relations, args.seed))
    plain = without_events(batch)
    figures: dict[str, Any] = {
        "relations": len(batch.relations), "actors": len(batch.actors), "articles": len(batch.articles),
        "provenance": sum(len(r.provenance) for r in batch.relations.values()), "events": len(batch.events),
        "generate_seconds": time.perf_counter() - start,
    }
    if "embedded" in args.stores:
        figures["embedded_plain"] = bench_embedded(plain)
        figures["embedded"] = bench_embedded(batch)
        figures["embedded_events_ratio"] = figures["embedded"]["seconds"] / figures["embedded_plain"]["seconds"]
    if "neo4j" in args.stores:
        figures["neo4j_plain"] = bench_neo4j(plain, args.batch_size, args.baseline_rows)
        figures["neo4j"] = bench_neo4j(batch, args.batch_size, args.baseline_rows)
        figures["neo4j_events_ratio"] = figures["neo4j"]["batched"]["seconds"] / \
            figures["neo4j_plain"]["batched"]["seconds"]
    print(json.dumps(figures) if args.json else _table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
