"""Export a synthetic subgraph to every format and print each format's time and output size.

    python bench/export.py                 # 5,000 actors, table
    python bench/export.py --nodes 500 --json

The graph is random but seeded, shaped like the real one: people in forces, forces in states,
facilities in places, and dated, cited events between them (about 1.6 relations per actor).
The PDF's figure also counts its pages and attached files (read with pypdfium2, when installed);
``--pdf-rows N`` sets the report's row cap (0: every row, the report before it had one).
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.model import Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType  # noqa: E402

__all__ = ["synthetic_batch", "run"]

_SHARE = {NodeType.PERSON: 0.55, NodeType.ARMED_FORCE: 0.08, NodeType.STATE: 0.04,
          NodeType.ORGANIZATION: 0.08, NodeType.FACILITY: 0.12, NodeType.PLACE: 0.13}
_SYLLABLES = ["ka", "ro", "vel", "mar", "tan", "sil", "do", "bre", "zu", "ni", "or", "la", "quen", "thi"]


def _name(rng: random.Random, words: int) -> str:
    return " ".join("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).title()
                    for _ in range(words))


def synthetic_batch(nodes: int = 5000, *, seed: int = 7, articles: int | None = None) -> GraphBatch:
    rng = random.Random(seed)
    b = GraphBatch()
    by_type: dict[NodeType, list[str]] = {t: [] for t in NodeType}
    for n, type_ in enumerate(rng.choices(list(_SHARE), weights=list(_SHARE.values()), k=nodes)):
        words = 2 if type_ is NodeType.PERSON else rng.randint(1, 3)
        a = Actor(id=f"{type_.prefix}:synthetic-{n}", type=type_, name=_name(rng, words),
                  aliases=[_name(rng, 1)] if rng.random() < 0.3 else [],
                  rank=rng.choice(["General", "Admiral", "Colonel"]) if type_ is NodeType.PERSON else None)
        b.add_actor(a)
        by_type[type_].append(a.id)
    for t in NodeType:  # every type present, so every edge kind below has both ends
        if not by_type[t]:
            a = Actor(id=f"{t.prefix}:synthetic-extra", type=t, name=_name(rng, 2))
            b.add_actor(a)
            by_type[t].append(a.id)
    n_articles = articles or max(1, len(b.actors) // 10)
    for k in range(n_articles):
        b.add_article(Article(id=f"synthetic-{k:05d}.txt", title=_name(rng, 5), published=f"2025-{rng.randint(1, 12):02d}-01",
                              source=rng.choice(["Herald", "Times", "Gazette"])))

    def cite() -> list[Provenance]:
        art = f"synthetic-{rng.randrange(n_articles):05d}.txt"
        start = rng.randrange(5000)
        sentence = f"{_name(rng, 2)} {rng.choice(['met', 'visited', 'signed with'])} {_name(rng, 2)}; officials said."
        return [Provenance(art, sentence, start, start + len(sentence), round(rng.random(), 2))]

    people, forces, states = by_type[NodeType.PERSON], by_type[NodeType.ARMED_FORCE], by_type[NodeType.STATE]
    for p in people:
        b.add_relation(Relation(p, rng.choice(forces), RelType.MEMBER_OF))
    for f in forces:
        b.add_relation(Relation(f, rng.choice(states), RelType.PART_OF))
    for f in by_type[NodeType.FACILITY]:
        b.add_relation(Relation(f, rng.choice(by_type[NodeType.PLACE]), RelType.LOCATED_IN))
    for _ in range(len(b.actors) // 2):
        date = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        kind = rng.choice([RelType.MET, RelType.MET, RelType.VISITED, RelType.SIGNED, RelType.OFFERED])
        a = rng.choice(people)
        if kind is RelType.MET:
            other = rng.choice(people)
            if other == a:
                continue
            b.add_relation(Relation(a, other, kind, date=date, provenance=cite()))
        elif kind is RelType.VISITED:
            b.add_relation(Relation(a, rng.choice(by_type[NodeType.FACILITY]), kind, date=date, provenance=cite()))
        else:
            s1, s2 = rng.sample(states, 2) if len(states) > 1 else (states[0], rng.choice(forces))
            b.add_relation(Relation(s1, s2, kind, date=date, what="defence memorandum", provenance=cite()))
    return b


def _pdf_figures(data: bytes) -> dict[str, object]:
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return {}
    pdf = pdfium.PdfDocument(data)
    return {"pages": len(pdf), "attachments": [pdf.get_attachment(i).get_name() for i in range(pdf.count_attachments())]}


def run(batch: GraphBatch, formats: list[str], pdf_rows: int | None = None) -> dict[str, dict[str, object]]:
    from graph.exports import export

    figures: dict[str, dict[str, object]] = {}
    for fmt in formats:
        options = {"rows": pdf_rows or None} if fmt == "pdf" and pdf_rows is not None else {}
        t0 = time.perf_counter()
        data = export(batch, fmt, **options)
        figures[fmt] = {"seconds": round(time.perf_counter() - t0, 3), "bytes": len(data)}
        if fmt == "pdf":
            figures[fmt].update(_pdf_figures(data))
    return figures


def main(argv: list[str] | None = None) -> int:
    from graph.exports import FORMATS

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--formats", default=",".join(FORMATS), help="comma-separated (default: all)")
    ap.add_argument("--pdf-rows", type=int, default=None, metavar="N",
                    help="rows the PDF report's tables print at most (default: the report's own; 0: all)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    batch = synthetic_batch(args.nodes, seed=args.seed)
    build_s = time.perf_counter() - t0
    figures = run(batch, [f.strip() for f in args.formats.split(",") if f.strip()], args.pdf_rows)
    if args.json:
        print(json.dumps({"nodes": len(batch.actors), "relations": len(batch.relations),
                          "articles": len(batch.articles), "build_seconds": round(build_s, 3),
                          "formats": figures}))
        return 0
    print(f"{len(batch.actors)} actors, {len(batch.relations)} relations, {len(batch.articles)} articles"
          f" (built in {build_s:.2f} s)")
    print(f"{'format':<10} {'seconds':>9} {'bytes':>12}")
    for fmt, f in figures.items():
        pages = f"  {f['pages']} pages" if "pages" in f else ""
        print(f"{fmt:<10} {f['seconds']:>9.3f} {f['bytes']:>12,}{pages}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
