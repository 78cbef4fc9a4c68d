"""manifest.yml and the code agree on the command, the shortcut, the events and the scopes.
(No YAML parser ships with the project, so the checks read the lines themselves.)"""

from __future__ import annotations

import re

from adapters.slack.listeners import COMMAND, SHORTCUT_CALLBACK_ID
from tests.support.paths import REPO

MANIFEST = REPO / "manifest.yml"


def entries(text: str) -> set[str]:
    return {m.group(1) for m in re.finditer(r"^\s*-\s*([\w:.\-/]+)", text, re.MULTILINE)}


def test_manifest_declares_what_the_listeners_handle() -> None:
    text = MANIFEST.read_text(encoding="utf-8")
    assert f"command: {COMMAND}" in text
    assert f"callback_id: {SHORTCUT_CALLBACK_ID}" in text and "type: message" in text
    listed = entries(text)
    assert {"app_mention", "message.channels", "message.groups", "message.im"} <= listed
    assert {"app_mentions:read", "chat:write", "commands", "channels:history", "groups:history", "im:history"} <= listed
    assert "files:write" in listed  # the report page attached in the thread
    assert "socket_mode_enabled: true" in text and "interactivity:\n    is_enabled: true" in text
    assert "\t" not in text  # YAML forbids tabs for indentation
