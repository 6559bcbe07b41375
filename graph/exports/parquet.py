"""A GraphBatch as partitioned Parquet tables, and read back: what ``actorgraph extract --out DIR``
writes and ``actorgraph ingest DIR`` loads.

One folder per table (``actors``, ``relations``, ``events``, ``articles``), each a pyarrow
dataset of ``part-N.parquet`` files of at most ``rows_per_file`` rows, so Dask, Spark, DuckDB or
pandas read a table as one (``pyarrow.dataset.dataset(DIR / "relations")``). A relation keeps its
citations as a list of structs (``provenance``), an event its participants and citations, so the
tables read back to the very batch that was written. ``manifest.json`` gives the counts.

pyarrow is imported when called, as the other exports do with their libraries.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any, Iterable

from graph.model import Actor, Article, GraphBatch, Provenance, Relation
from graph.model.events import Event, Participant

__all__ = ["TABLES", "MANIFEST", "write_parquet", "read_parquet", "is_parquet_graph"]

TABLES = ("actors", "relations", "events", "articles")
MANIFEST = "manifest.json"
FORMAT = "actorgraph-parquet/1"
ROWS_PER_FILE = 100_000


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    s = pa.string()
    prov = pa.struct([("article", s), ("sentence", s), ("start", pa.int64()), ("end", pa.int64()),
                      ("confidence", pa.float64())])
    part = pa.struct([("actor", s), ("role", s), ("side", pa.int64())])
    return {
        "actors": pa.schema([("id", s), ("type", s), ("name", s), ("aliases", pa.list_(s)), ("rank", s),
                             ("title", s)]),
        "relations": pa.schema([("key", s), ("source", s), ("target", s), ("type", s), ("date", s), ("place", s),
                                ("what", s), ("provenance", pa.list_(prov))]),
        "events": pa.schema([("id", s), ("type", s), ("date", s), ("place", s), ("what", s),
                             ("participants", pa.list_(part)), ("citations", pa.list_(prov))]),
        "articles": pa.schema([("id", s), ("title", s), ("published", s), ("source", s), ("url", s),
                               ("content_hash", s)]),
    }


def _prov(p: Provenance) -> dict[str, Any]:
    return {"article": p.article, "sentence": p.sentence, "start": p.start, "end": p.end,
            "confidence": p.confidence}


def _rows(batch: GraphBatch) -> dict[str, Iterable[dict[str, Any]]]:
    """Each table's rows, sorted by id or key, so equal batches write equal files."""
    return {
        "actors": ({"id": a.id, "type": a.type.value, "name": a.name, "aliases": list(a.aliases), "rank": a.rank,
                    "title": a.title} for a in (batch.actors[k] for k in sorted(batch.actors))),
        "relations": ({"key": r.key, "source": r.source, "target": r.target, "type": r.type.value, "date": r.date,
                       "place": r.place, "what": r.what, "provenance": [_prov(p) for p in r.provenance]}
                      for r in (batch.relations[k] for k in sorted(batch.relations))),
        "events": ({"id": e.id, "type": e.type.value, "date": e.date, "place": e.place, "what": e.what,
                    "participants": [p.to_dict() for p in e.participants],
                    "citations": [_prov(p) for p in e.citations]}
                   for e in (batch.events[k] for k in sorted(batch.events))),
        "articles": ({"id": a.id, "title": a.title, "published": a.published, "source": a.source, "url": a.url,
                      "content_hash": a.content_hash} for a in (batch.articles[k] for k in sorted(batch.articles))),
    }


def write_parquet(batch: GraphBatch, folder: Path | str, rows_per_file: int = ROWS_PER_FILE,
                  extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write ``batch`` under ``folder`` (its four tables replaced) and return the manifest;
    ``extra`` is added to the manifest (how the graph was made)."""
    import pyarrow as pa
    import pyarrow.dataset as ds

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    schemas = _schemas()
    counts = {}
    for name, rows in _rows(batch).items():
        table = pa.Table.from_pylist(list(rows), schema=schemas[name])
        target = folder / name
        if target.exists():
            shutil.rmtree(target)
        if table.num_rows:
            ds.write_dataset(table, target, format="parquet", basename_template="part-{i}.parquet",
                             max_rows_per_file=max(1, rows_per_file),
                             max_rows_per_group=min(max(1, rows_per_file), 65_536))
        else:  # an empty table still gets its (empty) file, so a reader sees the schema
            import pyarrow.parquet as pq
            target.mkdir()
            pq.write_table(table, target / "part-0.parquet")
        counts[name] = table.num_rows
    manifest = {"format": FORMAT, "rows": counts, **(extra or {})}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def is_parquet_graph(folder: Path | str) -> bool:
    """Whether ``folder`` holds what ``write_parquet`` writes."""
    folder = Path(folder)
    return folder.is_dir() and (folder / MANIFEST).is_file() and all((folder / t).is_dir() for t in TABLES)


def _table(folder: Path, name: str) -> list[dict[str, Any]]:
    import pyarrow.dataset as ds

    files = sorted((folder / name).glob("*.parquet"), key=lambda p: (len(p.name), p.name))  # part-2 before part-10
    return ds.dataset([str(f) for f in files], format="parquet", schema=_schemas()[name]).to_table().to_pylist()


def _prov_of(d: dict[str, Any]) -> Provenance:
    return Provenance(article=d["article"], sentence=d["sentence"], start=d["start"], end=d["end"],
                      confidence=d["confidence"])


def read_parquet(folder: Path | str) -> GraphBatch:
    """The batch ``write_parquet`` wrote under ``folder``."""
    folder = Path(folder)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise ValueError(f"{folder}: not an actorgraph Parquet graph (format {manifest.get('format')!r})")
    b = GraphBatch()
    for d in _table(folder, "actors"):
        b.add_actor(Actor(id=d["id"], type=d["type"], name=d["name"], aliases=list(d["aliases"] or []),
                          rank=d["rank"], title=d["title"]))
    for d in _table(folder, "relations"):
        b.add_relation(Relation(source=d["source"], target=d["target"], type=d["type"], date=d["date"],
                                place=d["place"], what=d["what"],
                                provenance=[_prov_of(p) for p in d["provenance"] or []]))
    for d in _table(folder, "events"):
        b.add_event(Event(type=d["type"], date=d["date"], place=d["place"], what=d["what"],
                          participants=[Participant(actor=p["actor"], role=p["role"], side=p["side"])
                                        for p in d["participants"] or []],
                          citations=[_prov_of(p) for p in d["citations"] or []]))
    for d in _table(folder, "articles"):
        b.add_article(Article(**d))
    return b
