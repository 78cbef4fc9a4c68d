"""FACTCHECK_EVIDENCE and the provider keys pick which evidence providers a report asks."""

from __future__ import annotations

import pytest

from bot.config import Settings


def test_default_is_the_article_links_and_wikipedia() -> None:
    assert Settings.from_env({}).evidence_providers == ("links", "wikipedia")


def test_a_key_or_url_adds_its_provider_to_the_default() -> None:
    settings = Settings.from_env(
        {"GOOGLE_FACT_CHECK_API_KEY": "g", "FACTCHECK_SEARXNG_URL": "http://searxng:8080", "BRAVE_API_KEY": "b"}
    )
    assert settings.evidence_providers == ("links", "fact_check_tools", "wikipedia", "searxng", "brave")


def test_off_disables_every_provider_even_with_keys() -> None:
    assert Settings.from_env({"FACTCHECK_EVIDENCE": "off", "BRAVE_API_KEY": "b"}).evidence_providers == ()


def test_an_explicit_list_is_taken_as_given_with_aliases() -> None:
    settings = Settings.from_env({"FACTCHECK_EVIDENCE": "Wikipedia; google"})
    assert settings.evidence_providers == ("fact_check_tools", "wikipedia")


def test_an_unknown_provider_names_the_variable() -> None:
    with pytest.raises(ValueError, match="FACTCHECK_EVIDENCE.*bing"):
        Settings.from_env({"FACTCHECK_EVIDENCE": "links,bing"})


def test_provider_keys_never_show_in_a_printed_settings() -> None:
    settings = Settings.from_env({"GOOGLE_FACT_CHECK_API_KEY": "AIza-secret", "BRAVE_API_KEY": "brave-secret"})
    assert "AIza-secret" not in repr(settings) and "brave-secret" not in repr(settings)
