"""Evidence for each key claim: the article's own links traced, earlier fact-checks, retrieved passages.

Providers (one module each): the article's links, Wikipedia, Google Fact Check Tools, SearXNG,
Brave Search. Pages go through the hostile-URL fetcher and the article's extractor; passages are
ranked with BM25; copies of the article and its own site are not independent evidence; every
quote shown is the page's own text with a text-fragment link to it. See ``stage`` for the bounds
and ``citations`` for how a model's citations are checked.
"""

from bot.evidence.stage import EvidencePack, gather_evidence
from bot.evidence.step import add_related_passages, add_to_report, collect

__all__ = ["EvidencePack", "add_related_passages", "add_to_report", "collect", "gather_evidence"]
