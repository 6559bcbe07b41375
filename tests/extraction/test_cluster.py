"""Extraction on a real local Dask cluster (a scheduler and two worker processes, started here)
makes the very graph one process makes: on the example articles and on a few hundred generated wire
stories, for several partitionings; a partition that fails is tried again, or named, and nothing is
counted twice."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from graph.exports.parquet import read_parquet
from graph.stores.embedded.store import EmbeddedStore
from loaders.cluster import PartitionFailed, extract_on, local_cluster, read_partition
from loaders.pipeline import read_articles
from tests.extraction.support import EXAMPLES, EXAMPLE_VOCAB, REPO, extractor
from tests.extraction.wire import wire_articles

VOCAB = (str(EXAMPLE_VOCAB),)
MECHANISMS = REPO / "tests" / "data" / "mechanisms"


@pytest.fixture(scope="module")
def client():
    from distributed import Client

    cluster = local_cluster(2)
    with Client(cluster) as c:
        yield c
    cluster.close()


def _one_process(raws):
    return extractor().extract(raws).to_dict()


def test_the_cluster_is_two_worker_processes_apart_from_this_one(client):
    workers = client.scheduler_info()["workers"]
    pids = set(client.run(os.getpid).values())
    assert len(workers) == 2 and len(pids) == 2 and os.getpid() not in pids


@pytest.mark.parametrize("size", [1, 3])
def test_the_examples_make_the_one_process_graph(client, size):
    raws = list(read_articles([EXAMPLES, MECHANISMS], []))
    seen: list[str] = []
    result = extract_on(client, raws, extra_vocab=VOCAB, partition_size=size, progress=lambda r: seen.append(r.id))
    one = _one_process(raws)
    assert len(raws) > 10 and len(one["edges"]) > 50
    assert result.batch.to_dict() == one
    assert seen == [r.id for r in raws if r.text.strip()]  # each article counted once, in input order
    assert result.partitions == -(-len(raws) // size) and not result.failed


def test_hundreds_of_generated_articles_make_the_one_process_graph(client):
    raws = wire_articles(300)
    one = _one_process(raws)
    people = [n for n in one["nodes"] if n["type"] == "Person"]
    assert len(people) == 40 and len(one["edges"]) > 400  # the same people recur: resolution was at work
    result = extract_on(client, raws, extra_vocab=VOCAB, partition_size=16)
    assert result.articles == 300 and result.partitions == 19
    assert result.batch.to_dict() == one


def _tries(marks: Path) -> list[str]:
    return sorted(p.name for p in marks.iterdir())


def flaky_read(marks: str, raws):
    """Fails on the first try of each partition (a worker lost midway), reads on the next."""
    tries = len(list(Path(marks).glob(f"{raws[0].id}.*")))
    (Path(marks) / f"{raws[0].id}.{tries}").touch()
    if tries == 0:
        raise ConnectionError("worker lost")
    return read_partition(raws)


def broken_read(marks: str, bad: str, raws):
    """Fails on every try for the partition holding article ``bad``."""
    tries = len(list(Path(marks).glob(f"{raws[0].id}.*")))
    (Path(marks) / f"{raws[0].id}.{tries}").touch()
    if any(r.id == bad for r in raws):
        raise ValueError(f"cannot read {bad}")
    return read_partition(raws)


def test_a_failed_partition_is_retried_and_counted_once(client, tmp_path):
    raws = wire_articles(40, seed=3)
    seen: list[str] = []
    parts: list[int] = []
    result = extract_on(client, raws, extra_vocab=VOCAB, partition_size=8, retries=2,
                        task=partial(flaky_read, str(tmp_path)), progress=lambda r: seen.append(r.id),
                        on_partition=lambda i, n: parts.append(i))
    # every partition ran twice, and each article and partition was counted once
    assert _tries(tmp_path) == sorted(f"wire-{k:04d}.txt.{t}" for k in range(0, 40, 8) for t in (0, 1))
    assert seen == [r.id for r in raws] and parts == [0, 1, 2, 3, 4] and result.articles == 40
    assert result.batch.to_dict() == _one_process(raws)


def test_a_partition_failing_every_try_is_named(client, tmp_path):
    raws = wire_articles(24, seed=4)
    task = partial(broken_read, str(tmp_path), "wire-0010.txt")
    with pytest.raises(PartitionFailed) as info:
        extract_on(client, raws, extra_vocab=VOCAB, partition_size=8, retries=1, task=task)
    assert info.value.index == 1 and info.value.article_ids == [f"wire-{k:04d}.txt" for k in range(8, 16)]
    assert "wire-0008.txt .. wire-0015.txt" in str(info.value) and "cannot read wire-0010.txt" in str(info.value)
    assert [t for t in _tries(tmp_path) if t.startswith("wire-0008")] == ["wire-0008.txt.0", "wire-0008.txt.1"]

    # skipped: the rest is the graph of the other articles, in their order
    result = extract_on(client, raws, extra_vocab=VOCAB, partition_size=8, retries=0, task=task, skip_failed=True)
    assert [p.index for p in result.failed] == [1] and result.articles == 16 and result.partitions == 2
    assert result.batch.to_dict() == _one_process(raws[:8] + raws[16:])


def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=600, env={**os.environ, **(env or {})})


def test_cli_extract_on_a_local_cluster_writes_parquet_that_ingest_loads(tmp_path):
    folder = tmp_path / "wire"
    folder.mkdir()
    raws = wire_articles(30, seed=9)
    for raw in raws:
        (folder / raw.id).write_text(raw.text, encoding="utf-8")
    (folder / "zz-copy.txt").write_text(raws[0].text, encoding="utf-8")  # the same text twice: extracted once
    out = tmp_path / "graph"
    p = _cli("extract", str(folder), "--vocab", VOCAB[0], "--cluster", "local:2", "--partition", "4",
             "--out", str(out), "-o", str(tmp_path / "graph.json"))
    assert p.returncode == 0, p.stderr
    assert "30 articles on local:2 in 8 partitions" in p.stderr and "zz-copy.txt: the same text as wire-0000.txt" in p.stderr
    one = _cli("extract", str(folder), "--vocab", VOCAB[0], "--workers", "1")
    assert json.loads((tmp_path / "graph.json").read_text()) == json.loads(one.stdout)
    parquet = read_parquet(out)
    assert parquet.to_dict() == json.loads(one.stdout)
    assert all(a.content_hash for a in parquet.articles.values())

    data = tmp_path / "data"
    for _ in range(2):  # loading twice adds nothing
        p = _cli("ingest", str(out), env={"ACTORGRAPH_DATA": str(data), "ACTORGRAPH_STORE": "embedded"})
        assert p.returncode == 0, p.stderr
    assert "(+0)" in p.stderr
    with EmbeddedStore(data / "graph.sqlite") as store:
        assert store.snapshot().to_dict() == parquet.to_dict()


def test_cli_refuses_a_bad_cluster_address():
    p = _cli("extract", str(EXAMPLES), "--cluster", "local:zero")
    assert p.returncode == 2 and "local:N" in p.stderr
