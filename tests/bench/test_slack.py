"""The benchmark helper still measures what it says (a tiny in-process run)."""

from __future__ import annotations

from bench.slack_bench import measure_ack


async def test_measure_ack_times_every_event_and_its_placeholder() -> None:
    result = await measure_ack(events=3, warmup=1, in_process=True)
    assert result.statuses == [200, 200, 200]
    assert len(result.ack_ms) == 3 and len(result.placeholder_ms) == 3
    assert all(0 < ack < 3000 for ack in result.ack_ms)  # inside Slack's 3 s retry deadline
    assert all(p > 0 for p in result.placeholder_ms)  # measured from the send, on the same clock
    summary = result.summary()
    assert summary["slack_events"] == 3 and summary["slack_non_200"] == 0
    assert summary["slack_ack_ms_p99"] >= summary["slack_ack_ms_p50"] > 0
