"""Slash commands typed as text: the bot's own command tree says what exists and what each option takes.

Nothing here lists kinoclub's commands: `CommandIndex` reads them from the bot's `CommandTree`, so a
command added to a cog is usable in the playground the moment the cog loads.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
from discord import app_commands

# Discord's option types (the numbers of the wire format).
SUBCOMMAND, GROUP, STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(1, 12)

TYPE_HINTS = {
    STRING: "text",
    INTEGER: "whole number",
    BOOLEAN: "yes/no",
    USER: "@member",
    CHANNEL: "#channel",
    ROLE: "@role",
    MENTIONABLE: "@member or @role",
    NUMBER: "number",
    ATTACHMENT: "@path/to/file",
}
TRUE = {"true", "yes", "y", "on", "1"}
FALSE = {"false", "no", "n", "off", "0"}
WHOLE = re.compile(r"[-+]?\d+\Z")


class LineError(Exception):
    """A line the playground cannot send as it is; the message says why, `usage` how it would go."""

    def __init__(self, message: str, usage: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage


@dataclass(frozen=True)
class Leaf:
    """One invocable slash command (`film show`), with its options as Discord declares them."""

    path: str
    description: str
    options: tuple[dict[str, Any], ...]

    def option(self, name: str) -> dict[str, Any] | None:
        name = name.lower()
        return next((option for option in self.options if option["name"] == name), None)

    def usage(self) -> str:
        parts = [f"/{self.path}"]
        for option in self.options:
            text = f"{option['name']}:<{_hint(option)}>"
            parts.append(text if option.get("required") else f"[{text}]")
        return " ".join(parts)


def _hint(option: dict[str, Any]) -> str:
    choices = option.get("choices")
    if choices and not option.get("autocomplete"):
        return "|".join(str(choice["name"]) for choice in choices)
    hint = TYPE_HINTS.get(option["type"], "value")
    low, high = option.get("min_value"), option.get("max_value")
    if low is not None and high is not None:
        hint = f"{_number(low)}–{_number(high)}"
    return hint


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class CommandIndex:
    """Every slash command the bot's tree holds for the server, as invocable leaves."""

    def __init__(self, leaves: Iterable[Leaf]) -> None:
        self.leaves = {leaf.path: leaf for leaf in sorted(leaves, key=lambda leaf: leaf.path)}

    @classmethod
    def from_tree(cls, tree: app_commands.CommandTree, guild_id: int | None) -> CommandIndex:
        roots: dict[str, Any] = {}
        chat = discord.AppCommandType.chat_input
        for command in tree.get_commands(type=chat):
            roots[command.name] = command
        if guild_id is not None:
            for command in tree.get_commands(guild=discord.Object(id=guild_id), type=chat):
                roots[command.name] = command
        leaves: list[Leaf] = []

        def visit(node: dict[str, Any], path: list[str]) -> None:
            children = [o for o in node.get("options") or [] if o.get("type") in (SUBCOMMAND, GROUP)]
            if not children:
                leaves.append(Leaf(" ".join(path), node.get("description", ""), tuple(node.get("options") or ())))
            for child in children:
                visit(child, [*path, child["name"]])

        for root in roots.values():
            visit(root.to_dict(tree), [root.name])
        return cls(leaves)

    def __contains__(self, path: str) -> bool:
        return path in self.leaves

    def get(self, path: str) -> Leaf | None:
        return self.leaves.get(path)

    def groups(self) -> set[str]:
        out = set()
        for path in self.leaves:
            words = path.split()
            out.update(" ".join(words[:n]) for n in range(1, len(words)))
        return out

    def below(self, group: str) -> list[str]:
        """The next words that can follow `group` (`film` → add, edit, show, …)."""
        depth = len(group.split())
        return sorted({path.split()[depth] for path in self.leaves if path.startswith(group + " ")})

    def suggest(self, path: str) -> list[str]:
        return difflib.get_close_matches(path, list(self.leaves) + sorted(self.groups()), n=3, cutoff=0.6)


# ----------------------------------------------------------------- tokens


def tokenize(text: str) -> list[tuple[str, bool]]:
    """Split a line on spaces; a quote opens a quoted part only at a word's start or right after `name:`.

    So `film:"The Cranes Are Flying"` is one word and `Ivan's Childhood` needs no quoting. Returns
    (word, quoted) pairs, quoted when the word began with a quote (so it is a value, never `name:`);
    an unclosed quote runs to the end of the line.
    """
    words: list[tuple[str, bool]] = []
    current: list[str] = []
    quoted = False
    started = False
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            if started:
                words.append(("".join(current), quoted))
                current, quoted, started = [], False, False
            i += 1
            continue
        at_start = not started or (current and current[-1] == ":" and ":" not in "".join(current[:-1]))
        if char in "\"'" and at_start:
            end = text.find(char, i + 1)
            end = len(text) if end == -1 else end
            current.append(text[i + 1 : end])
            quoted = quoted or not started
            started = True
            i = end + 1
            continue
        current.append(char)
        started = True
        i += 1
    if started:
        words.append(("".join(current), quoted))
    return words


