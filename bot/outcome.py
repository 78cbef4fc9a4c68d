"""What happened to a check, as a closed set, and the words users see for each.

Every adapter shows these words and no others, so a newsroom sees the same
message in Slack, Discord and the terminal.
"""

from __future__ import annotations

from enum import Enum


class Outcome(str, Enum):
    OK = "ok"
    NO_LINK = "no_link"  # the message held no link and no text to check
    INVALID_URL = "invalid_url"  # not http(s), userinfo, bad port, unparseable
    BLOCKED_URL = "blocked_url"  # resolves to a private or special address
    DNS_FAILED = "dns_failed"
    FETCH_FAILED = "fetch_failed"  # connection refused, TLS error, reset
    HTTP_ERROR = "http_error"  # 4xx / 5xx from the site
    PAYWALL = "paywall"  # 401/402/403 or a login wall
    NOT_ARTICLE = "not_article"  # PDF, image, unsupported content type
    TOO_LARGE = "too_large"
    TOO_SLOW = "too_slow"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    NO_ARTICLE_TEXT = "no_article_text"  # page fetched but no article text in it
    TOO_COMPLEX = "too_complex"  # extraction and analysis of the page passed their hard time bound
    NOT_TEXT = "not_text"  # CLI: a file or stdin that is binary or in no encoding we can read
    FILE_NOT_FOUND = "file_not_found"  # CLI: a local path that does not exist
    LLM_FAILED = "llm_failed"  # the report came back offline; see its warnings
    COOLDOWN = "cooldown"  # per-user rate limit
    BUSY = "busy"  # too many checks running
    BUDGET_REACHED = "budget_reached"  # the daily LLM spending cap is used up
    INTERNAL_ERROR = "internal_error"

    @property
    def is_target_problem(self) -> bool:
        """The target cannot be fetched or holds no article (CLI exit code 3)."""
        return self in _TARGET_PROBLEMS


_TARGET_PROBLEMS = frozenset(
    {
        Outcome.NO_LINK,
        Outcome.INVALID_URL,
        Outcome.BLOCKED_URL,
        Outcome.DNS_FAILED,
        Outcome.FETCH_FAILED,
        Outcome.HTTP_ERROR,
        Outcome.PAYWALL,
        Outcome.NOT_ARTICLE,
        Outcome.TOO_LARGE,
        Outcome.TOO_SLOW,
        Outcome.TOO_MANY_REDIRECTS,
        Outcome.NO_ARTICLE_TEXT,
        Outcome.TOO_COMPLEX,
        Outcome.NOT_TEXT,
        Outcome.FILE_NOT_FOUND,
    }
)

USER_MESSAGES: dict[Outcome, str] = {
    Outcome.OK: "Fact-check ready.",
    Outcome.NO_LINK: "I found no article link in that message. Paste a link to a news article.",
    Outcome.INVALID_URL: (
        "That link can't be checked: only public http(s) links without a username, password or unusual port."
    ),
    Outcome.BLOCKED_URL: "That link points to a private or internal address, so I won't fetch it.",
    Outcome.DNS_FAILED: "I couldn't find that website (its name does not resolve).",
    Outcome.FETCH_FAILED: "I couldn't reach that website. It may be down; try again later.",
    Outcome.HTTP_ERROR: "The website answered with an error instead of the article.",
    Outcome.PAYWALL: "The article is behind a paywall or login, so I can't read it. Paste its text instead.",
    Outcome.NOT_ARTICLE: "That link isn't a web page I can read (for example a PDF or an image).",
    Outcome.TOO_LARGE: "That page is too large to check.",
    Outcome.TOO_SLOW: "That website took too long to answer, so I stopped.",
    Outcome.TOO_MANY_REDIRECTS: "That link redirects too many times.",
    Outcome.NO_ARTICLE_TEXT: "I fetched the page but found no article text in it.",
    Outcome.TOO_COMPLEX: "That page is too big or too complex to analyse in time, so I stopped.",
    Outcome.NOT_TEXT: "That input isn't readable text (it looks like a binary file or an unknown encoding).",
    Outcome.FILE_NOT_FOUND: "That file doesn't exist or can't be read.",
    Outcome.LLM_FAILED: "The language model failed, so this report has the offline analysis only.",
    Outcome.COOLDOWN: "You're checking links too fast. Please wait a little and try again.",
    Outcome.BUSY: "I'm checking too many links right now. Please try again in a minute.",
    Outcome.BUDGET_REACHED: "Today's fact-checking budget is used up. Checks resume after midnight UTC.",
    Outcome.INTERNAL_ERROR: "Something went wrong on my side while checking this link.",
}


def user_message(outcome: Outcome, detail: str | None = None) -> str:
    """The one sentence a user sees for an outcome, with a short detail if there is one."""
    message = USER_MESSAGES[outcome]
    if detail:
        return f"{message} ({detail})"
    return message


class CheckError(Exception):
    """A check that cannot go on; carries the outcome the user is told about."""

    def __init__(self, outcome: Outcome, detail: str | None = None) -> None:
        super().__init__(f"{outcome.value}: {detail}" if detail else outcome.value)
        self.outcome = outcome
        self.detail = detail

    def __reduce__(self) -> tuple[type[CheckError], tuple[Outcome, str | None]]:
        # Raised in a worker process and re-raised here: pickle it by its fields, not its message.
        return (type(self), (self.outcome, self.detail))

    @property
    def user_message(self) -> str:
        return user_message(self.outcome, self.detail)
