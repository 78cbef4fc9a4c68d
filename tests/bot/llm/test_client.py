"""The client is built from Settings alone, with the SDK's retries off."""

from __future__ import annotations

import openai

from bot.config import Settings
from bot.llm import LLMEngine
from bot.llm.client import build_client


def test_openai_compatible_server_from_base_url_without_a_key():
    client = build_client(
        Settings.from_env({"OPENAI_BASE_URL": "http://localhost:11434/v1", "FACTCHECK_MODEL": "llama3.2"})
    )
    assert isinstance(client, openai.AsyncOpenAI) and not isinstance(client, openai.AsyncAzureOpenAI)
    assert str(client.base_url) == "http://localhost:11434/v1/"
    assert client.max_retries == 0
    assert client.api_key  # the SDK needs one; local servers ignore it


def test_openai_with_a_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "from-the-environment")  # must be ignored: Settings only
    client = build_client(Settings.from_env({"OPENAI_API_KEY": "sk-test", "FACTCHECK_LLM_REQUEST_TIMEOUT_S": "12"}))
    assert client.api_key == "sk-test"
    assert str(client.base_url) == "https://api.openai.com/v1/"
    assert client.max_retries == 0 and client.timeout == 12


def test_azure_from_endpoint():
    settings = Settings.from_env(
        {
            "AZURE_OPENAI_ENDPOINT": "https://res.openai.azure.com",
            "AZURE_OPENAI_API_KEY": "az",
            "OPENAI_API_VERSION": "2025-01-01-preview",
        }
    )
    client = build_client(settings)
    assert isinstance(client, openai.AsyncAzureOpenAI)
    assert str(client.base_url) == "https://res.openai.azure.com/openai/"
    assert client.max_retries == 0


async def test_engine_exposes_model_and_prompt_version():
    engine = LLMEngine(settings=Settings.from_env({"OPENAI_API_KEY": "k", "FACTCHECK_MODEL": "gpt-test"}))
    assert engine.model == "gpt-test" and "+" in engine.prompt_version
    await engine.aclose()
