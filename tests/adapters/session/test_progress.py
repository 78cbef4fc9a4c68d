"""The one progress editor on virtual time: pace, newest state wins, settle, the shared edit budget."""

from __future__ import annotations

import asyncio

from adapters.session.embedded import MemoryEditRate
from adapters.session.progress import Progress, ProgressEditor
from bot.events import ArticleReady, ClaimAnalysed, ClaimsFound
from bot.models import Article, Claim, Sourcing, SourcingStatus
from tests.support.clock import VirtualClock

EPS = 1e-9  # float sums of 0.1 s steps


class Recorder:
    def __init__(self, clock: VirtualClock, *, fail_first: bool = False) -> None:
        self.clock = clock
        self.shown: list[tuple[float, int]] = []  # (time, analysed)
        self.fail_first = fail_first

    async def __call__(self, progress: Progress) -> None:
        if self.fail_first:
            self.fail_first = False
            raise RuntimeError("the platform refused the edit")
        self.shown.append((self.clock(), progress.analysed))


def editor(clock: VirtualClock, recorder: Recorder, **options) -> ProgressEditor:
    return ProgressEditor(recorder, clock=clock, sleep=clock.sleep, **options)


async def settled(clock: VirtualClock, paced: ProgressEditor) -> float:
    """Settle on virtual time; the time it returned at."""
    done: list[float] = []

    async def run() -> None:
        await paced.settle()
        done.append(clock())

    task = asyncio.create_task(run())
    while not task.done():
        await clock.advance(0.05)
    await task
    return done[0]


def step(n: int) -> Progress:
    return Progress(url="https://a.example/x", claims_total=100, analysed=n)


async def test_at_most_one_edit_per_interval_newest_state_first_settled():
    clock = VirtualClock()
    recorder = Recorder(clock)
    paced = editor(clock, recorder, interval_s=1.0, settle_s=0.3)
    started = clock()
    for n in range(1, 41):  # a state every 0.1 s for 4 s
        paced.show(step(n))
        await clock.advance(0.1)
    ended = await settled(clock, paced)
    times = [t for t, _ in recorder.shown]
    states = [n for _, n in recorder.shown]
    assert times[0] - started >= 0.3 - EPS  # a state is shown once it has stood for settle_s
    assert all(b - a >= 1.0 - EPS for a, b in zip(times, times[1:], strict=False)), times
    assert 3 <= len(times) <= 5 and states == sorted(states)  # coalesced, never an older state after a newer
    assert ended - times[-1] >= 1.0 - EPS  # settle waits out the interval: the final edit keeps the pace


async def test_a_quick_end_skips_unsettled_progress_and_does_not_wait():
    """A repeated link answered from the cache: placeholder, then at once the answer."""
    clock = VirtualClock()
    recorder = Recorder(clock)
    paced = editor(clock, recorder, interval_s=1.0, settle_s=0.3)
    paced.show(step(1))
    paced.show(step(2))
    before = clock()
    await asyncio.wait_for(paced.settle(), 1)
    assert recorder.shown == [] and clock() == before


async def test_the_end_during_a_progress_wait_cuts_it_short():
    clock = VirtualClock()
    recorder = Recorder(clock)
    paced = editor(clock, recorder, interval_s=0.2, settle_s=5.0)
    paced.show(step(1))
    await clock.advance(0.05)
    await asyncio.wait_for(paced.settle(), 1)  # no virtual time passes: it did not wait for settle_s
    assert recorder.shown == []


async def test_progress_waits_for_the_shared_pace_and_a_failed_edit_is_not_fatal():
    clock = VirtualClock()
    rate = MemoryEditRate(per_minute=60, burst=1, clock=clock)
    assert await rate.try_take("team")  # the other checks of the workspace used it up
    recorder = Recorder(clock, fail_first=True)
    paced = editor(clock, recorder, interval_s=0.1, settle_s=0.0, rate=rate, rate_scope="team")
    paced.show(step(1))
    await clock.advance(0.5)
    assert recorder.shown == [] and paced.edits == 0  # over the pace: nothing yet
    await clock.advance(1.0)
    assert paced.edits == 1 and recorder.shown == []  # the token came; that edit failed, quietly
    paced.show(step(2))
    await clock.advance(1.2)
    assert [n for _, n in recorder.shown] == [2]
    await settled(clock, paced)


async def test_edit_rate_refills_at_its_rate_up_to_the_burst():
    clock = VirtualClock()
    rate = MemoryEditRate(per_minute=60, burst=2, clock=clock)
    assert [await rate.try_take("t") for _ in range(3)] == [True, True, False]
    assert await rate.try_take("other")  # each workspace has its own pace
    await clock.advance(0.5)
    assert await rate.try_take("t") is False
    await clock.advance(0.5)
    assert await rate.try_take("t") is True and await rate.try_take("t") is False
    await clock.advance(100)
    assert [await rate.try_take("t") for _ in range(3)] == [True, True, False]


def test_progress_follows_the_pipeline_events():
    article = Article(url="https://a.example/x", final_url="https://a.example/x", title="T", text="one two three")
    sourcing = Sourcing(status=SourcingStatus.UNATTRIBUTED)
    claim = Claim(id="c1", quote="one", start=0, end=3, checkworthiness=0.5, sourcing=sourcing)
    progress = Progress(url=article.url).after(ArticleReady(article))
    assert (progress.title, progress.words, progress.claims_total) == ("T", article.word_count, None)
    progress = progress.after(ClaimsFound((claim, claim)))
    assert (progress.claims_total, progress.analysed) == (2, 0)
    progress = progress.after(ClaimAnalysed(claim, index=1, total=2))
    assert (progress.claims_total, progress.analysed, progress.title) == (2, 1, "T")
