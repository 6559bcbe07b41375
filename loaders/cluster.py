"""Extraction of a corpus on a Dask cluster: a map over partitions of articles, then one reduce.

Why Dask (``dask.distributed``) and not Ray: a local cluster starts in seconds, as plain processes
(``LocalCluster``, or ``dask scheduler`` and ``dask worker`` on each machine) with nothing else to
run; teams that handle news archives in pandas and Parquet often run it already; and its worker
plugins hold state per worker process, which is how the spaCy pipeline is loaded once per worker
(``ExtractorPlugin``) instead of once per task. Ray would do the map as well (an actor per worker
holding the pipeline) at the cost of its own runtime and object store.

The split is the one ``loaders.parallel`` makes on one machine. Reading an article (spaCy, then
``loaders.article``) depends on that article alone, so it is the map: each task reads one
partition with the worker's ``Extractor.read_serial`` and sends back its ``ArticleGraph`` and
``Article`` per article (plain dataclasses; a parsed ``Doc`` never travels). Resolving actors
across articles depends on every article before, so it is the reduce, run on the client in input
order exactly as ``Extractor.extract`` does: the graph is the one a single process makes, for any
partitioning and any number of workers, and resolving overlaps the map (partitions are consumed in
order as they finish, a bounded number ahead in flight).

A partition that fails is run again (``retries``); one that still fails is named
(``PartitionFailed``: its number and first and last article ids) and, with ``skip_failed``, left
out while the rest goes on. A partition's readings are taken once, after its last try, so nothing
is counted or resolved twice.

Driving Dask yourself::

    from distributed import Client
    from loaders.cluster import extract_on
    with Client("tcp://scheduler:8786") as client:
        result = extract_on(client, raws)          # raws: an iterable of loaders.read.RawArticle
    result.batch                                   # the resolved GraphBatch
"""
from __future__ import annotations

import uuid
from collections import deque
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from distributed import WorkerPlugin, get_worker

from graph.model import Actor, GraphBatch
from loaders.nlp import DEFAULT_MODEL
from loaders.resolve import Resolver
from loaders.vocab import load_vocab

if TYPE_CHECKING:
    from distributed import Client, LocalCluster
    from loaders.read import RawArticle

__all__ = ["ExtractorPlugin", "PartitionFailed", "ClusterResult", "read_partition", "readings_on", "resolve_readings",
           "extract_on", "local_cluster", "connect", "PLUGIN", "PARTITION_ARTICLES"]

PLUGIN = "actorgraph-extractor"
# Articles per task: enough for spaCy's batches and to make the scheduler's overhead (a few ms a
# task) small beside the reading (about 0.3 s an article); few enough that work spreads evenly.
PARTITION_ARTICLES = 32
_AHEAD_PER_WORKER = 3  # partitions in flight per worker, so none waits while the client resolves


class ExtractorPlugin(WorkerPlugin):
    """Loads the extractor (spaCy pipeline and vocabularies) once in each worker process."""

    name = PLUGIN

    def __init__(self, model: str = DEFAULT_MODEL, extra_vocab: tuple[str, ...] = (), batch_size: int = 16):
        self.model, self.extra_vocab, self.batch_size = model, tuple(extra_vocab), batch_size
        self.extractor = None

    def setup(self, worker: Any) -> None:
        from loaders.pipeline import Extractor
        self.extractor = Extractor(model=self.model, extra_vocab=self.extra_vocab, batch_size=self.batch_size)

    def __getstate__(self) -> dict:  # sent to workers without a loaded extractor
        return {**self.__dict__, "extractor": None}


def read_partition(raws: list["RawArticle"]) -> list[tuple[Any, Any]]:
    """The map: (ArticleGraph, Article) per article of one partition, in order ((None, None) for
    one without text), read by this worker's extractor."""
    plugin = get_worker().plugins[PLUGIN]
    return [(graph, meta) for _, graph, meta in plugin.extractor.read_serial(raws)]


class PartitionFailed(RuntimeError):
    """A partition that failed on its every try."""

    def __init__(self, index: int, raws: list["RawArticle"], cause: BaseException):
        self.index, self.cause = index, cause
        self.article_ids = [r.id for r in raws]
        first, last = self.article_ids[0], self.article_ids[-1]
        super().__init__(f"partition {index} ({len(raws)} articles, {first} .. {last}) failed: "
                         f"{type(cause).__name__}: {cause}")


@dataclass
class ClusterResult:
    batch: GraphBatch
    articles: int = 0          # articles resolved into the batch
    partitions: int = 0        # partitions read
    failed: list[PartitionFailed] = field(default_factory=list)


def _workers(client: "Client") -> int:
    return max(1, len(client.scheduler_info().get("workers", {})))