# --------------------------------------------------------------- invocation


@dataclass
class Invocation:
    leaf: Leaf
    raw: dict[str, str] = field(default_factory=dict)  # option name → the text typed, in typed order


def parse(text: str, index: CommandIndex) -> Invocation:
    """`/film show title:cranes` → the leaf `film show` with {"title": "cranes"} (still text)."""
    words = tokenize(text.strip())
    if not words or not words[0][0].startswith("/") or words[0][0] == "/":
        raise LineError("A slash command starts with / and its name, e.g. /film show title:cranes")
    path = [words[0][0][1:].lower()]
    rest = words[1:]
    groups = index.groups()
    while " ".join(path) not in index:
        joined = " ".join(path)
        if joined not in groups:
            hint = index.suggest(joined)
            raise LineError(
                f"There is no command /{joined} here." + (f" Did you mean /{hint[0]}?" if hint else ""),
                "Type `commands` to list them.",
            )
        if not rest or ":" in rest[0][0]:
            raise LineError(f"/{joined} needs one of: {', '.join(index.below(joined))}",
                            f"e.g. /{joined} {index.below(joined)[0]}")
        word = rest[0][0].lower()
        if word not in index.below(joined):
            raise LineError(f"/{joined} has no subcommand {word!r}; it has: {', '.join(index.below(joined))}")
        path.append(word)
        rest = rest[1:]
    leaf = index.leaves[" ".join(path)]
    invocation = Invocation(leaf)
    current: str | None = None
    for word, quoted in rest:
        name, colon, value = word.partition(":")
        option = leaf.option(name) if colon and not quoted else None
        if option is not None:
            if option["name"] in invocation.raw:
                raise LineError(f"Option {option['name']}: is given twice.", leaf.usage())
            current = option["name"]
            invocation.raw[current] = value
        elif current is not None:
            invocation.raw[current] = f"{invocation.raw[current]} {word}".strip()
        elif colon and not quoted:
            names = ", ".join(o["name"] for o in leaf.options) or "none"
            raise LineError(f"/{leaf.path} has no option {name!r} (options: {names}).", leaf.usage())
        elif leaf.options:
            # A bare word before any option: Discord would put the cursor in the first option, so do we.
            current = leaf.options[0]["name"]
            invocation.raw[current] = word
        else:
            raise LineError(f"/{leaf.path} takes no options.", leaf.usage())
    return invocation


Resolver = Callable[[int, str], Any]


def convert(leaf: Leaf, raw: dict[str, str], resolve: Resolver, *, partial: bool = False) -> dict[str, Any]:
    """The typed values SimCord sends for the text typed; `resolve(type, text)` finds members, channels, roles."""
    values: dict[str, Any] = {}
    for name, text in raw.items():
        option = leaf.option(name)
        assert option is not None
        try:
            values[option["name"]] = _value(option, text, resolve)
        except LineError as error:
            if not partial:
                raise LineError(f"{option['name']}: {error.message}", leaf.usage()) from None
    return values


def _value(option: dict[str, Any], text: str, resolve: Resolver) -> Any:
    kind = option["type"]
    choices = option.get("choices") if not option.get("autocomplete") else None
    if choices:
        for choice in choices:
            if text.casefold() in (str(choice["name"]).casefold(), str(choice["value"]).casefold()):
                return choice["value"]
        raise LineError(f"choose one of {', '.join(str(c['name']) for c in choices)}, not {text!r}")
    if kind == STRING:
        return text
    if kind == INTEGER:
        if not WHOLE.match(text.strip()):
            raise LineError(f"expects a whole number, not {text!r}")
        return int(text)
    if kind == NUMBER:
        try:
            return int(text) if WHOLE.match(text.strip()) else float(text)
        except ValueError:
            raise LineError(f"expects a number, not {text!r}") from None
    if kind == BOOLEAN:
        if text.lower() in TRUE:
            return True
        if text.lower() in FALSE:
            return False
        raise LineError(f"expects yes or no (true/false), not {text!r}")
    if kind == ATTACHMENT:
        path = Path(text[1:] if text.startswith("@") else text).expanduser()
        try:
            return path.name, path.read_bytes()
        except OSError as error:
            raise LineError(f"cannot read the file {str(path)!r}: {error.strerror or error}") from None
    if kind in (USER, CHANNEL, ROLE, MENTIONABLE):
        return resolve(kind, text)
    raise LineError(f"options of type {kind} cannot be typed here")
