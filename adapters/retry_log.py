"""Connection retries as one log line each, with the reason: no traceback for a network problem.

slack_sdk's Socket Mode client and discord.py retry a lost connection themselves and log each
attempt with ``logger.exception``; a bot without network then printed a full traceback every few
seconds. A logging filter (the libraries' own output hook) turns those records into one warning
line naming what failed. Records that are not connection retries pass through untouched.
"""

from __future__ import annotations

import logging

import aiohttp


def reason(exc: BaseException) -> str:
    """One line: what failed, without a traceback."""
    if isinstance(exc, aiohttp.ClientConnectorError):
        cause = exc.os_error.strerror or str(exc.os_error) or type(exc.os_error).__name__
        return f"cannot connect to {exc.host}:{exc.port} ({cause})"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class OneLineRetries(logging.Filter):
    """Records whose message holds one of ``markers`` lose their traceback and become warnings."""

    def __init__(self, *markers: str) -> None:
        super().__init__()
        self.markers = markers

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and any(marker in message for marker in self.markers):
            exc = record.exc_info[1]
            said = exc is not None and str(exc) and str(exc) in message  # the library named the error already
            record.msg = message if exc is None or said else f"{message} [{reason(exc)}]"
            record.args = None
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def one_line_retries(logger: logging.Logger, *markers: str) -> None:
    """Install the filter once on ``logger``."""
    if not any(isinstance(f, OneLineRetries) for f in logger.filters):
        logger.addFilter(OneLineRetries(*markers))
