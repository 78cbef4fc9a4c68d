"""The session's front end in a terminal: progress lines on stderr, the report on stdout."""

from __future__ import annotations

import sys
from typing import Literal, TextIO

from adapters.session.progress import Progress
from adapters.terminal import render_markdown, render_text
from adapters.view import words
from adapters.view.html import render_html
from bot.models import Article, Report

Output = Literal["text", "markdown", "json", "html"]


class TerminalFront:
    edit_scope = None

    def __init__(
        self, *, output: Output, quiet: bool = False, out: TextIO | None = None, err: TextIO | None = None
    ) -> None:
        self.output = output
        self.quiet = quiet
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def progress(self, line: str) -> None:
        if not self.quiet:
            print(line, file=self.err, flush=True)

    async def acknowledge(self) -> None:
        pass

    async def refuse(self, text: str) -> None:
        print(f"factcheck: {text}", file=self.err)

    async def post_placeholder(self, progress: Progress) -> None:
        pass

    async def edit_progress(self, progress: Progress) -> None:
        if progress.claims_total is None:
            title = progress.title or words.TERMINAL_UNTITLED
            self.progress(words.TERMINAL_ARTICLE.format(title=title, words=progress.words or 0))
        elif progress.analysed:
            self.progress(words.TERMINAL_ANALYSED.format(done=progress.analysed, total=progress.claims_total))
        else:  # "1 key claim", never "1 key claims"
            self.progress(words.TERMINAL_CLAIMS.format(claims=words.claims_count(progress.claims_total)))

    async def post_report(self, report: Report, *, article: Article | None) -> None:
        if self.output == "json":
            self.out.write(report.model_dump_json(indent=2) + "\n")
        elif self.output == "markdown":
            self.out.write(render_markdown(report))
        elif self.output == "html":  # the full report as one self-contained page
            self.out.write(render_html(report))
        else:
            self.out.write(render_text(report))

    async def post_pointer(self, report: Report, *, pointer: str) -> None:
        await self.post_report(report, article=None)  # a terminal has no earlier thread to point to

    async def post_error(self, text: str) -> None:
        print(f"factcheck: {text}", file=self.err)

    async def attach_file(self, *, filename: str, content: bytes, note: str) -> None:
        pass  # the page is `factcheck check --format html`

    async def permalink(self) -> str | None:
        return None
