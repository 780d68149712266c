"""Settings from the environment (prefix ``TRANSCASPIAN_``); defaults need no environment at all."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

BUNDLED_DATASET = Path(__file__).parent / "data" / "corridor"


class Settings(BaseSettings):
    """Everything an entrypoint needs to build the platform."""

    model_config = SettingsConfigDict(
        env_prefix="TRANSCASPIAN_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    database_url: str = Field(
        default="sqlite:///transcaspian.sqlite3",
        description="SQLAlchemy URL; PostgreSQL in production (postgresql+psycopg://...)",
    )
    dataset_path: Path = Field(default=BUNDLED_DATASET, description="corridor dataset directory")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    base_url: str = Field(default="http://127.0.0.1:8000", description="public URL of the platform")
    secret_key: str = Field(
        default="dev-only-change-me-0123456789abcdef",
        min_length=16,
        description="encrypts private keys at rest; set it in production",
    )
    log_level: str = "INFO"
    runs_path: Path = Field(default=Path("runs"), description="where simulation runs are written")
    max_body_bytes: int = Field(
        default=2 * 1024 * 1024,
        ge=1024,
        description="largest request body accepted (bytes); larger ones answer 413",
    )
    rate_limit: str = Field(
        default="30/second;300/minute",
        description="requests per client (API token, else address), moving windows; 429 beyond",
    )
    auth_failure_limit: str = Field(
        default="10/minute;100/day",
        description="failed authentications per client address before 429",
    )
    token_lifetime_days: float = Field(
        default=90, gt=0, description="how long a new API token works unless --expires-in says"
    )
    session_lifetime_hours: float = Field(
        default=8, gt=0, description="how long a web sign-in lasts"
    )
    rate_limit_storage: str = Field(
        default="memory://",
        description="where rate counts live: memory:// (one process) or redis://host:6379 "
        "(shared by several API workers)",
    )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
