"""Settings from the environment (prefix ``TRANSCASPIAN_``); defaults need no environment at all."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from pydantic import Field, PrivateAttr, model_validator
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
    base_url: str = Field(
        default="",
        description="public URL of the platform, in every DID, QR code and Verify link; "
        "default http://<host>:<port>",
    )
    secret_key: str = Field(
        default="dev-only-change-me-0123456789abcdef",
        min_length=16,
        description="encrypts private keys at rest; set it in production",
    )
    log_level: str = "INFO"
    access_log: bool = Field(default=True, description="log every HTTP request (at INFO)")
    workers: int | None = Field(
        default=None,
        ge=1,
        le=64,
        description="server worker processes; default: one per CPU core this process may use",
    )
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
    _base_url_given: bool = PrivateAttr(default=False)

    @model_validator(mode="after")
    def _derive_base_url(self) -> Settings:
        self._base_url_given = bool(self.base_url)
        if not self.base_url:
            self.base_url = served_url(self.host, self.port)
        return self

    @property
    def base_url_given(self) -> bool:
        """Whether the base URL was set (TRANSCASPIAN_BASE_URL), not derived from host:port."""
        return self._base_url_given

    def serving_at(self, host: str | None = None, port: int | None = None) -> Settings:
        """These settings for a server bound to ``host``:``port`` (each None: as set); a base
        URL that was not set follows them."""
        host, port = host or self.host, port or self.port
        update: dict[str, object] = {"host": host, "port": port}
        if not self._base_url_given:
            update["base_url"] = served_url(host, port)
        return self.model_copy(update=update)


def served_url(host: str, port: int) -> str:
    """``http://host:port``; a wildcard address (0.0.0.0, ::) as 127.0.0.1, an IPv6 one in []."""
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    elif ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def usable_cores() -> int:
    """The CPU cores this process may run on (its affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once from the environment."""
    return Settings()
