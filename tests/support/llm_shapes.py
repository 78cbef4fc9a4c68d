"""How real models write their answers, for the scripted model (``FactcheckModel(shape=..., retype=...)``).

``written_like_a_model`` wraps the JSON the way models do (reasoning first, prose
after it holding braces, a code fence, ids as ``C4`` or ``4``); ``retyped`` makes
quotes near-verbatim the ways models retype them. Each form is one seen in real
runs of the engine.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

from tests.servers.openai_server import Retype, Shape

REASONING = (
    "<think>\nLet me read the article. The claims should be factual {not opinion}. A first draft:\n"
    '```json\n{"claims": []}\n```\nNo, that is empty; I will write the real answer below.\n</think>\n'
)
PROSE_AFTER = "\n\nI hope this helps! The JSON above follows the schema {as requested}. }"
ID_FORMS: tuple[Callable[[int], str], ...] = (lambda n: f"C{n}", lambda n: str(n), lambda n: f"c{n}")


def written_like_a_model(
    *, reasoning: bool = True, prose_after: bool = True, fence: bool = False, odd_ids: bool = True
) -> Shape:
    def shape(_name: str, data: dict[str, Any]) -> str:
        data = copy.deepcopy(data)
        if odd_ids:
            for index, item in enumerate(data.get("analyses", [])):
                number = int(str(item["claim_id"]).lstrip("c"))
                item["claim_id"] = ID_FORMS[index % len(ID_FORMS)](number)
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if fence:
            text = f"Here is my answer:\n```json\n{text}\n```"
        return (REASONING if reasoning else "") + text + (PROSE_AFTER if prose_after else "")

    return shape


def dots(quote: str) -> str:
    """``...`` typed for the article's ``…``."""
    return quote.replace("\u2026", "...")


def spacing(quote: str) -> str:
    """A space the article does not have (``33% of`` for ``33%of``)."""
    return re.sub(r"%(?=\w)", "% ", quote)


def shortened(quote: str) -> str:
    """The middle cut out with `` ... ``."""
    words = quote.split()
    return quote if len(words) < 14 else " ".join(words[:6]) + " ... " + " ".join(words[-5:])


_PARAPHRASE = (
    (r"\bhave risen to\b", "rose to"),
    (r"\bin the emergency department\b", "in the emergency room"),
    (r"\bsay\b", "said"),
    (r"\bthis winter\b", "over the winter"),
)


def paraphrased(quote: str) -> str:
    """A light paraphrase: the same claim in slightly different words."""
    for pattern, replacement in _PARAPHRASE:
        quote = re.sub(pattern, replacement, quote)
    return quote


def retyped(rules: dict[str, Callable[[str], str]]) -> Retype:
    """Retype each quote that contains a key of ``rules`` with that rule; others stay verbatim."""

    def retype(_rank: int, quote: str) -> str:
        for needle, rule in rules.items():
            if needle in quote:
                return rule(quote)
        return quote

    return retype
