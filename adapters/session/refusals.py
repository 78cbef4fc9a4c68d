"""Why a session will not run a request, as typed errors handled in one place (``CheckSession``).

Like discord.py's ``app_commands.CheckFailure`` family: admission raises, the session's one handler
decides what (if anything) the asker is told, through the front end's ``refuse``.
"""

from __future__ import annotations

from bot.outcome import Outcome, user_message


class Refusal(Exception):
    """A request the session turned away before any work."""

    outcome: Outcome = Outcome.INTERNAL_ERROR
    quiet = False  # nothing to tell anyone (a repeated delivery)

    @property
    def text(self) -> str:
        return user_message(self.outcome)


class Duplicate(Refusal):
    """This delivery (or the same message and link) was already handled: say nothing twice."""

    outcome = Outcome.OK
    quiet = True


class OnCooldown(Refusal):
    def __init__(self, retry_after_s: float) -> None:
        super().__init__(f"on cooldown for {retry_after_s:.0f} s")
        self.retry_after_s = retry_after_s

    outcome = Outcome.COOLDOWN

    @property
    def text(self) -> str:
        return user_message(self.outcome, f"try again in {max(1, round(self.retry_after_s))} s")


class BudgetReached(Refusal):
    def __init__(self, limit_usd: float) -> None:
        super().__init__(f"daily budget of ${limit_usd:.2f} reached")
        self.limit_usd = limit_usd

    outcome = Outcome.BUDGET_REACHED

    @property
    def text(self) -> str:
        return user_message(self.outcome, f"limit ${self.limit_usd:.2f} a day")


class Busy(Refusal):
    outcome = Outcome.BUSY


class Unanswerable(Refusal):
    """The platform refused every way to answer (the bot cannot post where it was asked)."""

    quiet = True
