"""What a member would see, in a terminal: messages, embeds, buttons and menus, with rich.

Discord's markdown is turned into rich styles (bold, italics, links, spoilers), mentions into names,
`<t:…>` timestamps into dates on the virtual clock. Files are written to an output folder whose path
is printed (a temporary folder, removed at exit, unless `--out` names one). Buttons show exactly what
a member reads on them (`[◀] [▶]`); `click 2` presses the second, left to right.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from babel.dates import format_datetime, format_timedelta
from rich import box
from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.style import Style
from rich.text import Text
from simcord.backend.errors import BackendError
from simcord.components import walk_components

from bot import i18n
from bot.playground.world import World

BUTTON, STRING_SELECT, TEXT_INPUT, USER_SELECT, ROLE_SELECT, MENTIONABLE_SELECT, CHANNEL_SELECT = 2, 3, 4, 5, 6, 7, 8
SELECTS = (STRING_SELECT, USER_SELECT, ROLE_SELECT, MENTIONABLE_SELECT, CHANNEL_SELECT)
TEXT_DISPLAY = 10
SHORT_FIELD = 70  # a field this long (name and value) or shorter takes one line
LINK_STYLES = (5, 6)  # a link, or a premium (SKU) button: nothing the bot hears about

MENTION = re.compile(r"<(@!?|@&|#)(\d+)>|<t:(-?\d+)(?::([tTdDfFR]))?>|<a?:(\w+):\d+>")
INLINE = re.compile(
    r"\*\*(?P<bold>.+?)\*\*|__(?P<underline>.+?)__|\*(?P<italic>[^\s*](?:.*?[^\s*])?)\*"
    r"|~~(?P<strike>.+?)~~|`(?P<code>[^`]+)`|\|\|(?P<spoiler>.+?)\|\|"
    r"|\[(?P<label>[^\]]+)\]\((?P<url>[^)\s]+)\)"
)


@dataclass
class Controls:
    """The buttons and menus of one message, numbered as shown."""

    channel_id: int
    message_id: int
    buttons: list[dict[str, Any]] = field(default_factory=list)
    selects: list[dict[str, Any]] = field(default_factory=list)


def controls_of(channel_id: int, message_id: int, components: list[dict[str, Any]]) -> Controls:
    controls = Controls(channel_id, message_id)
    for component in walk_components(components):
        if component.get("type") == BUTTON:
            controls.buttons.append(component)
        elif component.get("type") in SELECTS:
            controls.selects.append(component)
    return controls


def button_label(button: dict[str, Any]) -> str:
    """What Discord draws on the button: its emoji, then its label (a custom emoji by its :name:)."""
    emoji = button.get("emoji") or {}
    name = emoji.get("name") or ""
    if name and emoji.get("id"):
        name = f":{name}:"
    parts = [name, button.get("label") or ""]
    return " ".join(part for part in parts if part) or "(no label)"


def button_text(button: dict[str, Any]) -> str:
    """One button as the transcript shows it: `[label]`, a link's address, whether it is disabled."""
    text = f"[{button_label(button)}"
    if button.get("style") in LINK_STYLES and button.get("url"):
        text += f" ↗ {button['url']}"
    return text + (" (disabled)]" if button.get("disabled") else "]")


