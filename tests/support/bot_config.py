"""Test convenience: a bot's three settings objects (core, platform, session) changed through one ``replace``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from adapters.session.settings import SessionSettings
from adapters.settings import AdapterSettings
from bot.config import Settings

P = TypeVar("P", bound=AdapterSettings)


@dataclass(frozen=True)
class BotConfig(Generic[P]):
    core: Settings
    platform: P
    limits: SessionSettings

    def replace(self, **changes: Any) -> BotConfig[P]:
        """Each change goes to the settings object that has the field (an unknown name is an error)."""
        parts: dict[str, dict[str, Any]] = {"core": {}, "platform": {}, "limits": {}}
        for name, value in changes.items():
            for part in ("platform", "limits", "core"):
                if name in type(getattr(self, part)).model_fields:
                    parts[part][name] = value
                    break
            else:
                raise AttributeError(f"no setting named {name!r}")
        return BotConfig(
            core=self.core.replace(**parts["core"]) if parts["core"] else self.core,
            platform=self.platform.replace(**parts["platform"]) if parts["platform"] else self.platform,
            limits=self.limits.replace(**parts["limits"]) if parts["limits"] else self.limits,
        )
