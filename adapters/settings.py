"""The base of every adapter's settings: read from the environment once, like the core's ``bot.config``.

Each adapter (the session, Slack, Discord) owns its own settings class, so the core never learns a
platform's variables. Same rules as the core: one alias (the variable) and one default per field,
secrets as ``SecretStr``, and a bad value is one line naming the variable.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class AdapterSettings(BaseSettings):
    model_config = SettingsConfigDict(
        frozen=True,
        extra="ignore",
        populate_by_name=True,
        env_ignore_empty=True,
        case_sensitive=True,
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Settings from ``environ`` alone (tests), or from the process environment when None."""
        try:
            if environ is None:
                return cls()
            given = {name: value for name, value in environ.items() if value.strip() != ""}
            return cls.model_validate(given)
        except ValidationError as exc:
            raise ValueError(explain(exc)) from None

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied (by field name) and validated again."""
        values = {name: getattr(self, name) for name in type(self).model_fields}
        values.update(changes)
        try:
            return type(self).model_validate(values)
        except ValidationError as exc:
            raise ValueError(explain(exc)) from None

    @classmethod
    def variables(cls) -> list[tuple[str, str]]:
        """(environment variable, description) for every field, for ``--help``."""
        found = []
        for field in cls.model_fields.values():
            alias = field.validation_alias if field.validation_alias is not None else field.alias
            names = getattr(alias, "choices", None) or [alias]
            found.append((" or ".join(str(name) for name in names), field.description or ""))
        return found


def explain(exc: ValidationError) -> str:
    """One line per bad variable, naming it and never echoing a secret's value."""
    lines = [f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in exc.errors()]
    return "invalid settings: " + "; ".join(lines)
