"""What curation costs, on the embedded store, side by side in one run.

Run from the repository root: ``python -m bench.curation [--relations 20000] [--articles 20]``.

1. Ingest: the example articles (copied ``--articles`` times under new names) into a store already
   holding a synthetic graph (``bench.ingest``), the old way (each chunk extracted in one call,
   then upserted) and the curation way (``service.curation.ingest``: each article extracted alone
   so its text and raw contribution can be kept). Prints articles/s and the ratio.
2. Curation writes on that store: one judgement (rebuilds the graph from the kept articles),
   its undo, and delete-article; seconds each.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bench.ingest import synthetic_batch
from graph.curation import ArticleSource
from graph.stores.embedded.store import EmbeddedStore
from graph.model import GraphBatch, Provenance

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"
VOCAB = EXAMPLES.parent / "vocab"


def kept_sources(batch: GraphBatch) -> list[ArticleSource]:
    """The synthetic graph split into per-article raw contributions (texts left empty)."""
    parts: dict[str, GraphBatch] = {a: GraphBatch() for a in batch.articles}
    for rel in batch.relations.values():
        for art in {p.article for p in rel.provenance}:
            part = parts[art]
            for end in (rel.source, rel.target):
                part.actors.setdefault(end, batch.actors[end])
            part.relations[rel.key] = type(rel)(source=rel.source, target=rel.target, type=rel.type, date=rel.date,
                                                 place=None, what=rel.what,
                                                 provenance=[p for p in rel.provenance if p.article == art])
    for art, part in parts.items():
        part.articles[art] = batch.articles[art]
    return [ArticleSource(id=a, text="", meta={}, raw=p) for a, p in parts.items()]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--relations", type=int, default=20_000)
    ap.add_argument("--articles", type=int, default=20, help="copies of each example article")
    args = ap.parse_args(argv)

    from loaders.pipeline import Extractor, read_articles
    from service.curation import ingest

    extractor = Extractor(extra_vocab=(str(VOCAB),))
    synthetic = synthetic_batch(args.relations)
    first = sorted(synthetic.articles)[0]
    for rel in synthetic.relations.values():  # curation needs every relation cited by some article
        if not rel.provenance:
            rel.provenance.append(Provenance(article=first, sentence="(structure)", start=0, end=0))
    sources = kept_sources(synthetic)
    tmp = Path(tempfile.mkdtemp(prefix="bench-curation-"))
    try:
        corpus = tmp / "corpus"
        corpus.mkdir()
        for n in range(args.articles):
            for src in sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".txt", ".html"}):
                shutil.copy(src, corpus / f"{n:03d}_{src.name}")
        raws = list(read_articles([corpus], []))
        print(f"store: {len(synthetic.actors)} actors, {len(synthetic.relations)} relations, "
              f"{len(synthetic.articles)} articles; ingesting {len(raws)} articles in chunks of 100")

        def build(name: str) -> EmbeddedStore:
            store = EmbeddedStore(tmp / name / "graph.sqlite")
            store.upsert(GraphBatch.from_dict(synthetic.to_dict()), sources)
            return store

        old, new = build("old"), build("new")
        t = time.perf_counter()
        for i in range(0, len(raws), 100):
            chunk = [r for r in raws[i:i + 100]]
            old.upsert(extractor.extract(chunk, existing=old.actors()))
        t_old = time.perf_counter() - t
        t = time.perf_counter()
        for i in range(0, len(raws), 100):
            ingest(new, extractor, raws[i:i + 100])
        t_new = time.perf_counter() - t
        print(f"ingest, one extract call per chunk: {len(raws) / t_old:8.1f} articles/s")
        print(f"ingest, curation (one per article): {len(raws) / t_new:8.1f} articles/s  "
              f"(ratio curation/old time {t_new / t_old:.2f}x)")

        key = next(iter(sorted(new.snapshot().relations)))
        t = time.perf_counter()
        j = new.judge("reject-relation", key, None, "bench")
        t_judge = time.perf_counter() - t
        t = time.perf_counter()
        new.undo(j.id, "bench")
        t_undo = time.perf_counter() - t
        t = time.perf_counter()
        new.delete_article(raws[0].id)
        t_delete = time.perf_counter() - t
        print(f"judge (rebuild): {t_judge:.2f} s; undo: {t_undo:.2f} s; delete-article: {t_delete:.2f} s "
              f"(store of {len(new.snapshot().relations)} relations)")
        old.close()
        new.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
