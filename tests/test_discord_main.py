from __future__ import annotations

import base64
import dataclasses
from urllib.parse import parse_qs, urlsplit

import discord
import pytest

from adapters.discord.main import REQUIRED_PERMISSIONS, client_id_from_token, invite_url


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_invite_url_asks_for_exactly_the_needed_permissions(settings):
    query = _query(invite_url(settings, client_id=1234))
    assert query["client_id"] == ["1234"]
    assert query["scope"] == ["bot applications.commands"]
    permissions = discord.Permissions(int(query["permissions"][0]))
    assert permissions == REQUIRED_PERMISSIONS
    granted = {name for name, value in permissions if value}
    assert granted == {
        "read_messages", "send_messages", "send_messages_in_threads",  # read_messages = view_channel
        "create_public_threads", "embed_links", "read_message_history",
    }
    assert not permissions.administrator and not permissions.mention_everyone and not permissions.manage_messages


def test_client_id_comes_from_the_token(settings):
    head = base64.b64encode(b"987654321098765432").decode().rstrip("=")
    token = f"{head}.GhIjKl.abcdefghijklmnopqrstuvwxyz"
    assert client_id_from_token(token) == 987654321098765432
    configured = dataclasses.replace(settings, discord_token=token)
    assert _query(invite_url(configured))["client_id"] == ["987654321098765432"]


def test_invite_url_needs_a_token_or_id(settings):
    with pytest.raises(ValueError):
        invite_url(dataclasses.replace(settings, discord_token=None))
    with pytest.raises(ValueError):
        client_id_from_token("not-base64!!.x.y")
