"""The graph as partitioned Parquet (graph.exports.parquet): the tables read back to the very batch,
split over several files; analysts' tools read a table as one dataset."""
from __future__ import annotations

import json

import pyarrow.dataset as ds
import pytest

from graph.exports.parquet import TABLES, is_parquet_graph, read_parquet, write_parquet
from tests.extraction.support import examples_batch


@pytest.fixture(scope="module")
def batch():
    b = examples_batch()
    assert b.events and len(b.relations) > 20
    return b


def test_the_tables_read_back_to_the_batch_over_several_files(batch, tmp_path):
    manifest = write_parquet(batch, tmp_path, rows_per_file=4)
    assert manifest["rows"] == {"actors": len(batch.actors), "relations": len(batch.relations),
                                "events": len(batch.events), "articles": len(batch.articles)}
    assert len(list((tmp_path / "relations").glob("part-*.parquet"))) == -(-len(batch.relations) // 4) > 2
    assert is_parquet_graph(tmp_path)
    assert read_parquet(tmp_path).to_dict() == batch.to_dict()


def test_a_table_is_one_dataset_with_the_citations_nested(batch, tmp_path):
    write_parquet(batch, tmp_path, rows_per_file=5)
    rel = ds.dataset(tmp_path / "relations").to_table()
    assert rel.num_rows == len(batch.relations)
    row = next(r for r in rel.to_pylist() if len(r["provenance"]) > 1 or r["provenance"])
    want = batch.relations[row["key"]]
    assert [p["sentence"] for p in row["provenance"]] == [p.sentence for p in want.provenance]
    assert set(TABLES) <= {p.name for p in tmp_path.iterdir()}


def test_writing_again_replaces_the_tables(batch, tmp_path):
    write_parquet(batch, tmp_path, rows_per_file=2)
    small = read_parquet(tmp_path)
    small.relations = dict(list(small.relations.items())[:3])
    small.events = {}
    write_parquet(small, tmp_path)
    again = read_parquet(tmp_path)
    assert len(again.relations) == 3 and not again.events
    assert json.loads((tmp_path / "manifest.json").read_text())["rows"]["relations"] == 3


def test_an_empty_folder_is_no_graph(tmp_path):
    assert not is_parquet_graph(tmp_path)
