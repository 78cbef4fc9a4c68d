"""One LLM step: a chat request that must come back as a given pydantic model.

Structured Outputs (``response_format`` json_schema) first; a server that rejects
it with 400 is remembered and asked in JSON mode, then with the schema in the
prompt only. The answer is validated; an invalid one (prose, broken JSON, wrong
shape) gets exactly one repair request, then the step gives up. Nothing here
raises for LLM faults: the caller gets a ``StepResult`` with a reason instead.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

import openai
from openai.lib import type_to_response_format_param
from pydantic import BaseModel, ValidationError

from bot.config import Settings
from bot.llm.prompts import Prompts
from bot.llm.retry import RetryAfterTooLong, describe_error, with_retries
from bot.llm.usage import UsageMeter

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


class ResponseMode(str, Enum):
    JSON_SCHEMA = "json_schema"
    JSON_OBJECT = "json_object"
    PROMPT_ONLY = "prompt_only"


class ModeMemory:
    """What the server accepted last time, shared by every step of one engine."""

    def __init__(self) -> None:
        self.mode = ResponseMode.JSON_SCHEMA


class InvalidAnswer(ValueError):
    """The model answered, but not with the JSON we asked for."""


@dataclass(frozen=True)
class StepResult(Generic[T]):
    value: T | None
    answers: tuple[str, ...] = ()  # every raw answer, for salvaging partial results
    error: str | None = None  # secret-free reason when value is None
    repaired: bool = False


def extract_json(text: str) -> str:
    """The JSON object in an answer that may wrap it in prose or a code fence."""
    stripped = text.strip()
    fence = _FENCE.search(stripped)
    if fence:
        stripped = fence.group(1).strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        return stripped
    first, last = stripped.find("{"), stripped.rfind("}")
    if first < 0 or last <= first:
        raise InvalidAnswer("the answer was prose, not a JSON object")
    return stripped[first : last + 1]


def parse_answer(text: str, schema: type[T]) -> T:
    try:
        return schema.model_validate_json(extract_json(text))
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'answer'}: {error['msg']}" for error in exc.errors()[:6]
        )
        raise InvalidAnswer(f"it did not match the schema ({problems})") from exc


def loads_lenient(text: str) -> Any:
    """Best-effort JSON decoding for salvage; None when there is no JSON at all."""
    try:
        return json.loads(extract_json(text))
    except (InvalidAnswer, ValueError):
        return None


_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "structured output", "json mode")


def _about_response_format(exc: openai.BadRequestError) -> bool:
    text = f"{exc.message} {exc.body}".lower()
    return any(word in text for word in _FORMAT_WORDS)


class StructuredCaller:
    def __init__(
        self,
        *,
        client: openai.AsyncOpenAI,
        settings: Settings,
        model: str,
        prompts: Prompts,
        meter: UsageMeter,
        modes: ModeMemory,
        deadline: float,
    ) -> None:
        self._client = client
        self._settings = settings
        self._model = model
        self._prompts = prompts
        self._meter = meter
        self._modes = modes
        self._deadline = deadline

    async def call(self, *, system: str, user: str, schema: type[T], max_tokens: int) -> StepResult[T]:
        answers: list[str] = []
        try:
            async with asyncio.timeout_at(self._deadline):
                return await self._call(system=system, user=user, schema=schema, max_tokens=max_tokens, answers=answers)
        except TimeoutError:
            reason = f"the LLM deadline for this report ({self._settings.llm_deadline_s:g} s) passed"
            return StepResult(None, tuple(answers), reason)
        except (openai.OpenAIError, RetryAfterTooLong) as exc:
            return StepResult(None, tuple(answers), describe_error(exc))

    async def _call(
        self, *, system: str, user: str, schema: type[T], max_tokens: int, answers: list[str]
    ) -> StepResult[T]:
        conversation = [{"role": "user", "content": user}]
        first = await self._complete(system=system, conversation=conversation, schema=schema, max_tokens=max_tokens)
        answers.append(first)
        try:
            return StepResult(parse_answer(first, schema), tuple(answers))
        except InvalidAnswer as exc:
            problem = str(exc)
        repair = self._prompts.render("repair.user.md", problem=problem)
        conversation = [
            *conversation,
            {"role": "assistant", "content": first[:20_000]},
            {"role": "user", "content": repair},
        ]
        second = await self._complete(system=system, conversation=conversation, schema=schema, max_tokens=max_tokens)
        answers.append(second)
        try:
            return StepResult(parse_answer(second, schema), tuple(answers), repaired=True)
        except InvalidAnswer as exc:
            return StepResult(None, tuple(answers), f"the model's answer was unusable after one repair: {exc}")

    async def _complete(
        self, *, system: str, conversation: list[dict[str, str]], schema: type[BaseModel], max_tokens: int
    ) -> str:
        while True:
            mode = self._modes.mode
            try:
                return await self._request(
                    mode=mode, system=system, conversation=conversation, schema=schema, max_tokens=max_tokens
                )
            except openai.BadRequestError as exc:
                # Many compatible servers reject json_schema (or JSON mode) with a 400: step down once per mode.
                # Other 400s (context too long, bad model name) are final and must not change the mode.
                if mode is ResponseMode.PROMPT_ONLY or not _about_response_format(exc):
                    raise
                self._modes.mode = (
                    ResponseMode.JSON_OBJECT if mode is ResponseMode.JSON_SCHEMA else ResponseMode.PROMPT_ONLY
                )

    async def _request(
        self,
        *,
        mode: ResponseMode,
        system: str,
        conversation: list[dict[str, str]],
        schema: type[BaseModel],
        max_tokens: int,
    ) -> str:
        extra: dict[str, Any] = {}
        if mode is ResponseMode.JSON_SCHEMA:
            extra["response_format"] = type_to_response_format_param(schema)
        else:
            schema_text = json.dumps(schema.model_json_schema(), ensure_ascii=False)
            system = f"{system}\n\nThe JSON Schema of your answer:\n{schema_text}\n"
            if mode is ResponseMode.JSON_OBJECT:
                extra["response_format"] = {"type": "json_object"}
        messages = [{"role": "system", "content": system}, *conversation]
        loop = asyncio.get_running_loop()

        async def send() -> Any:
            remaining = self._deadline - loop.time()
            timeout = max(0.05, min(self._settings.llm_request_timeout_s, remaining))
            return await self._client.chat.completions.create(
                model=self._model,
                messages=messages,  # type: ignore[arg-type]
                max_completion_tokens=max_tokens,
                timeout=timeout,
                **extra,
            )

        completion = await with_retries(
            send,
            attempts=self._settings.llm_attempts,
            retry_after_cap_s=self._settings.llm_retry_after_cap_s,
            deadline=self._deadline,
            on_attempt=self._meter.add_request,
        )
        self._meter.add_tokens(getattr(completion, "usage", None))
        choices = getattr(completion, "choices", None) or []
        if not choices:
            return ""
        message = choices[0].message
        return (message.content or "") if message is not None else ""
