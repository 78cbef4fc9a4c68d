"""Sentence spans: offsets into the text, and a remembered split that no caller can change for the next."""

from __future__ import annotations

from bot.sentences import sentence_spans

TEXT = "The council met on Tuesday. It approved the budget.\nOfficials said spending rose 4 percent."


def test_spans_point_into_the_text_paragraph_by_paragraph():
    spans = sentence_spans(TEXT)
    assert [s.text for s in spans] == [
        "The council met on Tuesday.",
        "It approved the budget.",
        "Officials said spending rose 4 percent.",
    ]
    assert all(TEXT[s.start : s.end] == s.text for s in spans)


def test_a_caller_changing_its_list_does_not_change_the_next_callers():
    first = sentence_spans(TEXT)
    first.clear()
    assert len(sentence_spans(TEXT)) == 3
