"""The ``factcheck`` command.

    factcheck check TARGET [--format text|markdown|json|html] [--max-claims N] [--offline]
    factcheck checkworthiness < sentences.txt
    factcheck slack | factcheck discord | factcheck discord invite
    factcheck worker          (with REDIS_URL: runs the checks the slack/discord fronts queue)

Exit codes: 0 success, 2 unusable arguments, 3 the target cannot be fetched or holds
no article, 1 anything else. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from pathlib import Path
from typing import NoReturn

from adapters.queue.errors import RedisUnavailable
from bot.config import Settings
from bot.outcome import Outcome, user_message

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_TARGET = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 too; keep it to one line
        self.print_usage(sys.stderr)
        print(f"factcheck: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="factcheck", description="Fact-check a news article: key claims, sourcing, context.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="check a URL, a local .html/.htm/.txt file, or - for stdin")
    check.add_argument("target")
    check.add_argument("--format", choices=("text", "markdown", "json", "html"), default="text")
    check.add_argument("--max-claims", type=int, default=None, metavar="N")
    check.add_argument("--offline", action="store_true", help="never call an LLM, even when one is configured")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the report cache")
    check.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    sub.add_parser("checkworthiness", help="score sentences from stdin: score<TAB>Yes|No per line")
    slack = sub.add_parser(
        "slack",
        help="run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else HTTP on $PORT)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_settings_help("slack"),
    )
    slack.add_argument(
        "--mode",
        choices=("auto", "http", "socket"),
        default="auto",
        help="auto: Socket Mode when SLACK_APP_TOKEN is set, else HTTP",
    )
    discord = sub.add_parser(
        "discord",
        help="run the Discord bot; 'factcheck discord invite' prints the invite URL",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_settings_help("discord"),
    )
    discord.add_argument("action", nargs="?", choices=("run", "invite"), default="run")
    discord.add_argument("--client-id", type=int, default=None)
    sub.add_parser(
        "worker",
        help="run checks queued in Redis by the slack/discord fronts (needs REDIS_URL)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_settings_help("worker"),
    )
    return parser


def _settings_help(platform: str) -> str:
    """The environment variables a bot command reads, one per line, for its --help."""
    from adapters.discord.settings import DiscordSettings
    from adapters.queue.settings import QueueSettings
    from adapters.session.settings import SessionSettings
    from adapters.slack.settings import SlackSettings

    if platform == "worker":  # a worker answers on every platform it has a token for
        tokens = [row for row in SlackSettings.variables() + DiscordSettings.variables() if "TOKEN" in row[0]]
        rows = QueueSettings.variables() + SessionSettings.variables() + tokens
    else:
        platform_settings = SlackSettings if platform == "slack" else DiscordSettings
        rows = platform_settings.variables() + SessionSettings.variables() + QueueSettings.variables()[:1]
    width = max(len(name) for name, _ in rows)
    lines = [f"  {name.ljust(width)}  {description}" for name, description in rows]
    return "\n".join(
        [
            "settings (environment variables):",
            *lines,
            "  plus the core settings every command reads (OPENAI_*, FACTCHECK_MODEL, ...): see the README",
        ]
    )


class _Unusable(Exception):
    """The target cannot be checked: one line for stderr and the exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def _target(raw: str, settings: Settings) -> str | Path:
    """A URL (as given), an existing file (a Path) or the text on stdin (``-``); else _Unusable."""
    from bot.links import looks_like_url

    if raw == "-":
        return _stdin_text(settings)
    if looks_like_url(raw):
        return raw
    path = Path(raw)
    try:
        if path.is_file():
            return path
        reason = "no such file" if not path.exists() else "not a file"
    except OSError:  # e.g. a pasted paragraph: "File name too long"
        reason = "not a file name"
    if "://" in raw:
        reason = "not a usable URL (spaces or control characters in it?)"
    raise _Unusable(
        f"{_shown(raw)}: {reason}. Give a URL (http:// or https://), an existing file, or - to read text from stdin",
        EXIT_USAGE,
    )


def _stdin_text(settings: Settings) -> str:
    """Text piped in, in whatever encoding it came (pbpaste gives Latin-1 too); binary is refused."""
    from bot.decode import decode_text
    from bot.outcome import CheckError, user_message

    data = sys.stdin.buffer.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        raise _Unusable(user_message(Outcome.TOO_LARGE, f"over {settings.max_bytes} bytes"), EXIT_TARGET)
    try:
        return decode_text(data)
    except CheckError as exc:
        raise _Unusable(exc.user_message, EXIT_TARGET) from None


def _shown(raw: str, limit: int = 60) -> str:
    """The argument as the user typed it, on one line and short enough to read."""
    flat = " ".join(raw.split())
    return repr(flat if len(flat) <= limit else flat[: limit - 1] + "…")


