"""Imported once by the forkserver that ``bot.isolation`` forks its workers from: make them warm.

Importing trafilatura, lxml and the check-worthiness models, and running one small page through
extraction and analysis, costs about a second and sets up caches (trafilatura's date parser
stalled the first page of a process for 1.4 s). Done here once, every worker forked afterwards
starts warm and shares these pages of memory with its siblings instead of holding its own copy.
The sentence encoder too (onnxruntime on one thread, so nothing is running when the forkserver
forks): loaded in each worker it cost 128 MB of each one's own memory and 0.5 s on its first
page; loaded here, 68 MB and 0.2 s.
"""

from __future__ import annotations

import gc
import logging

from bot import stages
from bot.checkworthiness import default_model
from bot.extract import extract_html
from bot.isolation import give_back_memory

log = logging.getLogger(__name__)

_PAGE = (
    "<html><head><title>Harbor budget approved</title>"
    '<meta property="article:published_time" content="2026-01-02"></head><body><article>'
    + "".join(
        f"<p>The council approved a budget of ${n} million for the harbor on Tuesday, officials said. "
        f'According to <a href="https://council.example/{n}">the minutes</a>, spending rose {n} percent.</p>'
        for n in range(2, 7)
    )
    + "</article></body></html>"
).encode()


def warm() -> None:
    """One page through every CPU stage; a failure only costs the warmth, never the forkserver."""
    try:
        default_model()
        article = extract_html(_PAGE, url="https://paper.example/a")
        stages.analyse(article, max_claims=2, encoder=_offline_reports())
    except Exception:  # the forkserver must start whatever happens here
        log.warning("warming the worker processes failed", exc_info=True)
    # Objects made so far live as long as the process: keep the collector from touching (and so
    # copying) their pages in every forked worker. What the warm page left free goes back to the
    # system first, or every worker would inherit it.
    gc.collect()
    gc.freeze()
    give_back_memory()


def _offline_reports() -> bool:
    """The encoder only scores offline reports: with a language model configured (a bot, a queue worker)
    the model picks the claims, and 68 MB of encoder per process tree would be held for nothing.
    (``factcheck check --offline`` with a model configured still gets it, loaded on its first page.)"""
    from bot.config import Settings

    try:
        return not Settings.from_env().llm_configured
    except ValueError:  # a bad setting is reported by the process that reads it; warm up as offline
        return True


warm()
