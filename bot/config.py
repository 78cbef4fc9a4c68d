"""Every core setting, read from the environment once (pydantic-settings).

Modules never read ``os.environ`` themselves: they take a :class:`Settings`.
Tests build their own with ``Settings.from_env({...})`` and ``settings.replace(...)``.
Each field names its environment variable once, in its alias; secrets are ``SecretStr`` so a
logged or printed Settings never shows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Self

import platformdirs
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

DEFAULT_MODEL = "gpt-5-mini"
MIB = 1024 * 1024

EVIDENCE_PROVIDERS = ("links", "fact_check_tools", "wikipedia", "searxng", "brave")  # the order they are asked in
EVIDENCE_ALIASES = {
    "google": "fact_check_tools",
    "factcheck": "fact_check_tools",
    "fact-check-tools": "fact_check_tools",
}

# A comma (or semicolon) separated list in one variable, not JSON.
CommaList = Annotated[tuple[str, ...], NoDecode]


def default_cache_path() -> Path:
    return Path(platformdirs.user_cache_dir("factcheck-bot")) / "reports.sqlite3"


def var(name: str, *more: str) -> Any:
    """The variable (or variables, first wins) a field is read from."""
    return AliasChoices(name, *more) if more else name


# Set while a Settings is built from a given mapping: the process environment must not fill the gaps.
_GIVEN_ONLY: ContextVar[bool] = ContextVar("factcheck_settings_given_only", default=False)


class EnvSettings(BaseSettings):
    """The base of the core's and every adapter's settings: one alias (the variable) and one default per
    field, secrets as ``SecretStr``, a bad value one line naming the variable."""

    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,
        case_sensitive=True,
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,) if _GIVEN_ONLY.get() else (init_settings, env_settings)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Settings from ``environ`` alone (tests), or from the process environment when None.

        A bad value raises ``ValueError`` naming the variable, so a misconfigured bot says what to fix.
        """
        if environ is None:
            return cls._build({})
        return cls._build({name: value for name, value in environ.items() if value.strip() != ""}, given_only=True)

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied (by field name) and validated again."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        values.update(changes)
        return type(self)._build(values, given_only=True)

    @classmethod
    def variables(cls) -> list[tuple[str, str]]:
        """(environment variable, description) for every field, for ``--help``."""
        found = []
        for field in cls.model_fields.values():
            alias = field.validation_alias if field.validation_alias is not None else field.alias
            names = getattr(alias, "choices", None) or [alias]
            found.append((" or ".join(str(name) for name in names), field.description or ""))
        return found

    @classmethod
    def _build(cls, values: dict[str, Any], *, given_only: bool = False) -> Self:
        token = _GIVEN_ONLY.set(given_only)
        try:
            return cls(**values)
        except ValidationError as exc:
            raise ValueError(explain(exc)) from None
        finally:
            _GIVEN_ONLY.reset(token)