class Renderer:
    def __init__(self, console: Console, world: World, out_dir: Path | None = None) -> None:
        self.console = console
        self.world = world
        self._out_dir = out_dir
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self._saved: dict[str, Path] = {}
        self._told_click = False

    # ------------------------------------------------------------ names

    def user_name(self, user_id: int) -> str:
        try:
            return self.world.env.backend.get_user(user_id).name
        except BackendError:
            return str(user_id)

    def channel_name(self, channel_id: int) -> str:
        try:
            channel = self.world.env.backend.get_channel(channel_id)
        except BackendError:
            return f"#{channel_id}"
        if channel.guild_id is None:
            return "DM"
        return f"#{channel.name}"

    def role_name(self, role_id: int) -> str:
        for role in self.world.guild.roles.values():
            if role.id == role_id:
                return "@everyone" if role.name == "@everyone" else f"@{role.name}"
        return f"@{role_id}"

    def when(self, unix: int, style: str | None) -> str:
        moment = datetime.fromtimestamp(unix, UTC)
        style = style or "f"
        language = i18n.language_of(self.world.locale)
        if style == "R":
            return relative(moment, self.world.env.now(), language)
        return stamp(moment, style, language)

    def plain(self, text: str) -> str:
        """Mentions, channels, roles and timestamps as a member's client shows them."""

        def swap(match: re.Match[str]) -> str:
            kind, number, unix, style, emoji = match.groups()
            if unix is not None:
                return self.when(int(unix), style)
            if emoji is not None:
                return f":{emoji}:"
            if kind == "#":
                return self.channel_name(int(number))
            if kind == "@&":
                return self.role_name(int(number))
            return "@" + self.user_name(int(number))

        return MENTION.sub(swap, text)

    # ---------------------------------------------------------- markdown

    def markdown(self, text: str, base: Style | str = "") -> Text:
        out = Text()
        for number, line in enumerate(self.plain(text).split("\n")):
            if number:
                out.append("\n")
            style = Style.parse(base) if isinstance(base, str) and base else base or Style()
            if line.startswith("-# "):
                line, style = line[3:], style + Style(dim=True)
            elif re.match(r"#{1,3} ", line):
                line, style = line.lstrip("#").lstrip(), style + Style(bold=True)
            elif line.startswith("> "):
                out.append("│ ", style="dim")
                line = line[2:]
            out.append_text(self._inline(line, style))
        return out

    def _inline(self, text: str, style: Style) -> Text:
        out = Text()
        position = 0
        for match in INLINE.finditer(text):
            out.append(text[position : match.start()], style=style)
            position = match.end()
            kind = match.lastgroup
            if kind == "url":
                out.append_text(self._inline(match["label"], style + Style(underline=True, link=match["url"])))
            elif kind == "code":
                out.append(match["code"], style=style + Style(bold=True))
            elif kind == "spoiler":
                out.append("||", style="dim")
                out.append_text(self._inline(match["spoiler"], style + Style(reverse=True)))
                out.append("||", style="dim")
            else:
                extra = {
                    "bold": Style(bold=True), "underline": Style(underline=True),
                    "italic": Style(italic=True), "strike": Style(strike=True),
                }[kind]
                out.append_text(self._inline(match[kind], style + extra))
        out.append(text[position:], style=style)
        return out

    # ----------------------------------------------------------- messages

    async def message(self, stored: Any, heading: str, before: Any = None) -> Controls | None:
        """Print one message; returns its buttons and menus if it has any.

        With `before` (the message as last shown), an edit shows only what changed, and the controls.
        """
        console = self.console
        console.print(Text(heading, style="bold cyan"))
        if stored.content and (before is None or stored.content != before.content):
            console.print(self.markdown(stored.content))
        files = {}
        for attachment in stored.attachments:
            files[attachment.get("filename")] = await self.save(attachment)
        unchanged = 0
        for number, embed in enumerate(stored.embeds):
            if before is not None and number < len(before.embeds) and before.embeds[number] == embed:
                unchanged += 1
                continue
            console.print(self.embed(embed))
        if unchanged:
            console.print(Text(f"({unchanged} embed{'s' if unchanged != 1 else ''} as before)", style="dim"))
        for component in walk_components(stored.components):
            if component.get("type") == TEXT_DISPLAY and component.get("content"):
                console.print(self.markdown(component["content"]))
        for name, path in files.items():  # unwrapped, so the path can be copied
            console.print(Text(f"[file] {name} {_saved(path)}", style="magenta"), soft_wrap=True)
        controls = controls_of(stored.channel_id, stored.id, stored.components)
        self._print_controls(controls)
        return controls if controls.buttons or controls.selects else None

    def embed(self, embed: dict[str, Any]) -> RenderableType:
        parts: list[RenderableType] = []
        author = (embed.get("author") or {}).get("name")
        if author:
            parts.append(Text(self.plain(author), style="dim"))
        if embed.get("title"):
            link = Style(link=embed["url"]) if embed.get("url") else Style()
            parts.append(self.markdown(embed["title"], Style(bold=True) + link))
        if embed.get("description"):
            parts.append(self.markdown(embed["description"]))
        fields = embed.get("fields") or []
        if fields:
            parts.append(self._fields(fields))
        for kind in ("image", "thumbnail"):
            url = (embed.get(kind) or {}).get("url")
            if url:
                if url.startswith("attachment://"):
                    url = f"{url.removeprefix('attachment://')} (the file below)"
                parts.append(Text(f"[{kind}] {url}", style="magenta"))
        footer = (embed.get("footer") or {}).get("text")
        when = embed.get("timestamp")
        if footer or when:
            text = self.plain(footer or "")
            if when:
                moment = datetime.fromisoformat(when.replace("Z", "+00:00"))
                shown = stamp(moment, "f", i18n.language_of(self.world.locale))
                text = " • ".join(part for part in (text, shown) if part)
            parts.append(Text(text, style="dim"))
        spaced: list[RenderableType] = []
        for part in parts:
            if spaced:
                spaced.append(Text(""))
            spaced.append(part)
        colour = embed.get("color")
        border = f"#{colour:06x}" if isinstance(colour, int) else "grey50"
        return Panel(Group(*spaced), box=box.ROUNDED, border_style=border, expand=False, padding=(0, 1))

    def _fields(self, fields: list[dict[str, Any]]) -> Text:
        """Short fields on one line each (`Director: Mikhail Kalatozov`), long ones under their name."""
        out = Text()
        previous_short = True
        for number, item in enumerate(fields):
            name, value = item.get("name", ""), item.get("value", "")
            short = "\n" not in value and len(name) + len(value) <= SHORT_FIELD
            if number:
                out.append("\n\n" if not (short and previous_short) else "\n")
            out.append_text(self.markdown(name, Style(bold=True)))
            out.append(": " if short else "\n")
            out.append_text(self.markdown(value))
            previous_short = short
        return out

    def _print_controls(self, controls: Controls) -> None:
        if controls.buttons:
            line = Text()
            for number, button in enumerate(controls.buttons, 1):
                if number > 1:
                    line.append(" ")
                line.append(button_text(button), style="dim" if button.get("disabled") else "bold green")
            self.console.print(line)
            if not self._told_click:  # the labels are the member's; how to press them is said once
                self._told_click = True
                self.console.print(Text('(click 1 presses the first button, left to right; click "Share" '
                                        "presses it by its label)", style="dim"))
        for menu in controls.selects:
            placeholder = menu.get("placeholder") or "Choose…"
            state = " (disabled)" if menu.get("disabled") else ""
            self.console.print(Text(f"[menu] {self.plain(placeholder)}{state}", style="bold green"))
            for number, option in enumerate(menu.get("options") or [], 1):
                text = f"  {number}. {option.get('label')}"
                if option.get("description"):
                    text += f" — {option['description']}"
                if option.get("default"):
                    text += " (chosen)"
                self.console.print(Text(self.plain(text)))

    def modal(self, modal: dict[str, Any]) -> None:
        self.console.print(Text(f"A form opened: {modal.get('title', '')}", style="bold cyan"))
        for component in walk_components(modal.get("components") or []):
            if component.get("type") == TEXT_INPUT:
                self.console.print(Text(f"  {component.get('label', component.get('custom_id'))}"))
        self.console.print(Text("(the playground cannot fill forms yet; use the browser: --web)", style="yellow"))

    # -------------------------------------------------------------- files

    @property
    def out_dir(self) -> Path:
        if self._out_dir is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="kinoclub-playground-")
            self._out_dir = Path(self._temporary.name)
        self._out_dir.mkdir(parents=True, exist_ok=True)
        return self._out_dir

    def close(self) -> None:
        """Remove the temporary folder, if files went there; a folder named by `--out` is the visitor's."""
        if self._temporary is not None:
            self._temporary.cleanup()
            self._temporary = None

    async def save(self, attachment: dict[str, Any]) -> Path | None:
        key = str(attachment.get("id") or attachment.get("url"))
        if key in self._saved:
            return self._saved[key]
        data = self.world.env.backend.cdn.get(attachment.get("url", ""))
        if data is None:
            return None
        name = Path(attachment.get("filename") or "file").name
        path = self.out_dir / f"{len(self._saved) + 1:03d}-{name}"
        path.write_bytes(data)
        self._saved[key] = path
        return path


