"""What the playground reads from a line and remembers between lines: durations ("3d12h"), quoted
words, an item picked by its label, and each message as it was last shown."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass
from typing import Any

from bot.playground.slash import LineError

DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m|s)", re.IGNORECASE)
UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
MAX_ADVANCE = 28 * 86400  # each simulated hour costs real time (SimCord settles the bot at every wake-up)


def duration(text: str) -> float:
    text = text.strip()
    parts = DURATION.findall(text)
    if not parts or DURATION.sub("", text).strip():
        raise LineError(f"Not a duration: {text!r}.", "advance 3d · advance 2h · advance 30m · advance 1d12h")
    seconds = sum(float(amount) * UNITS[unit.lower()] for amount, unit in parts)
    if not 0 < seconds <= MAX_ADVANCE:
        raise LineError("Advance by more than nothing and at most 4 weeks at a time.", "advance 3d")
    return seconds


@dataclass(frozen=True)
class Seen:
    """A message as last shown: enough to tell whether it changed, and what."""

    signature: str
    content: str
    embeds: list[dict[str, Any]]

    @classmethod
    def of(cls, stored: Any) -> Seen:
        signature = json.dumps(
            [stored.content, stored.embeds, stored.components, [a.get("id") for a in stored.attachments]],
            sort_keys=True,
            default=str,
        )
        return cls(signature, stored.content, copy.deepcopy(stored.embeds))


def unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def pick_by_label(items: list[dict[str, Any]], text: str, label, what: str, listing: str) -> dict[str, Any]:
    """The item whose label is `text`: exactly, then ignoring case, then the one label containing it."""
    for test in (
        lambda item: label(item) == text,
        lambda item: label(item).casefold() == text.casefold(),
        lambda item: text.casefold() in label(item).casefold(),
    ):
        found = [item for item in items if test(item)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise LineError(f"More than one {what} matches {text!r}; use its number.", listing)
    raise LineError(f"No {what} {text!r} on the last message.", listing)


HELP = """\
Type what a member types in Discord, or one of these:
  /film show title:cranes            a slash command: its path, then name:value options
  /rate film:"The Cranes Are Flying" score:9     quote values with spaces (or don't: the rest of
                                     the line runs on into the last option)
  as alice                           who you are (mod is a moderator); `who` lists everyone
  complete /film show title:жур      the suggestions Discord would show as you type
  pick 1                             send that command with suggestion 1 chosen
  click 2   or   click "Share"       press a button on the last message that has buttons
  select 2  or   select "I Am Cuba"  choose in the last message's menu (several: select 1 3)
  advance 3d   (or 2h, 30m, 1w2d)    move the clock; prints what the bot posted meanwhile
  now                                the simulated date and time
  commands [word]                    the bot's slash commands and their options
  help, quit
Members, channels and roles are typed by name: member:@boris  channel:#film-club  role:@Moderator.
A file option takes a path: file:@ratings.csv"""
