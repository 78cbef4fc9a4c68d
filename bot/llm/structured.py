"""One LLM step: a chat request that must come back as a given pydantic model.

Structured Outputs (``response_format`` json_schema) first; a server that rejects
it with 400 is remembered and asked in JSON mode, then with the schema in the
prompt only. The answer is read by ``bot.llm.parsing``; an unusable one gets
exactly one repair request, then the step gives up. The repair carries the
previous answer and what is wrong with it, not the article: fixing the form of
an answer does not need the page again. Only an empty answer (nothing to fix)
is asked again as it was. Nothing here raises for LLM faults: the caller gets a
``StepResult`` with a reason in plain words instead.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import Enum
from typing import Any, Generic, TypeVar

import openai
from pydantic import BaseModel

from bot.config import Settings
from bot.llm.parsing import InvalidAnswer, parse_answer, strip_reasoning
from bot.llm.prompts import Prompts
from bot.llm.retry import RetryAfterTooLong, describe_error, with_retries
from bot.llm.schemas import response_format, schema_text
from bot.llm.usage import UsageMeter

T = TypeVar("T", bound=BaseModel)

MAX_ANSWER_IN_REPAIR = 20_000  # characters of the previous answer sent back for repair


class ResponseMode(str, Enum):
    JSON_SCHEMA = "json_schema"
    JSON_OBJECT = "json_object"
    PROMPT_ONLY = "prompt_only"


# The repair request says where the schema is: in response_format, or in the system message.
_REPAIR_WORDING = {
    ResponseMode.JSON_SCHEMA: "repair.json_schema.md",
    ResponseMode.JSON_OBJECT: "repair.schema_in_prompt.md",
    ResponseMode.PROMPT_ONLY: "repair.schema_in_prompt.md",
}


class ModelRefused(Exception):
    """Structured Outputs' explicit refusal (``message.refusal``) instead of an answer."""


class ModeMemory:
    """What the server accepted last time, shared by every step of one engine."""

    def __init__(self) -> None:
        self.mode = ResponseMode.JSON_SCHEMA


@dataclass(frozen=True)
class StepResult(Generic[T]):
    value: T | None
    answers: tuple[str, ...] = ()  # every raw answer, for salvaging partial results
    error: str | None = None  # plain words, secret-free: why value is None
    repaired: bool = False


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

    async def call(self, *, system: str, user: str, marker: str, schema: type[T], max_tokens: int) -> StepResult[T]:
        """``marker``: the data-block marker the system prompt names (the repair fences the answer with it)."""
        answers: list[str] = []
        try:
            async with asyncio.timeout_at(self._deadline):
                return await self._call(
                    system=system, user=user, marker=marker, schema=schema, max_tokens=max_tokens, answers=answers
                )
        except TimeoutError:
            reason = f"the LLM deadline for this report ({self._settings.llm_deadline_s:g} s) passed"
            return StepResult(None, tuple(answers), reason)
        except (openai.OpenAIError, RetryAfterTooLong) as exc:
            return StepResult(None, tuple(answers), describe_error(exc))
        except ModelRefused:
            return StepResult(None, tuple(answers), "the model refused to answer")

    async def _call(
        self, *, system: str, user: str, marker: str, schema: type[T], max_tokens: int, answers: list[str]
    ) -> StepResult[T]:
        first = await self._complete(system=system, user=user, schema=schema, max_tokens=max_tokens)
        answers.append(first)
        try:
            return StepResult(parse_answer(first, schema), tuple(answers))
        except InvalidAnswer as exc:
            problem = exc.problem
        if strip_reasoning(first).strip():
            wording = self._prompts.texts[_REPAIR_WORDING[self._modes.mode]].strip()
            again = self._prompts.render(
                "repair.user.md",
                problem=problem.for_model,
                format_rule=wording,
                marker=marker,
                answer=strip_reasoning(first).strip()[:MAX_ANSWER_IN_REPAIR],
            )
        else:
            again = user  # nothing to repair: ask the question again
        second = await self._complete(system=system, user=again, schema=schema, max_tokens=max_tokens)
        answers.append(second)
        try:
            return StepResult(parse_answer(second, schema), tuple(answers), repaired=True)
        except InvalidAnswer as exc:
            return StepResult(None, tuple(answers), f"{exc.problem.for_reader}, even after one repair request")

    async def _complete(self, *, system: str, user: str, schema: type[BaseModel], max_tokens: int) -> str:
        while True:
            mode = self._modes.mode
            try:
                return await self._request(mode=mode, system=system, user=user, schema=schema, max_tokens=max_tokens)
            except openai.BadRequestError as exc:
                # Many compatible servers reject json_schema (or JSON mode) with a 400: step down once per mode.
                # Other 400s (context too long, bad model name) are final and must not change the mode.
                if mode is ResponseMode.PROMPT_ONLY or not _about_response_format(exc):
                    raise
                self._modes.mode = (
                    ResponseMode.JSON_OBJECT if mode is ResponseMode.JSON_SCHEMA else ResponseMode.PROMPT_ONLY
                )

    async def _request(
        self, *, mode: ResponseMode, system: str, user: str, schema: type[BaseModel], max_tokens: int
    ) -> str:
        extra: dict[str, Any] = {}
        if mode is ResponseMode.JSON_SCHEMA:
            extra["response_format"] = response_format(schema)
        else:
            system = self._prompts.render("schema_in_prompt.md", system=system, schema=schema_text(schema))
            if mode is ResponseMode.JSON_OBJECT:
                extra["response_format"] = {"type": "json_object"}
        messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
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
        if message is not None and getattr(message, "refusal", None) and not message.content:
            raise ModelRefused()  # asking again gets the same refusal, at the same price
        return (message.content or "") if message is not None else ""