def readings_on(client: "Client", raws: Iterable["RawArticle"], *, partition_size: int = PARTITION_ARTICLES,
                retries: int = 2, task: Callable[[list], list] = read_partition, skip_failed: bool = False,
                failed: list[PartitionFailed] | None = None,
                on_partition: Callable[[int, int], None] | None = None) -> Iterator[tuple]:
    """(raw, ArticleGraph, Article) for every article, in input order, read on the cluster.

    ``raws`` is read lazily, a few partitions per worker ahead, so memory stays bounded. A failed
    partition raises ``PartitionFailed``, or with ``skip_failed`` is appended to ``failed`` and its
    articles left out. ``on_partition(index, articles)`` is called as each partition's readings are
    taken (once per partition). ``task`` is the map (``read_partition``; the tests pass a flaky one)."""
    it = iter(raws)
    pending: deque[tuple[int, list, Any]] = deque()
    index, run = 0, uuid.uuid4().hex[:12]

    def submit() -> None:
        nonlocal index
        part = list(islice(it, max(1, partition_size)))
        if part:
            # pure=False: two partitions of equal articles are still two tasks, each counted
            pending.append((index, part, client.submit(task, part, retries=retries, pure=False,
                                                       key=f"actorgraph-read-{run}-{index}")))
            index += 1

    for _ in range(_workers(client) * _AHEAD_PER_WORKER):
        submit()
    try:
        while pending:
            i, part, future = pending.popleft()
            submit()
            try:
                readings = future.result()
            except Exception as exc:  # the task's own error, or KilledWorker after its tries
                err = PartitionFailed(i, part, exc)
                if not skip_failed:
                    raise err from exc
                if failed is not None:
                    failed.append(err)
                continue
            finally:
                future.release()
            if on_partition:
                on_partition(i, len(part))
            for raw, (graph, meta) in zip(part, readings):
                yield raw, graph, meta
    finally:
        for _, _, future in pending:  # the caller stopped early, or a partition failed
            future.cancel()


def resolve_readings(vocab: Any, readings: Iterable[tuple], existing: Iterable[Actor] = (),
                     progress: Callable[[Any], None] | None = None) -> GraphBatch:
    """The reduce: readings resolved one by one in input order, as ``Extractor.extract`` does."""
    batch = GraphBatch()
    resolver = Resolver(vocab, existing)
    for raw, graph, meta in readings:
        if graph is None:
            continue
        resolver.add(graph, meta, batch)
        if progress:
            progress(raw)
    return batch


def _plugin_config(dask_worker: Any) -> tuple | None:
    plugin = dask_worker.plugins.get(PLUGIN)
    return None if plugin is None else (plugin.model, plugin.extra_vocab, plugin.batch_size)


def register(client: "Client", model: str = DEFAULT_MODEL, extra_vocab: Iterable[str] = (),
             batch_size: int = 16) -> None:
    """Load the extractor in every worker, those that join later included; workers that hold
    one of the same model and vocabularies already keep it (loading spaCy takes seconds)."""
    config = (model, tuple(str(p) for p in extra_vocab), batch_size)
    held = client.run(_plugin_config)
    if held and all(c is not None and (c[0], tuple(c[1]), c[2]) == config for c in held.values()):
        return
    client.register_plugin(ExtractorPlugin(*config), name=PLUGIN)


def extract_on(client: "Client", raws: Iterable["RawArticle"], *, model: str = DEFAULT_MODEL,
               extra_vocab: Iterable[str] = (), existing: Iterable[Actor] = (),
               partition_size: int = PARTITION_ARTICLES, retries: int = 2, skip_failed: bool = False,
               progress: Callable[[Any], None] | None = None,
               on_partition: Callable[[int, int], None] | None = None,
               task: Callable[[list], list] = read_partition) -> ClusterResult:
    """Extract ``raws`` on the cluster ``client`` is connected to: the graph ``Extractor.extract``
    makes of them in one process. Registers ``ExtractorPlugin`` on the workers (the vocabulary
    folders must be readable there); ``progress(raw)`` per article resolved."""
    extra_vocab = tuple(str(Path(p).resolve()) for p in extra_vocab)  # the workers' working folder may differ
    register(client, model, extra_vocab)
    result = ClusterResult(GraphBatch())
    vocab = load_vocab(extra_vocab)  # the reduce needs the vocabularies, not spaCy

    def partition_done(i: int, n: int) -> None:
        result.partitions += 1
        if on_partition:
            on_partition(i, n)

    def counted(raw: Any) -> None:
        result.articles += 1
        if progress:
            progress(raw)

    readings = readings_on(client, raws, partition_size=partition_size, retries=retries, task=task,
                           skip_failed=skip_failed, failed=result.failed, on_partition=partition_done)
    result.batch = resolve_readings(vocab, readings, existing, counted)
    return result


def local_cluster(workers: int, **kwargs: Any) -> "LocalCluster":
    """A scheduler and ``workers`` worker processes on this machine, one thread each (spaCy's
    reading holds the GIL, so threads would not add to it)."""
    from distributed import LocalCluster
    options = {"n_workers": workers, "threads_per_worker": 1, "processes": True, "dashboard_address": None,
               **kwargs}
    return LocalCluster(**options)


def connect(address: str) -> tuple["Client", "LocalCluster | None"]:
    """A client for ``address``: ``local:N`` starts a local cluster of N workers (returned, to be
    closed after the client), anything else is a scheduler's address (``tcp://host:8786``)."""
    from distributed import Client
    if address.startswith("local:"):
        try:
            n = int(address.split(":", 1)[1])
        except ValueError:
            n = 0
        if n < 1:
            raise ValueError(f"--cluster {address!r}: expected local:N with N a whole number of 1 or more")
        cluster = local_cluster(n)
        return Client(cluster), cluster
    return Client(address), None
