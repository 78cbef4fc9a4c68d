"""Every setting, read from the environment once.

Modules never read ``os.environ`` themselves: they take a :class:`Settings`.
Tests build their own with ``Settings.from_env({...})`` or ``dataclasses.replace``.
Secrets are kept in fields with ``repr=False`` so a logged Settings never shows them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import platformdirs

DEFAULT_MODEL = "gpt-5-mini"
MIB = 1024 * 1024


def _flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def _float(env: Mapping[str, str], name: str, default: float | None) -> float | None:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


def _str(env: Mapping[str, str], name: str, default: str | None = None) -> str | None:
    raw = env.get(name, "").strip()
    return raw or default


def _list(env: Mapping[str, str], name: str) -> tuple[str, ...]:
    raw = env.get(name, "")
    return tuple(part.strip() for part in raw.replace(";", ",").split(",") if part.strip())


def default_cache_path() -> Path:
    return Path(platformdirs.user_cache_dir("factcheck-bot")) / "reports.sqlite3"


@dataclass(frozen=True, kw_only=True)
class Settings:
    # --- fetching (hostile input by default) ---
    allow_private_urls: bool = False  # FACTCHECK_ALLOW_PRIVATE_URLS: local testing only
    fetch_timeout_s: float = 15.0  # FACTCHECK_FETCH_TIMEOUT_S: wall clock, whole fetch
    max_bytes: int = 5 * MIB  # FACTCHECK_MAX_BYTES: decoded body cap
    max_redirects: int = 5  # FACTCHECK_MAX_REDIRECTS
    fetch_attempts: int = 3  # FACTCHECK_FETCH_ATTEMPTS: tenacity, transient failures only
    user_agent: str = "factcheck-bot/0.1 (+https://github.com/factcheck-bot)"  # FACTCHECK_USER_AGENT
    max_links_per_message: int = 3  # FACTCHECK_MAX_LINKS
    fetch_deny: tuple[str, ...] = ()  # FACTCHECK_FETCH_DENY: extra IPs/CIDRs/host names never fetched (the bot's own)

    # --- analysis ---
    max_claims: int = 8  # FACTCHECK_MAX_CLAIMS
    language: str | None = None  # FACTCHECK_LANGUAGE: reply language; default the article's
    max_input_chars: int = 30_000  # FACTCHECK_MAX_INPUT_CHARS: article text sent to the LLM
    # Checks mostly wait on the LLM, so many can run at once; CPU work inside them is queued separately.
    max_concurrent: int = 50  # FACTCHECK_MAX_CONCURRENT: checks running at once (Slack and Discord)
    max_queued: int = 100  # FACTCHECK_MAX_QUEUED: checks waiting for a slot before "busy" (Slack)

    # --- LLM (OpenAI-compatible) ---
    openai_api_key: str | None = field(default=None, repr=False)  # OPENAI_API_KEY
    openai_base_url: str | None = None  # OPENAI_BASE_URL
    model: str = DEFAULT_MODEL  # FACTCHECK_MODEL
    azure_endpoint: str | None = None  # AZURE_OPENAI_ENDPOINT
    azure_api_key: str | None = field(default=None, repr=False)  # AZURE_OPENAI_API_KEY
    openai_api_version: str | None = None  # OPENAI_API_VERSION (Azure)
    llm_deadline_s: float = 120.0  # FACTCHECK_LLM_DEADLINE_S: one deadline per report
    llm_request_timeout_s: float = 60.0  # FACTCHECK_LLM_REQUEST_TIMEOUT_S: one HTTP request
    llm_attempts: int = 3  # FACTCHECK_LLM_ATTEMPTS
    llm_retry_after_cap_s: float = 30.0  # FACTCHECK_LLM_RETRY_AFTER_CAP_S
    price_input_per_m: float | None = None  # FACTCHECK_PRICE_INPUT (per million tokens)
    price_output_per_m: float | None = None  # FACTCHECK_PRICE_OUTPUT (per million tokens)

    # --- cache ---
    cache_path: Path = field(default_factory=default_cache_path)  # FACTCHECK_CACHE_PATH
    cache_ttl_s: int = 24 * 3600  # FACTCHECK_CACHE_TTL_S

    # --- Slack ---
    slack_bot_token: str | None = field(default=None, repr=False)  # SLACK_BOT_TOKEN
    slack_app_token: str | None = field(default=None, repr=False)  # SLACK_APP_TOKEN (Socket Mode)
    slack_signing_secret: str | None = field(default=None, repr=False)  # SLACK_SIGNING_SECRET
    slack_api_url: str | None = None  # FACTCHECK_SLACK_API_URL
    slack_mode: str = "all"  # FACTCHECK_SLACK_MODE: all | mention
    slack_channels: tuple[str, ...] = ()  # FACTCHECK_SLACK_CHANNELS
    port: int = 3000  # PORT

    # --- Discord ---
    discord_token: str | None = field(default=None, repr=False)  # DISCORD_TOKEN (or DISCORD_BOT_TOKEN)
    discord_api_url: str | None = None  # FACTCHECK_DISCORD_API_URL
    discord_guild: int | None = None  # FACTCHECK_DISCORD_GUILD
    discord_auto: bool = False  # FACTCHECK_DISCORD_AUTO
    discord_channels: tuple[str, ...] = ()  # FACTCHECK_DISCORD_CHANNELS
    cooldown_s: float = 30.0  # FACTCHECK_COOLDOWN_S

    log_level: str = "INFO"  # FACTCHECK_LOG_LEVEL

    @property
    def llm_configured(self) -> bool:
        """An LLM is used when any key or base URL is set; otherwise the offline analyzer."""
        return bool(self.openai_api_key or self.openai_base_url or self.azure_endpoint)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        guild = _str(env, "FACTCHECK_DISCORD_GUILD")
        mode = (_str(env, "FACTCHECK_SLACK_MODE", "all") or "all").lower()
        if mode not in {"all", "mention"}:
            raise ValueError("FACTCHECK_SLACK_MODE must be 'all' or 'mention'")
        cache_path = _str(env, "FACTCHECK_CACHE_PATH")
        return cls(
            allow_private_urls=_flag(env, "FACTCHECK_ALLOW_PRIVATE_URLS"),
            fetch_timeout_s=_float(env, "FACTCHECK_FETCH_TIMEOUT_S", 15.0) or 15.0,
            max_bytes=_int(env, "FACTCHECK_MAX_BYTES", 5 * MIB),
            max_redirects=_int(env, "FACTCHECK_MAX_REDIRECTS", 5),
            fetch_attempts=_int(env, "FACTCHECK_FETCH_ATTEMPTS", 3),
            user_agent=_str(env, "FACTCHECK_USER_AGENT", cls.user_agent) or cls.user_agent,
            max_links_per_message=_int(env, "FACTCHECK_MAX_LINKS", 3),
            fetch_deny=_list(env, "FACTCHECK_FETCH_DENY"),
            max_claims=_int(env, "FACTCHECK_MAX_CLAIMS", 8),
            language=_str(env, "FACTCHECK_LANGUAGE"),
            max_input_chars=_int(env, "FACTCHECK_MAX_INPUT_CHARS", 30_000),
            max_concurrent=max(1, _int(env, "FACTCHECK_MAX_CONCURRENT", 50)),
            max_queued=max(0, _int(env, "FACTCHECK_MAX_QUEUED", 100)),
            openai_api_key=_str(env, "OPENAI_API_KEY"),
            openai_base_url=_str(env, "OPENAI_BASE_URL"),
            model=_str(env, "FACTCHECK_MODEL", DEFAULT_MODEL) or DEFAULT_MODEL,
            azure_endpoint=_str(env, "AZURE_OPENAI_ENDPOINT"),
            azure_api_key=_str(env, "AZURE_OPENAI_API_KEY"),
            openai_api_version=_str(env, "OPENAI_API_VERSION"),
            llm_deadline_s=_float(env, "FACTCHECK_LLM_DEADLINE_S", 120.0) or 120.0,
            llm_request_timeout_s=_float(env, "FACTCHECK_LLM_REQUEST_TIMEOUT_S", 60.0) or 60.0,
            llm_attempts=_int(env, "FACTCHECK_LLM_ATTEMPTS", 3),
            llm_retry_after_cap_s=_float(env, "FACTCHECK_LLM_RETRY_AFTER_CAP_S", 30.0) or 30.0,
            price_input_per_m=_float(env, "FACTCHECK_PRICE_INPUT", None),
            price_output_per_m=_float(env, "FACTCHECK_PRICE_OUTPUT", None),
            cache_path=Path(cache_path).expanduser() if cache_path else default_cache_path(),
            cache_ttl_s=_int(env, "FACTCHECK_CACHE_TTL_S", 24 * 3600),
            slack_bot_token=_str(env, "SLACK_BOT_TOKEN"),
            slack_app_token=_str(env, "SLACK_APP_TOKEN"),
            slack_signing_secret=_str(env, "SLACK_SIGNING_SECRET"),
            slack_api_url=_str(env, "FACTCHECK_SLACK_API_URL"),
            slack_mode=mode,
            slack_channels=_list(env, "FACTCHECK_SLACK_CHANNELS"),
            port=_int(env, "PORT", 3000),
            discord_token=_str(env, "DISCORD_TOKEN") or _str(env, "DISCORD_BOT_TOKEN"),
            discord_api_url=_str(env, "FACTCHECK_DISCORD_API_URL"),
            discord_guild=int(guild) if guild else None,
            discord_auto=_flag(env, "FACTCHECK_DISCORD_AUTO"),
            discord_channels=_list(env, "FACTCHECK_DISCORD_CHANNELS"),
            cooldown_s=_float(env, "FACTCHECK_COOLDOWN_S", 30.0) or 0.0,
            log_level=(_str(env, "FACTCHECK_LOG_LEVEL", "INFO") or "INFO").upper(),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings.from_env()