def _saved(path: Path | None) -> str:
    return f"saved to {path}" if path else "(could not be saved)"


def stamp(moment: datetime, style: str = "F", language: str = "en") -> str:
    """A UTC date as Discord's `<t:…:style>` shows it (in UTC: the playground's viewers have no zone),
    in the viewer's language as a Discord client would write it."""
    if language != "en":
        patterns = {"t": "HH:mm", "T": "HH:mm:ss", "d": "dd.MM.y", "D": "d MMMM y", "f": "d MMMM y HH:mm",
                    "F": "EEEE, d MMMM y HH:mm"}
        return f"{format_datetime(moment, patterns[style], locale=language)}" + ("" if style in "dD" else " UTC")
    day = f"{moment.day} {moment:%B %Y}"
    return {
        "t": f"{moment:%H:%M} UTC", "T": f"{moment:%H:%M:%S} UTC", "d": f"{moment:%d/%m/%Y}", "D": day,
        "f": f"{day} {moment:%H:%M} UTC", "F": f"{moment:%A}, {day} {moment:%H:%M} UTC",
    }[style]


def relative(moment: datetime, now: datetime, language: str = "en") -> str:
    seconds = (moment - now).total_seconds()
    if language != "en":
        if abs(seconds) < 60:
            return format_timedelta(0, locale=language)
        return format_timedelta(moment - now, add_direction=True, threshold=1.5, locale=language)
    size = abs(seconds)
    for unit, length in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if size >= length:
            count = round(size / length)
            text = f"{count} {unit}{'s' if count != 1 else ''}"
            break
    else:
        return "now"
    return f"in {text}" if seconds > 0 else f"{text} ago"