class Settings(EnvSettings):
    # --- fetching (hostile input by default) ---
    allow_private_urls: bool = Field(False, alias=var("FACTCHECK_ALLOW_PRIVATE_URLS"))  # local testing only
    fetch_timeout_s: float = Field(15.0, gt=0, alias=var("FACTCHECK_FETCH_TIMEOUT_S"))  # wall clock, whole fetch
    max_bytes: int = Field(5 * MIB, gt=0, alias=var("FACTCHECK_MAX_BYTES"))  # decoded body cap
    max_redirects: int = Field(5, ge=0, alias=var("FACTCHECK_MAX_REDIRECTS"))
    fetch_attempts: int = Field(3, ge=1, alias=var("FACTCHECK_FETCH_ATTEMPTS"))  # transient failures only
    user_agent: str = Field("factcheck-bot/0.1 (+https://github.com/factcheck-bot)", alias=var("FACTCHECK_USER_AGENT"))
    max_links_per_message: int = Field(3, ge=1, alias=var("FACTCHECK_MAX_LINKS"))
    # Extra IPs, CIDRs and host names never fetched (the bot's own public address).
    fetch_deny: CommaList = Field((), alias=var("FACTCHECK_FETCH_DENY"))

    # --- analysis ---
    max_claims: int = Field(8, ge=1, alias=var("FACTCHECK_MAX_CLAIMS"))
    language: str | None = Field(None, alias=var("FACTCHECK_LANGUAGE"))  # reply language; default the article's
    max_input_chars: int = Field(30_000, gt=0, alias=var("FACTCHECK_MAX_INPUT_CHARS"))  # article text sent to the LLM
    # Checks mostly wait on the LLM, so many can run at once; CPU work inside them is queued separately.
    # Extraction and offline analysis of one page run in a worker process killed past this bound.
    page_timeout_s: float = Field(10.0, gt=0, alias=var("FACTCHECK_PAGE_TIMEOUT_S"))
    cpu_workers: int = Field(2, ge=1, alias=var("FACTCHECK_CPU_WORKERS"))  # worker processes for that CPU work
    # Article text analysed; a longer text is cut (with a note in the report), so work and memory stay bounded.
    max_analysed_chars: int = Field(100_000, ge=1_000, alias=var("FACTCHECK_MAX_ANALYSED_CHARS"))
    max_concurrent: int = Field(50, alias=var("FACTCHECK_MAX_CONCURRENT"))  # checks running at once
    max_queued: int = Field(100, alias=var("FACTCHECK_MAX_QUEUED"))  # checks waiting for a slot before "busy"

    # --- LLM (OpenAI-compatible) ---
    openai_api_key: SecretStr | None = Field(None, alias=var("OPENAI_API_KEY"))
    openai_base_url: str | None = Field(None, alias=var("OPENAI_BASE_URL"))
    model: str = Field(DEFAULT_MODEL, alias=var("FACTCHECK_MODEL"))
    # The model's knowledge cut-off (YYYY, YYYY-MM or YYYY-MM-DD): told to the model and shown in every report.
    model_cutoff: str | None = Field(
        None, pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$", alias=var("FACTCHECK_MODEL_CUTOFF")
    )
    azure_endpoint: str | None = Field(None, alias=var("AZURE_OPENAI_ENDPOINT"))
    azure_api_key: SecretStr | None = Field(None, alias=var("AZURE_OPENAI_API_KEY"))
    openai_api_version: str | None = Field(None, alias=var("OPENAI_API_VERSION"))  # Azure
    llm_deadline_s: float = Field(120.0, gt=0, alias=var("FACTCHECK_LLM_DEADLINE_S"))  # one deadline per report
    llm_request_timeout_s: float = Field(60.0, gt=0, alias=var("FACTCHECK_LLM_REQUEST_TIMEOUT_S"))  # one request
    llm_attempts: int = Field(3, ge=1, alias=var("FACTCHECK_LLM_ATTEMPTS"))
    llm_retry_after_cap_s: float = Field(30.0, ge=0, alias=var("FACTCHECK_LLM_RETRY_AFTER_CAP_S"))
    price_input_per_m: float | None = Field(None, ge=0, alias=var("FACTCHECK_PRICE_INPUT"))  # USD per 1M tokens
    price_output_per_m: float | None = Field(None, ge=0, alias=var("FACTCHECK_PRICE_OUTPUT"))  # USD per 1M tokens

    # --- cache ---
    cache_path: Path = Field(default_factory=default_cache_path, alias=var("FACTCHECK_CACHE_PATH"))
    cache_ttl_s: int = Field(24 * 3600, ge=0, alias=var("FACTCHECK_CACHE_TTL_S"))

    # --- evidence: retrieval per claim (bot.evidence) ---
    # Unset: links and wikipedia, plus every provider whose key or URL is set; "off": none; else a comma list.
    evidence: CommaList = Field((), alias=var("FACTCHECK_EVIDENCE"))
    contact: str | None = Field(None, alias=var("FACTCHECK_CONTACT"))  # e-mail or URL in the User-Agent (Wikimedia)
    wikipedia_api_url: str = Field("https://{lang}.wikipedia.org/w/api.php", alias=var("FACTCHECK_WIKIPEDIA_API_URL"))
    google_fact_check_api_key: SecretStr | None = Field(None, alias=var("GOOGLE_FACT_CHECK_API_KEY"))
    fact_check_tools_url: str = Field(
        "https://factchecktools.googleapis.com/v1alpha1/claims:search", alias=var("FACTCHECK_FACT_CHECK_TOOLS_URL")
    )
    searxng_url: str | None = Field(None, alias=var("FACTCHECK_SEARXNG_URL"))  # e.g. http://searxng:8080
    brave_api_key: SecretStr | None = Field(None, alias=var("BRAVE_API_KEY"))
    brave_search_url: str = Field(
        "https://api.search.brave.com/res/v1/web/search", alias=var("FACTCHECK_BRAVE_SEARCH_URL")
    )
    evidence_pages_per_claim: int = Field(3, ge=0, alias=var("FACTCHECK_EVIDENCE_PAGES_PER_CLAIM"))
    evidence_pages_per_report: int = Field(16, ge=0, alias=var("FACTCHECK_EVIDENCE_PAGES_PER_REPORT"))
    evidence_concurrency: int = Field(6, ge=1, alias=var("FACTCHECK_EVIDENCE_CONCURRENCY"))  # pages at once, per report
    evidence_deadline_s: float = Field(20.0, gt=0, alias=var("FACTCHECK_EVIDENCE_DEADLINE_S"))  # the whole stage
    evidence_page_timeout_s: float = Field(8.0, gt=0, alias=var("FACTCHECK_EVIDENCE_PAGE_TIMEOUT_S"))  # one page
    evidence_cache_ttl_s: int = Field(6 * 3600, ge=0, alias=var("FACTCHECK_EVIDENCE_CACHE_TTL_S"))

    log_level: str = Field("INFO", alias=var("FACTCHECK_LOG_LEVEL"))

    @field_validator("fetch_deny", "evidence", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.replace(";", ",").split(",") if part.strip())
        return value

    @field_validator("evidence", mode="after")
    @classmethod
    def _known_providers(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        names = tuple(EVIDENCE_ALIASES.get(name.lower(), name.lower()) for name in value)
        unknown = [name for name in names if name not in EVIDENCE_PROVIDERS and name != "off"]
        if unknown:
            raise ValueError(f"unknown provider {', '.join(unknown)} (known: off, {', '.join(EVIDENCE_PROVIDERS)})")
        return names

    @field_validator("max_concurrent", mode="after")
    @classmethod
    def _at_least_one(cls, value: int) -> int:
        return max(1, value)  # 0 would let nothing run: clamp rather than refuse to start

    @field_validator("max_queued", mode="after")
    @classmethod
    def _not_negative(cls, value: int) -> int:
        return max(0, value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("cache_path", mode="after")
    @classmethod
    def _expand_user(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def llm_configured(self) -> bool:
        """An LLM is used when any key or base URL is set; otherwise the offline analyzer."""
        return bool(self.openai_api_key or self.openai_base_url or self.azure_endpoint)

    @property
    def evidence_providers(self) -> tuple[str, ...]:
        """The evidence providers to ask, in order: FACTCHECK_EVIDENCE, else the defaults plus every one configured."""
        if "off" in self.evidence:
            return ()
        keyed = {
            "fact_check_tools": self.google_fact_check_api_key is not None,
            "searxng": bool(self.searxng_url),
            "brave": self.brave_api_key is not None,
        }
        wanted = self.evidence or ("links", "wikipedia", *(name for name, ready in keyed.items() if ready))
        # Named without its key or URL, a provider is still listed: the evidence stage says what is missing.
        return tuple(name for name in EVIDENCE_PROVIDERS if name in wanted)


def explain(exc: ValidationError) -> str:
    """One line per bad variable, naming it and never echoing a secret's value."""
    lines = []
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"])
        lines.append(f"{name}: {error['msg']}")
    return "invalid settings: " + "; ".join(lines)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment on first use."""
    return Settings.from_env()
