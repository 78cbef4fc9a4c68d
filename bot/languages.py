"""Which languages the offline analysis reads, and their names for the one line that says so."""

from __future__ import annotations

READ = frozenset({"en"})  # the check-worthiness models and the sourcing rules are English only
_NAMES = {
    "ar": "Arabic", "bn": "Bengali", "cs": "Czech", "da": "Danish", "de": "German", "el": "Greek", "es": "Spanish",
    "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French", "he": "Hebrew", "hi": "Hindi",
    "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "ja": "Japanese", "ko": "Korean", "nl": "Dutch",
    "no": "Norwegian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sv": "Swedish",
    "sw": "Swahili", "th": "Thai", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
    "zh": "Chinese",
}  # fmt: skip


def reads(language: str | None) -> bool:
    """True for English and for text whose language could not be told (short, mixed): the analysis tries it."""
    return language is None or language in READ


def name(language: str) -> str:
    return _NAMES.get(language, f"language “{language}”")
