"""The one place an OpenAI-compatible client is built, from Settings alone.

Every value is passed explicitly so the SDK never falls back to the process
environment, and ``max_retries=0`` because tenacity (bot.llm.retry) is the only
retry layer: two layers would multiply attempts.
"""

from __future__ import annotations

import openai
from pydantic import SecretStr

from bot.config import Settings

DEFAULT_AZURE_API_VERSION = "2024-10-21"
# Local servers (Ollama, llama.cpp, vLLM, LM Studio) ignore the key, but the SDK requires one.
PLACEHOLDER_KEY = "not-needed"


def build_client(settings: Settings) -> openai.AsyncOpenAI:
    """An async client for OpenAI, Azure OpenAI or any OpenAI-compatible server."""
    if settings.azure_endpoint:
        # The model name is used as the deployment name in the request path.
        return openai.AsyncAzureOpenAI(
            azure_endpoint=settings.azure_endpoint,
            api_key=_secret(settings.azure_api_key) or _secret(settings.openai_api_key) or PLACEHOLDER_KEY,
            api_version=settings.openai_api_version or DEFAULT_AZURE_API_VERSION,
            timeout=settings.llm_request_timeout_s,
            max_retries=0,
        )
    return openai.AsyncOpenAI(
        api_key=_secret(settings.openai_api_key) or PLACEHOLDER_KEY,
        base_url=settings.openai_base_url or "https://api.openai.com/v1",
        timeout=settings.llm_request_timeout_s,
        max_retries=0,
    )


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None
