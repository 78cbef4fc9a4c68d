"""How much of each thing the model is asked for: one number each, stated here only.

The prompts receive these numbers as placeholders and the engine keeps exactly
as many; when the model writes more, the report keeps the first ones and says so.
"""

from __future__ import annotations

COUNTER_POINTS = 3  # per claim: the strongest reasons it may be wrong
QUESTIONS = 3  # per claim: questions for the reporter
SUMMARY_LINES = 3  # for the article: what it says, what it rests on, what to keep in mind
FLAGS = 5  # for the article: opinion stated as fact and internal inconsistencies
CHECKWORTHY_HINTS = 15  # round 1: the classifier's top sentences, named by id

# A flood guard, not a limit: validation keeps at most this many items of any list, before the limits above.
LIST_FLOOD_CAP = 20
