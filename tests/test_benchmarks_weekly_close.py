"""The weekly-close benchmark's table: its rows' values, and when they say "ok" or "MISSED"."""

from __future__ import annotations

import copy

from benchmarks.weekly_close import table_rows


def _outcome(name: str, voters: int, left: int, announced: float | None, done: float) -> dict:
    return {
        "server": name, "voters": voters, "left": left, "lookups": voters, "close_started_after_s": 0.001,
        "lookups_done_after_s": done, "announced_after_s": announced, "closed": True, "left_out": left,
        "left_out_right": True, "counted": voters - left, "counts_right": True, "winner_right": True,
    }


RESULT = {
    "voters": 1000,
    "a": _outcome("Club A", 1000, 50, 0.174, 0.149),
    "b": _outcome("Club B", 5, 0, 0.180, 0.149),
    "reference": _outcome("Club C", 5, 0, 0.008, 0.001),
    "bot_errors": 0,
}


def _statuses(result: dict) -> list[str]:
    return [row[3] for row in table_rows(result)]


def test_a_right_close_on_time_is_ok_and_says_what_was_counted():
    rows = table_rows(RESULT)
    assert _statuses(RESULT) == ["ok", "ok", "", "ok"]
    assert rows[0][0] == "weekly close, A (1,000 voters, 50 left): deadline to announcement"
    assert rows[0][1] == "0.174 s (its 1,000 lookups done at 0.149 s)"
    assert rows[1][1] == "0.180 s (its 5 lookups done at 0.149 s)" and rows[1][2] == "≤ 2 s"
    assert rows[3][1].startswith("A: 50/50 left out, 950/950 counted, 1,000/1,000 looked up;")


def test_b_late_or_never_announced_is_missed():
    late = copy.deepcopy(RESULT)
    late["b"]["announced_after_s"] = 2.5
    assert _statuses(late)[1] == "MISSED"
    never = copy.deepcopy(RESULT)
    never["b"]["announced_after_s"] = None
    assert _statuses(never)[1] == "MISSED" and table_rows(never)[1][1] == "never announced"


def test_a_wrong_count_a_cached_voter_or_a_bot_error_is_missed():
    for change in (
        lambda r: r["a"].update(left_out=49, left_out_right=False),
        lambda r: r["a"].update(counted=1000),
        lambda r: r["a"].update(lookups=999),  # one voter found in the cache: not a real close
        lambda r: r["b"].update(winner_right=False),
        lambda r: r["reference"].update(counts_right=False),
        lambda r: r.update(bot_errors=1),
    ):
        result = copy.deepcopy(RESULT)
        change(result)
        assert _statuses(result)[3] == "MISSED", result
