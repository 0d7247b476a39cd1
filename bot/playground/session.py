"""The playground's lines: slash commands as Discord takes them, and a few directives around them.

Every line runs through the real bot as the member you are (`as alice`); what the bot answers, and
whatever it posted meanwhile anywhere in the server, is printed. A line that cannot run prints one
short reason (and the command's usage when that helps); nothing ends the session but `quit`.
"""

from __future__ import annotations

import logging
from typing import Any

from discord import app_commands
from rich.console import Console
from rich.text import Text
from simcord.backend.errors import BackendError, OptionError, SetupError
from simcord.results import InteractionResult, ResponseMessage

from bot.app import user_message
from bot.playground import pacing, slash
from bot.playground.lines import HELP, Seen, duration, pick_by_label, unquote
from bot.playground.render import (
    BUTTON,
    LINK_STYLES,
    SELECTS,
    Controls,
    Renderer,
    button_label,
    controls_of,
    stamp,
)
from bot.playground.slash import LineError
from bot.playground.world import CHANNEL, MODERATOR, World

log = logging.getLogger("kinoclub.playground")

FIRST_PERSON = "alice"
ADVANCE_STEP = 86400
SELECT_KINDS = {5: slash.USER, 6: slash.ROLE, 7: slash.MENTIONABLE, 8: slash.CHANNEL}

