"""The LLM engine: key claims, context, sourcing gaps and counter-evidence from any OpenAI-compatible model."""

from bot.llm.engine import LLMEngine, LLMResult

__all__ = ["LLMEngine", "LLMResult"]
