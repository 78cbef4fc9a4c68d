"""Prompt files: all present, versioned, and rendered without leftover placeholders."""

from __future__ import annotations

import re
from importlib.resources import files

from bot.llm.messages import (
    ArticleView,
    analyse_messages,
    find_claims_messages,
    new_marker,
)
from bot.llm.prompts import PROMPT_NAMES, load_prompts
from tests.support.llm_inputs import (
    article_from_text,
    candidates_for,
    offline_claims_for,
)

TEXT = "Title line\nThe council approved $4 billion on Monday, officials said.\nCrime fell by 12 percent in 2023.\n"


def test_every_prompt_file_ships_in_the_prompts_package():
    root = files("prompts")
    for name in (*PROMPT_NAMES, "VERSION", "__init__.py"):
        assert root.joinpath(name).is_file(), name


def test_version_has_the_file_version_and_a_content_hash():
    prompts = load_prompts()
    base = files("prompts").joinpath("VERSION").read_text().strip()
    assert re.fullmatch(re.escape(base) + r"\+[0-9a-f]{8}", prompts.version)


def test_rendered_messages_have_no_placeholders_left_and_a_fresh_marker():
    prompts = load_prompts()
    article = article_from_text(TEXT)
    candidates = candidates_for(article)
    view = ArticleView.build(article=article, max_chars=10_000)
    marker = new_marker()
    assert marker != new_marker()
    system, user = find_claims_messages(
        prompts=prompts, view=view, candidates=candidates, max_claims=5, language="English", marker=marker
    )
    claims = offline_claims_for(article, candidates)
    system2, user2 = analyse_messages(
        prompts=prompts, view=view, claims=claims, with_summary=True, language="English", marker=marker
    )
    for text in (system, user, system2, user2):
        assert not re.search(r"\$[a-z_]+", text), text
    assert (
        user.startswith("Find the key claims") and f"<<<{marker}\n" in user and user.rstrip().endswith(f"{marker}>>>")
    )
    assert "[P2] The council approved $4 billion" in user
    assert "summary" in system2 and "sourcing_verdict" in system2
    _, user3 = analyse_messages(
        prompts=prompts, view=view, claims=claims, with_summary=False, language="English", marker=marker
    )
    system3, _ = analyse_messages(
        prompts=prompts, view=view, claims=claims, with_summary=False, language="English", marker=marker
    )
    assert "sourcing_verdict" not in system3


def test_long_articles_are_cut_to_the_input_cap():
    article = article_from_text("Title\n" + "\n".join(f"Paragraph {i} " + "x" * 500 for i in range(50)))
    view = ArticleView.build(article=article, max_chars=3_000)
    assert view.truncated
    assert sum(len(p.text) for p in view.paragraphs) <= 3_000
    assert "cut for length" in view.render()