class Session:
    def __init__(self, world: World, console: Console, renderer: Renderer | None = None) -> None:
        self.world = world
        self.console = console
        self.render = renderer or Renderer(console, world)
        self.me = FIRST_PERSON
        self.shown: list[Controls] = []
        self.seen: dict[int, Seen] = {}
        self.completion: tuple[slash.Leaf, dict[str, str], str, list[dict[str, Any]]] | None = None
        self.error_cursor = world.env.error_cursor
        self.told_pacing = False
        self._take_history()

    @property
    def member(self):
        return self.world.people[self.me]

    @property
    def prompt(self) -> str:
        return f"{self.me}> "

    # ------------------------------------------------------------ lines

    async def run_line(self, line: str) -> bool:
        """Run one line; False when it asks to leave. Nothing a line does raises out of here."""
        line = line.strip()
        if not line or line.startswith("#"):
            return True
        word, _, rest = line.partition(" ")
        word = word.lower()
        try:
            if line.startswith("/"):
                await self.slash(line)
            elif word in ("quit", "exit"):
                return False
            elif word == "help":
                self.say(HELP)
            elif word == "commands":
                self.list_commands(rest.strip().lstrip("/").lower())
            elif word == "as":
                self.become(rest)
            elif word == "who":
                self.who()
            elif word == "now":
                self.say(f"It is {stamp(self.world.env.now())}.")
            elif word == "complete":
                await self.complete(rest)
            elif word == "pick":
                await self.pick(rest)
            elif word == "click":
                await self.click(rest)
            elif word == "select":
                await self.select(rest)
            elif word == "advance":
                await self.advance(rest)
            else:
                raise LineError(f"Unknown line {line!r}.", "Type `help` for what you can type.")
        except LineError as error:
            self.fail(error.message, error.usage)
        except OptionError as error:
            # What the Discord client refuses before sending anything (a missing or out-of-range option).
            leaf = self._leaf_of(line)
            self.fail(f"Discord would not send that: {self._option_message(error)}", leaf.usage() if leaf else None)
        except SetupError as error:
            self.fail(f"A member could not do that: {str(error).splitlines()[0]}")
        except BackendError as error:
            self.fail(f"Discord refused: {error.message}")
        except TimeoutError:
            self.fail("The bot did not finish in time; the simulated world stopped where it got to.")
        except Exception as error:  # a playground bug must not end the session either
            log.exception("the playground failed on %r", line)
            self.fail(f"The playground failed on that line: {type(error).__name__}: {error}")
        self.report_bot_errors()
        return True

    def say(self, text: str, style: str = "") -> None:
        self.console.print(Text(text, style=style))

    def fail(self, message: str, usage: str | None = None) -> None:
        self.console.print(Text(f"! {message}", style="bold red"), soft_wrap=True)
        if usage:
            self.console.print(Text(f"  {usage}", style="yellow"), soft_wrap=True)

    def report_bot_errors(self) -> None:
        """Errors the bot raised that no member was told about (a UserError is told, so not listed)."""
        env = self.world.env
        errors = env.errors_since(self.error_cursor)
        self.error_cursor = env.error_cursor
        for error in errors:
            if isinstance(error, app_commands.AppCommandError) and user_message(error) is not None:
                continue
            original = getattr(error, "original", error)
            self.fail(f"The bot failed: {type(original).__name__}: {original} (members see an apology; "
                      "the traceback is in the log)")

    # -------------------------------------------------------- directives

    def become(self, name: str) -> None:
        name = unquote(name).lstrip("@").lower()
        if name not in self.world.people:
            raise LineError(f"No one called {name!r} here.", f"People: {', '.join(self.world.people)}")
        self.me = name
        self.say(f"You are {name} now.", "dim")

    def who(self) -> None:
        for name in self.world.people:
            role = f" ({self.world.moderator_role.name})" if name == MODERATOR else ""
            you = "  ← you" if name == self.me else ""
            self.say(f"  {name}{role}{you}")
        self.say(f"In #{CHANNEL} on {self.world.guild.name}; it is {stamp(self.world.env.now())}.", "dim")

    def list_commands(self, prefix: str = "") -> None:
        leaves = [leaf for path, leaf in self.world.commands().leaves.items() if path.startswith(prefix)]
        if not leaves:
            raise LineError(f"No command starts with /{prefix}.", "Type `commands` for all of them.")
        for leaf in leaves:
            line = Text(leaf.usage(), style="bold")
            line.append(f"  {leaf.description}", style="dim")
            self.console.print(line)

    async def slash(self, line: str) -> None:
        invocation = slash.parse(line, self.world.commands())
        values = slash.convert(invocation.leaf, invocation.raw, self.resolve)
        result = await self.member.slash(self.world.channel, invocation.leaf.path, **values)
        await self.show_result(result)

    async def complete(self, rest: str) -> None:
        invocation = slash.parse(rest, self.world.commands())
        leaf = invocation.leaf
        suggesting = [name for name in invocation.raw if leaf.option(name).get("autocomplete")]
        if not suggesting:
            suggesting = [option["name"] for option in leaf.options if option.get("autocomplete")][:1]
        if not suggesting:
            raise LineError(f"No option of /{leaf.path} offers suggestions.", leaf.usage())
        focused = suggesting[-1]
        typed = invocation.raw.get(focused, "")
        others = {name: text for name, text in invocation.raw.items() if name != focused}
        filled = slash.convert(leaf, others, self.resolve, partial=True)
        choices = await self.member.autocomplete(self.world.channel, leaf.path, focused, typed, **filled)
        self.completion = (leaf, dict(invocation.raw), focused, choices)
        self.say(f"{len(choices)} suggestion{'s' if len(choices) != 1 else ''} for {focused}:{typed}",
                 "bold cyan")
        for number, choice in enumerate(choices, 1):
            self.say(f"  {number}. {choice.get('name')}")
        if choices:
            which = "pick 1" if len(choices) == 1 else f"pick 1 to {len(choices)}"
            self.say(f"({which}: send /{leaf.path} with that suggestion chosen, as clicking it in Discord does)", "dim")

    async def pick(self, rest: str) -> None:
        """Choose one of the last suggestions: the command is sent with its value, as Discord does."""
        if self.completion is None:
            raise LineError("Nothing to pick from yet.", "complete /film show title:жур, then pick 1")
        leaf, raw, focused, choices = self.completion
        number = unquote(rest)
        if not number.isdigit() or not 1 <= int(number) <= len(choices):
            raise LineError(f"Pick a suggestion by its number, 1 to {len(choices)}." if choices
                            else "There were no suggestions to pick from.")
        raw = {**raw, focused: str(choices[int(number) - 1]["value"])}
        options = " ".join(f'{name}:"{text}"' if " " in text else f"{name}:{text}" for name, text in raw.items())
        self.say(f"→ /{leaf.path} {options}".rstrip(), "dim")
        values = slash.convert(leaf, raw, self.resolve)
        result = await self.member.slash(self.world.channel, leaf.path, **values)
        await self.show_result(result)

    async def click(self, rest: str) -> None:
        target = unquote(rest)
        if not target:
            raise LineError("Click what?", 'click 1 · click "Share"')
        controls, stored = self._controls(lambda c: c.buttons, "buttons")
        buttons = controls.buttons
        if target.isdigit():
            number = int(target)
            if not 1 <= number <= len(buttons):
                raise LineError(f"There is no button {number}: the last message has {len(buttons)}.",
                                self._button_list(buttons))
            button = buttons[number - 1]
        else:
            button = pick_by_label(buttons, target, button_label, "button", self._button_list(buttons))
        if button.get("disabled"):
            raise LineError(f"The button {button_label(button)!r} is disabled.")
        if button.get("style") in LINK_STYLES:
            self.say(f"That button opens {button.get('url') or 'a store page'} in a browser.")
            return
        pressed = Seen.of(stored)
        result = await self.member.click(ResponseMessage(self.world.env, stored), custom_id=button["custom_id"])
        await self.show_result(result)
        await self._explain_pacing(stored.channel_id, stored.id, pressed)

    async def select(self, rest: str) -> None:
        controls, stored = self._controls(lambda c: c.selects, "menus")
        menu = next((m for m in controls.selects if not m.get("disabled")), controls.selects[0])
        wanted = [word for word, _ in slash.tokenize(rest)]
        if not wanted:
            raise LineError("Select what?", 'select 1 · select "Best first" · select 1 3')
        if menu["type"] == SELECTS[0]:
            options = menu.get("options") or []
            listing = " · ".join(f"{n}. {o.get('label')}" for n, o in enumerate(options, 1))
            values = []
            for text in wanted:
                if text.isdigit():
                    if not 1 <= int(text) <= len(options):
                        raise LineError(f"There is no option {text} in the menu.", listing)
                    values.append(options[int(text) - 1]["value"])
                else:
                    chosen = pick_by_label(options, text, lambda o: o.get("label", ""), "option", listing)
                    values.append(chosen["value"])
        else:
            values = [self.resolve(SELECT_KINDS[menu["type"]], text) for text in wanted]
        result = await self.member.select(ResponseMessage(self.world.env, stored), values,
                                          custom_id=menu["custom_id"])
        await self.show_result(result)

    async def advance(self, rest: str) -> None:
        seconds = duration(rest)
        while seconds > 0:  # a day at a time: SimCord's settle deadline is per call
            step = min(seconds, ADVANCE_STEP)
            await self.world.env.advance_time(step)
            seconds -= step
        self.say(f"It is now {stamp(self.world.env.now())}.", "bold")
        await self.show_changes()

    # ------------------------------------------------------------ output

    async def show_result(self, result: InteractionResult) -> None:
        backend = self.world.env.backend
        if result.modal:
            self.render.modal(result.modal)
        printed: set[int] = set()
        for message in [result.response, *result.followups]:
            if message is None or message.id in printed:
                continue
            stored = backend.get_message(message.channel_id, message.id)
            if not (stored.content or stored.embeds or stored.attachments or stored.components):
                continue  # the "kinoclub is thinking…" placeholder of a deferred reply
            channel = self.render.channel_name(stored.channel_id)
            where = "(only you see this)" if stored.is_ephemeral else f"in {channel}"
            await self._print(stored, f"{self.render.user_name(stored.author_id)} {where}")
            printed.add(message.id)
        if not printed and not result.modal and not result.acknowledged:
            self.fail("The bot did not answer (Discord shows: “The application did not respond”).")
        await self.show_changes()

    async def show_changes(self) -> None:
        """What appeared or changed anywhere in the server (or a member's DMs) since the last look."""
        for stored, before in self._take_history():
            if not stored.visible_to(self.member.id):
                continue
            where = self.render.channel_name(stored.channel_id)
            if where == "DM":
                where = "DM to " + self.render.user_name(self._dm_owner(stored.channel_id))
            edited = " (edited)" if before is not None else ""
            await self._print(stored, f"{self.render.user_name(stored.author_id)} in {where}{edited}", before)

    async def _print(self, stored: Any, heading: str, before: Seen | None = None) -> None:
        controls = await self.render.message(stored, heading, before)
        self.seen[stored.id] = Seen.of(stored)
        if controls is not None:
            self.shown = [c for c in self.shown if c.message_id != stored.id] + [controls]

    def _take_history(self) -> list[tuple[Any, Seen | None]]:
        """Messages new or changed since last seen (with their old signature), marking them all seen."""
        backend = self.world.env.backend
        dms = {channel_id for user_id, channel_id in backend.dm_channels.items()
               if user_id in {p.id for p in self.world.people.values()}}
        changed = []
        for channel_id, messages in backend.messages.items():
            channel = backend.channels.get(channel_id)
            if channel is None or (channel.guild_id != self.world.guild.id and channel_id not in dms):
                continue
            for stored in messages.values():
                now = Seen.of(stored)
                before = self.seen.get(stored.id)
                if before is None or before.signature != now.signature:
                    changed.append((stored, before))
                    self.seen[stored.id] = now
        return sorted(changed, key=lambda item: item[0].id)

    def _dm_owner(self, channel_id: int) -> int:
        for user_id, dm in self.world.env.backend.dm_channels.items():
            if dm == channel_id:
                return user_id
        return 0

    # ----------------------------------------------------------- helpers

    async def _explain_pacing(self, channel_id: int, message_id: int, pressed: Seen) -> None:
        """Said once: a press that left its message as it was, while the bot holds back an edit of it."""
        if self.told_pacing:
            return
        try:
            now = Seen.of(self.world.env.backend.get_message(channel_id, message_id))
        except BackendError:
            return
        if await pacing.counts_held_back(self.world, now.signature == pressed.signature):
            self.told_pacing = True
            self.say(pacing.PACED, "yellow")

    def _controls(self, pick, what: str) -> tuple[Controls, Any]:
        """The last shown message, visible to me, that still has buttons (or menus)."""
        backend = self.world.env.backend
        for shown in reversed(self.shown):
            try:
                stored = backend.get_message(shown.channel_id, shown.message_id)
            except BackendError:
                continue
            if not stored.visible_to(self.member.id):
                continue
            controls = controls_of(stored.channel_id, stored.id, stored.components)
            if pick(controls):
                return controls, stored
        raise LineError(f"No message with {what} has been shown to {self.me} yet.")

    @staticmethod
    def _button_list(buttons: list[dict[str, Any]]) -> str:
        return " ".join(f"{n}. [{button_label(b)}]" for n, b in enumerate(buttons, 1) if b.get("type") == BUTTON)

    def _leaf_of(self, line: str):
        text = line.split(" ", 1)[1] if line.lower().startswith("complete ") else line
        try:
            return slash.parse(text, self.world.commands()).leaf
        except LineError:
            return None

    @staticmethod
    def _option_message(error: OptionError) -> str:
        if error.code == "option-required":
            return f"{error.option}: is required."
        return str(error)

    def resolve(self, kind: int, text: str) -> Any:
        """A member, channel or role of the server, by name (`@boris`, `#film-club`, `@Moderator`)."""
        name = text.strip()
        if kind == slash.CHANNEL:
            key = name.removeprefix("#").casefold()
            for channel_name, handle in self.world.guild.channels.items():
                if channel_name.casefold() == key:
                    return handle
            names = ", ".join(f"#{n}" for n in self.world.guild.channels)
            raise LineError(f"no channel {name!r} here (channels: {names})")
        key = name.removeprefix("@").casefold()
        if kind in (slash.USER, slash.MENTIONABLE) and key in self.world.people:
            return self.world.people[key]
        if kind in (slash.ROLE, slash.MENTIONABLE):
            for role_name, handle in self.world.guild.roles.items():
                if role_name.removeprefix("@").casefold() == key:
                    return handle
        people = ", ".join(f"@{n}" for n in self.world.people)
        roles = ", ".join(f"@{n}" for n in self.world.guild.roles if n != "@everyone")
        known = {slash.USER: people, slash.ROLE: roles}.get(kind, f"{people}, {roles}")
        raise LineError(f"no one called {name!r} here ({known})")

    async def setup_weekly(self) -> None:
        """Make #film-club the weekly channel with the bot's own /club weekly, when the bot has it."""
        leaf = self.world.commands().get("club weekly")
        if leaf is None or leaf.option("channel") is None:
            return
        me, self.me = self.me, MODERATOR
        try:
            line = f"/club weekly channel:#{CHANNEL}"
            self.say(f"{self.prompt}{line}", "bold")
            await self.run_line(line)
            self.console.print()
        finally:
            self.me = me
