"""The base of every adapter's settings: read from the environment once, like the core's ``bot.config``.

Each adapter (the session, Slack, Discord, the queue) owns its own settings class, so the core never
learns a platform's variables. The rules are the core's (``bot.config.EnvSettings``): one alias (the
variable) and one default per field, secrets as ``SecretStr``, a bad value one line naming the variable.
"""

from __future__ import annotations

from bot.config import EnvSettings, explain


class AdapterSettings(EnvSettings):
    """An adapter's own settings; nothing more than the core's rules."""


__all__ = ["AdapterSettings", "explain"]
