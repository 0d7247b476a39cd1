"""Rating scales: every score is stored as a whole number 1–10; a server shows it as x/10 or half stars."""

from __future__ import annotations

from enum import StrEnum

from bot.errors import UserError
from bot.i18n import _, number

SETTING = "scale"  # guild setting


class Scale(StrEnum):
    TEN = "ten"  # 1–10
    STARS = "stars"  # 0.5–5 in half stars


def to_score(value: float, scale: Scale) -> int:
    """The stored 1–10 score for what a member typed on the server's scale; UserError if off the scale."""
    if scale is Scale.STARS:
        doubled = value * 2
        if not (1 <= doubled <= 10) or doubled != int(doubled):
            raise UserError(_("On this server's scale a score is 0.5 to 5 stars in half steps (e.g. 3.5)."))
        return int(doubled)
    if not (1 <= value <= 10) or value != int(value):
        raise UserError(_("On this server's scale a score is a whole number from 1 to 10."))
    return int(value)


def show(score: int, scale: Scale) -> str:
    """7 → "7/10" or "★★★½"."""
    if scale is Scale.STARS:
        return "★" * (score // 2) + ("½" if score % 2 else "")
    return f"{score}/10"


def show_average(average: float, scale: Scale) -> str:
    if scale is Scale.STARS:
        return f"{number(average / 2, 2)}★"
    return f"{number(average, 2)}/10"  # 7.50/10, 7,50/10 for a Russian reader