async def _run_check(args: argparse.Namespace, settings: Settings) -> int:
    if args.max_claims is not None and args.max_claims < 1:
        print("factcheck: --max-claims must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    try:
        target = _target(args.target, settings)
    except _Unusable as exc:
        print(f"factcheck: {exc}", file=sys.stderr)
        return exc.exit_code
    if isinstance(target, str) and not target.strip():
        print("factcheck: nothing to check (empty input)", file=sys.stderr)
        return EXIT_USAGE
    if "FACTCHECK_CPU_WORKERS" not in os.environ:
        settings = settings.replace(cpu_workers=1)  # one page: a second warm worker would only cost memory
    _start_workers(settings)  # their imports run on the other core while this process does its own

    from adapters.session.request import CheckRequest
    from adapters.session.runtime import embedded_session
    from adapters.session.settings import SessionSettings
    from adapters.terminal_front import TerminalFront

    if args.max_claims is not None:
        settings = settings.replace(max_claims=args.max_claims)
    kind = "file" if isinstance(target, Path) else "url" if _is_url(target) else "text"
    request = CheckRequest(platform="cli", target=str(target), kind=kind, source=f"cli-{os.getpid()}")
    front = TerminalFront(output=args.format, quiet=args.quiet)
    async with embedded_session(
        settings,
        limits=SessionSettings.from_env(),
        use_cache=not args.no_cache,
        offline=args.offline,
        edit_interval_s=0.0,
        settle_s=0.0,
        attach_page=False,
    ) as session:
        outcome = await session.handle(request, front)
    if outcome is Outcome.LLM_FAILED:
        front.progress(f"warning: {user_message(outcome)}")
    if outcome in {Outcome.OK, Outcome.LLM_FAILED}:
        return EXIT_OK
    return EXIT_TARGET if outcome.is_target_problem else EXIT_ERROR


def _is_url(target: str) -> bool:
    from bot.links import looks_like_url

    return looks_like_url(target)


def _start_workers(settings: Settings) -> None:
    from bot.isolation import shared_pool

    shared_pool(workers=settings.cpu_workers).start()


def _stop_workers() -> None:
    isolation = sys.modules.get("bot.isolation")  # only when the check got as far as starting them
    if isolation is not None:
        isolation.close_shared_pool()


def _run_checkworthiness() -> int:
    from bot.checkworthiness import default_model

    model = default_model()
    sentences = [line.rstrip("\n") for line in sys.stdin]
    scores = model.score(sentences) if sentences else []
    for score in scores:
        sys.stdout.write(f"{score:.4f}\t{'Yes' if model.is_checkworthy(score) else 'No'}\n")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except ValueError as exc:
        print(f"factcheck: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    # For one-shot commands the progress lines are enough; the bots log at the configured level.
    level = logging.WARNING if args.command in {"check", "checkworthiness"} else settings.log_level
    logging.basicConfig(level=level, stream=sys.stderr, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        if args.command == "check":
            try:
                return asyncio.run(_run_check(args, settings))
            finally:
                _stop_workers()
        if args.command == "checkworthiness":
            return _run_checkworthiness()
        from adapters.queue.settings import QueueSettings

        if args.command == "slack":
            from adapters.session.settings import SessionSettings
            from adapters.slack.main import run as run_slack
            from adapters.slack.settings import SlackSettings

            run_slack(
                settings,
                slack=SlackSettings.from_env(),
                limits=SessionSettings.from_env(),
                mode=args.mode,
                queue=QueueSettings.from_env(),
            )
            return EXIT_OK
        if args.command == "discord":
            from adapters.discord.main import invite_url
            from adapters.discord.main import run as run_discord
            from adapters.discord.settings import DiscordSettings
            from adapters.session.settings import SessionSettings

            discord_settings = DiscordSettings.from_env()
            if args.action == "invite":
                print(invite_url(discord_settings, client_id=args.client_id))
                return EXIT_OK
            run_discord(
                settings,
                discord_settings=discord_settings,
                limits=SessionSettings.from_env(),
                queue=QueueSettings.from_env(),
            )
            return EXIT_OK
        if args.command == "worker":
            from adapters.discord.settings import DiscordSettings
            from adapters.queue.platforms import Platforms
            from adapters.queue.worker import run as run_worker
            from adapters.session.settings import SessionSettings
            from adapters.slack.settings import SlackSettings

            platforms = Platforms(slack=SlackSettings.from_env(), discord_settings=DiscordSettings.from_env())
            run_worker(settings, queue=QueueSettings.from_env(), limits=SessionSettings.from_env(), platforms=platforms)
            return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except RedisUnavailable as exc:
        print(f"factcheck: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except ValueError as exc:  # missing tokens and similar configuration problems
        print(f"factcheck: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:  # never a traceback for the user; the log has the detail
        logging.getLogger(__name__).debug("unexpected error", exc_info=True)
        print(f"factcheck: unexpected error: {type(exc).__name__}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_USAGE


if __name__ == "__main__":
    raise SystemExit(main())
