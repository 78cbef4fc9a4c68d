"""Slack's own Block Kit limits, as the local Web API applies them (the real one answers invalid_blocks).

https://docs.slack.dev/reference/block-kit/blocks : at most 50 blocks a message; a text object at
most 3,000 characters (section text, context elements); a context block at most 10 elements; a
header at most 150 characters.
"""

from __future__ import annotations

from typing import Any

MAX_BLOCKS = 50
MAX_TEXT = 3000
MAX_HEADER = 150
MAX_CONTEXT_ELEMENTS = 10


def block_errors(blocks: Any) -> list[str]:
    """Why Slack would refuse these blocks (an empty list when it would accept them)."""
    if not blocks:
        return []
    if not isinstance(blocks, list):
        return ["blocks is not a list"]
    errors = [f"{len(blocks)} blocks (at most {MAX_BLOCKS})"] if len(blocks) > MAX_BLOCKS else []
    for index, block in enumerate(blocks):
        kind = block.get("type")
        text = (block.get("text") or {}).get("text", "")
        limit = MAX_HEADER if kind == "header" else MAX_TEXT
        if len(text) > limit:
            errors.append(f"block {index} ({kind}): text of {len(text)} characters (at most {limit})")
        elements = block.get("elements") or []
        if kind == "context" and len(elements) > MAX_CONTEXT_ELEMENTS:
            errors.append(f"block {index}: {len(elements)} context elements (at most {MAX_CONTEXT_ELEMENTS})")
        for element in elements:
            if isinstance(element, dict) and len(element.get("text") or "") > MAX_TEXT:
                errors.append(f"block {index}: an element of {len(element['text'])} characters (at most {MAX_TEXT})")
    return errors
