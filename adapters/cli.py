"""The ``factcheck`` command.

    factcheck check TARGET [--format text|markdown|json] [--max-claims N] [--offline]
    factcheck checkworthiness < sentences.txt
    factcheck slack | factcheck discord | factcheck discord invite

Exit codes: 0 success, 2 unusable arguments, 3 the target cannot be fetched or holds
no article, 1 anything else. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import NoReturn

from bot.config import Settings
from bot.events import ArticleReady, ClaimAnalysed, ClaimsFound, Finished
from bot.outcome import Outcome

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
    check.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    check.add_argument("--max-claims", type=int, default=None, metavar="N")
    check.add_argument("--offline", action="store_true", help="never call an LLM, even when one is configured")
    check.add_argument("--no-cache", action="store_true", help="do not read or write the report cache")
    check.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    sub.add_parser("checkworthiness", help="score sentences from stdin: score<TAB>Yes|No per line")
    slack = sub.add_parser("slack", help="run the Slack bot (Socket Mode with SLACK_APP_TOKEN, else HTTP on $PORT)")
    slack.add_argument(
        "--mode",
        choices=("auto", "http", "socket"),
        default="auto",
        help="auto: Socket Mode when SLACK_APP_TOKEN is set, else HTTP",
    )
    discord = sub.add_parser("discord", help="run the Discord bot; 'factcheck discord invite' prints the invite URL")
    discord.add_argument("action", nargs="?", choices=("run", "invite"), default="run")
    discord.add_argument("--client-id", type=int, default=None)
    return parser


def _target(raw: str) -> str | Path:
    from bot.pipeline import looks_like_url

    if raw == "-":
        return sys.stdin.read()
    if looks_like_url(raw):
        return raw
    path = Path(raw)
    if path.exists() or path.suffix.lower() in {".html", ".htm", ".txt", ".xhtml"}:
        return path  # a missing file gets FILE_NOT_FOUND from the pipeline
    return raw


async def _run_check(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.terminal import render_markdown, render_text
    from bot.cache import open_cache
    from bot.pipeline import check

    if args.max_claims is not None and args.max_claims < 1:
        print("factcheck: --max-claims must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    target = _target(args.target)
    if isinstance(target, str) and not target.strip():
        print("factcheck: nothing to check (empty input)", file=sys.stderr)
        return EXIT_USAGE
    cache = None if args.no_cache else open_cache(settings)

    def progress(line: str) -> None:
        if not args.quiet:
            print(line, file=sys.stderr, flush=True)

    final: Finished | None = None
    async for event in check(target, settings=settings, offline=args.offline, max_claims=args.max_claims, cache=cache):
        if isinstance(event, ArticleReady):
            progress(f"article: {event.article.title or '(untitled)'} ({event.article.word_count} words)")
        elif isinstance(event, ClaimsFound):
            progress(f"claims: {len(event.claims)} key claims found")
        elif isinstance(event, ClaimAnalysed):
            progress(f"analysed claim {event.index}/{event.total}")
        elif isinstance(event, Finished):
            final = event
    if final is None or final.report is None:
        outcome = final.outcome if final else Outcome.INTERNAL_ERROR
        print(f"factcheck: {final.message if final else 'no result'}", file=sys.stderr)
        return EXIT_TARGET if outcome.is_target_problem else EXIT_ERROR
    report = final.report
    if final.outcome is Outcome.LLM_FAILED:
        progress(f"warning: {final.message}")
    if args.format == "json":
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(render_markdown(report))
    else:
        sys.stdout.write(render_text(report))
    return EXIT_OK


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
            return asyncio.run(_run_check(args, settings))
        if args.command == "checkworthiness":
            return _run_checkworthiness()
        if args.command == "slack":
            from adapters.slack.main import run as run_slack

            run_slack(settings, mode=args.mode)
            return EXIT_OK
        if args.command == "discord":
            from adapters.discord.main import invite_url
            from adapters.discord.main import run as run_discord

            if args.action == "invite":
                print(invite_url(settings, client_id=args.client_id))
                return EXIT_OK
            run_discord(settings)
            return EXIT_OK
    except KeyboardInterrupt:
        return 130
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
