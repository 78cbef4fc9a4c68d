from __future__ import annotations

import asyncio

from adapters.discord.progress import ThrottledEditor


async def test_edits_are_coalesced_and_spaced() -> None:
    sent: list[tuple[float, str]] = []
    loop = asyncio.get_running_loop()

    async def edit(text: str) -> None:
        sent.append((loop.time(), text))

    editor = ThrottledEditor(edit, min_interval_s=0.2)
    for i in range(10):
        editor.update(f"step {i}")
        await asyncio.sleep(0.03)
    await editor.close("done")
    texts = [text for _, text in sent]
    assert texts[-1] == "done"
    assert len(texts) < 10  # coalesced, not one edit per update
    gaps = [b - a for (a, _), (b, _) in zip(sent, sent[1:], strict=False)]
    assert all(gap >= 0.19 for gap in gaps), gaps


async def test_identical_text_is_not_resent() -> None:
    sent: list[str] = []

    async def edit(text: str) -> None:
        sent.append(text)

    editor = ThrottledEditor(edit, min_interval_s=0.0)
    editor.update("a")
    await asyncio.sleep(0.01)
    await editor.close("a")
    assert sent == ["a"]
