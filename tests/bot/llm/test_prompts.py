"""Prompt files: all present, versioned, rendered without leftover placeholders; the article once per request."""

from __future__ import annotations

import re
from importlib.resources import files

from bot.llm import limits
from bot.llm.messages import analyse_messages, find_claims_messages, new_marker
from bot.llm.prompts import PROMPT_NAMES, load_prompts
from bot.llm.view import ArticleView
from bot.models import OutboundLink
from tests.support.llm_inputs import article_from_text, candidates_for, offline_claims_for

TEXT = (
    "Title line\n"
    "Jane Doe/Getty Images\n"
    "The council approved $4 billion on Monday, officials said. It was the largest budget yet.\n"
    "(READ: Why budgets matter)\n"
    "Crime fell by 12 percent in 2023, according to police data.\n"
    "By Jane Doe\n"
)


def _article():
    start = TEXT.index("police data")
    links = [
        OutboundLink(url="https://police.example/data", anchor="police data", start=start, end=start + 11),
        OutboundLink(url="https://twitter.com/intent/tweet?x", anchor="Share", start=0, end=5),
    ]
    return article_from_text(TEXT, title="Title line", links=links)


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
    article = _article()
    candidates = candidates_for(article)
    view = ArticleView.build(article=article, max_chars=10_000)
    found = find_claims_messages(prompts=prompts, view=view, candidates=candidates, max_claims=5, language="English")
    claims = offline_claims_for(article, candidates)
    analyse = analyse_messages(
        prompts=prompts,
        view=view,
        claims=claims,
        analyse=claims,
        with_summary=True,
        language="English",
        cutoff=None,
    )
    assert found.marker != analyse.marker != new_marker()
    for text in (found.system, found.user, analyse.system, analyse.user):
        assert not re.search(r"\$[a-z_]+", text), text
    for messages in (found, analyse):
        assert f"<<<{messages.marker}\n" in messages.user and messages.user.rstrip().endswith(f"{messages.marker}>>>")
        assert f"<<<{messages.marker}" in messages.system
    assert found.user.startswith("Find the key claims")
    assert "[S1] The council approved $4 billion on Monday, officials said. [S2] It was" in found.user
    assert "according to police data[L1]." in found.user and "[L1] https://police.example/data" in found.user
    assert "summary" in analyse.system and "sourcing_verdict" in analyse.system and "flags" in analyse.system
    assert f"at most {limits.COUNTER_POINTS} of the strongest" in analyse.system
    assert "your knowledge stops at your training cut-off" in analyse.system
    per_claim = analyse_messages(
        prompts=prompts,
        view=view,
        claims=claims,
        analyse=claims,
        with_summary=False,
        language="English",
        cutoff="2024-10",
    )
    assert "sourcing_verdict" not in per_claim.system and "your knowledge ends around 2024-10" in per_claim.system


def test_the_article_goes_out_once_without_page_furniture():
    prompts = load_prompts()
    article = _article()
    candidates = candidates_for(article)
    view = ArticleView.build(article=article, max_chars=10_000)
    found = find_claims_messages(prompts=prompts, view=view, candidates=candidates, max_claims=5, language="English")
    claims = offline_claims_for(article, candidates)
    analyse = analyse_messages(
        prompts=prompts, view=view, claims=claims, analyse=claims, with_summary=True, language="English", cutoff=None
    )
    for messages in (found, analyse):
        assert messages.user.count("Crime fell by 12 percent") == 1  # no candidate list or claim copy repeats it
        for furniture in ("Getty Images", "READ:", "By Jane Doe", "twitter.com", "\nTitle line\n"):
            assert furniture not in messages.user, furniture
    assert view.left_out == 4
    assert "S1 " in found.user.split("## Most check-worthy sentences")[1]  # candidates are named by sentence id
    marked = re.findall(r"\u27e6(c\d+)\u27e7", analyse.user)
    assert marked == sorted(marked, key=lambda cid: next(c.start for c in claims if c.id == cid))
    assert len(marked) == len(claims)


def test_long_articles_are_cut_to_the_input_cap():
    article = article_from_text("Title\n" + "\n".join(f"Paragraph {i} " + "x" * 500 + "." for i in range(50)))
    view = ArticleView.build(article=article, max_chars=3_000)
    assert view.truncated
    assert sum(len(p.text) for p in view.paragraphs) <= 3_000
    assert "cut for length" in view.render(sentence_ids=True)
