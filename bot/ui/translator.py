"""Slash commands in the member's language: Discord shows each command, option and choice under the
name and description synced for the member's client locale, while the English name stays the one
interactions arrive under, so dispatch never depends on a translation.

The strings live in the gettext domain "commands" (`bot/locale/<language>/LC_MESSAGES/commands.po`),
apart from what the bot says: the same word may be a command name here and a sentence there, and
Discord's naming rules apply to these alone. Each message's msgctxt says what the string is
("command name", "option description", …), from discord.py's `TranslationContextLocation`.

`python -m bot.ui.translator` writes `bot/locale/commands.pot` from the real command tree; then
`pybabel update -D commands -i bot/locale/commands.pot -d bot/locale -l ru` carries new strings into
the Russian catalog to translate.
"""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

import discord
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import ENGLISH, LOCALE_DIR, language_of

DOMAIN = "commands"
POT = LOCALE_DIR / f"{DOMAIN}.pot"
# Discord locales we have a catalog for ("es-ES" and "es-419" share es); every other locale falls back to
# the English default. A new language is a folder of .po files, as for what the bot says.
LANGUAGES = {
    locale: language_of(locale.value)
    for locale in discord.Locale
    if language_of(locale.value) != ENGLISH
    and (LOCALE_DIR / language_of(locale.value) / "LC_MESSAGES" / f"{DOMAIN}.po").is_file()
}
CONTEXTS = {
    Where.command_name: "command name",
    Where.command_description: "command description",
    Where.group_name: "group name",
    Where.group_description: "group description",
    Where.parameter_name: "option name",
    Where.parameter_description: "option description",
    Where.choice_name: "choice name",
}

Message = tuple[str, str]  # (msgctxt, msgid)
HEADER = """\
# The names and descriptions of kinoclub's slash commands, for translation.
# Generated from the command tree by `python -m bot.ui.translator`: do not edit by hand."""


@cache
def translations(language: str) -> dict[Message, str]:
    """Every translated string of `language`'s "commands" catalog. A dict rather than gettext's
    lookup, because gettext answers a missing message with the message itself, and a translation may
    rightly equal its English (a year range): only here can "missing" be told from "the same"."""
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    found: dict[Message, str] = {}
    for path in sorted(folder.glob(f"{DOMAIN}.po")) + sorted(folder.glob(f"{DOMAIN}-*.po")):
        with path.open("rb") as file:
            for message in read_po(file, locale=language, domain=DOMAIN):
                if message.id and message.string and not message.fuzzy:
                    found[(message.context or "", message.id)] = message.string
    return found


class CommandTranslator(app_commands.Translator):
    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        language = LANGUAGES.get(locale)
        msgctxt = CONTEXTS.get(context.location)
        if language is None or msgctxt is None:
            return None
        return translations(language).get((msgctxt, string.message))


@dataclasses.dataclass(frozen=True)
class Occurrence:
    context: str
    message: str
    where: str  # "/film add title", for the translator's eye


def command_strings(tree: app_commands.CommandTree) -> list[Occurrence]:
    """Every string Discord shows for the tree's commands, in tree order, with where it stands."""
    found: list[Occurrence] = []

    def visit(item: app_commands.Command | app_commands.Group | app_commands.ContextMenu, path: str) -> None:
        path = f"{path} {item.name}".strip()
        if isinstance(item, app_commands.ContextMenu):
            found.append(Occurrence(CONTEXTS[Where.command_name], item.name, path))
            return
        group = isinstance(item, app_commands.Group)
        name, description = (
            (Where.group_name, Where.group_description) if group else (Where.command_name, Where.command_description)
        )
        found.append(Occurrence(CONTEXTS[name], item.name, f"/{path}"))
        found.append(Occurrence(CONTEXTS[description], item.description, f"/{path}"))
        if group:
            for child in item.commands:
                visit(child, path)
            return
        for parameter in item.parameters:
            option = f"/{path} {parameter.display_name}"
            found.append(Occurrence(CONTEXTS[Where.parameter_name], parameter.display_name, option))
            found.append(Occurrence(CONTEXTS[Where.parameter_description], parameter.description, option))
            for choice in parameter.choices:
                found.append(Occurrence(CONTEXTS[Where.choice_name], choice.name, f"{option} {choice.value}"))

    for command in tree.get_commands():
        visit(command, "")
    return found


def template(occurrences: Iterable[Occurrence]) -> Catalog:
    """The .pot of the strings: one message per (context, text), each place it stands as a comment."""
    places: dict[Message, list[str]] = {}
    for occurrence in occurrences:
        places.setdefault((occurrence.context, occurrence.message), []).append(occurrence.where)
    catalog = Catalog(project="kinoclub", domain=DOMAIN, fuzzy=False, header_comment=HEADER)
    for (context, message), where in places.items():
        catalog.add(message, context=context, auto_comments=where)
    return catalog


def messages(catalog: Catalog) -> list[tuple[str, str, tuple[str, ...]]]:
    """What a template says, header aside: each message with its context and places, in order."""
    return [(message.context or "", message.id, tuple(message.auto_comments)) for message in catalog if message.id]


def read_template(path: Path = POT) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, domain=DOMAIN)


async def tree_strings() -> list[Occurrence]:
    """The strings of the command tree as the bot builds it, cogs loaded, nothing connected."""
    from bot.app import cog_extensions, create_bot  # the app imports this module: loaded on call
    from bot.config import parse_config
    from bot.store import Store

    with tempfile.TemporaryDirectory() as folder:
        config = parse_config({}, environ={})
        config = dataclasses.replace(config, database=dataclasses.replace(config.database, path=Path(folder) / "k.db"))
        async with Store.open(config.database.path) as store:
            bot = create_bot(config, store)
            for extension in cog_extensions():
                await bot.load_extension(extension)
            return command_strings(bot.tree)


# Discord's rules for what it accepts in a command payload, checked before Discord refuses a sync.
NAME_LIMIT, TEXT_LIMIT, COMMAND_LIMIT = 32, 100, 8000
CHAT_INPUT = 1
# \p{sc=Deva} and \p{sc=Thai} by their Unicode blocks: the standard library knows no scripts.
_SCRIPT_BLOCKS = ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x11B00, 0x11B5F), (0x0E00, 0x0E7F))


def _name_char(char: str) -> bool:
    return (
        char in "-_"
        or unicodedata.category(char)[0] in "LN"
        or any(low <= ord(char) <= high for low, high in _SCRIPT_BLOCKS)
    )


def _name_problem(name: str) -> str | None:
    if not 1 <= len(name) <= NAME_LIMIT:
        return f"{len(name)} characters (1 to {NAME_LIMIT})"
    if name != name.lower():
        return "not lowercase"
    wrong = "".join(dict.fromkeys(char for char in name if not _name_char(char)))
    return f"has {wrong!r}, which names cannot hold" if wrong else None


def _texts(entry: dict, key: str) -> Iterator[tuple[str, str]]:
    """(label, text) of an entry's `key` and of each of its localisations."""
    yield "", entry.get(key, "")
    for locale, text in (entry.get(f"{key}_localizations") or {}).items():
        yield f"{locale} ", text


def _entry_problems(entry: dict, where: str, chat_input: bool) -> list[str]:
    problems = []
    if chat_input:
        for label, name in _texts(entry, "name"):
            if problem := _name_problem(name):
                problems.append(f"{where}: {label}name {name!r} {problem}")
        for label, text in _texts(entry, "description"):
            if not 1 <= len(text) <= TEXT_LIMIT:
                problems.append(f"{where}: {label}description {text!r} has {len(text)} characters (1 to {TEXT_LIMIT})")
    for choice in entry.get("choices") or []:
        for label, name in _texts(choice, "name"):
            if not 1 <= len(name) <= TEXT_LIMIT:
                problems.append(f"{where}: {label}choice {name!r} has {len(name)} characters (1 to {TEXT_LIMIT})")
    options = entry.get("options") or []
    problems += _sibling_problems(options, where)
    for option in options:
        problems += _entry_problems(option, f"{where} {option.get('name', '?')}", True)
    return problems


def _sibling_problems(options: list[dict], where: str) -> list[str]:
    """Options of one command (or subcommands of one group) are told apart by name, in every locale."""
    problems = []
    defaults = [option.get("name", "") for option in options]
    locales = sorted({locale for option in options for locale in option.get("name_localizations") or {}})
    for locale in [None, *locales]:
        shown = [(option.get("name_localizations") or {}).get(locale, option.get("name", "")) for option in options]
        label = f"{locale} " if locale else ""
        for name in sorted({name for name in shown if shown.count(name) > 1}):
            owners = ", ".join(default for default, seen in zip(defaults, shown, strict=True) if seen == name)
            problems.append(f"{where}: {label}option name {name!r} is given to more than one option ({owners})")
        if locale is None:
            continue
        for option in options:
            localised = (option.get("name_localizations") or {}).get(locale)
            if localised is not None and localised in defaults:
                problems.append(
                    f"{where} {option.get('name')}: {locale} name {localised!r} is also an English option name here"
                )
    return problems


def _locales(entry: dict) -> set[str]:
    found = set(entry.get("name_localizations") or {}) | set(entry.get("description_localizations") or {})
    for child in (entry.get("options") or []) + (entry.get("choices") or []):
        found |= _locales(child)
    return found


def _characters(entry: dict, locale: str | None) -> int:
    """What an entry and everything under it counts towards Discord's limit, as `locale` sees it."""
    total = 0
    for key in ("name", "description"):
        text = (entry.get(f"{key}_localizations") or {}).get(locale) or entry.get(key) or ""
        total += len(text)
    if "value" in entry:
        total += len(str(entry["value"]))
    for child in (entry.get("options") or []) + (entry.get("choices") or []):
        total += _characters(child, locale)
    return total


def command_size(command: dict) -> int:
    """A command's name, description, options and choices in its longest locale, as Discord counts them."""
    return max(_characters(command, locale) for locale in [None, *_locales(command)])


def discord_rule_problems(payload: list[dict]) -> list[str]:
    """Each way the payload of a command sync breaks Discord's rules, naming the string at fault."""
    problems = _sibling_problems(payload, "the top-level commands")
    for command in payload:
        where = f"/{command.get('name', '?')}"
        problems += _entry_problems(command, where, command.get("type", CHAT_INPUT) == CHAT_INPUT)
        if (size := command_size(command)) > COMMAND_LIMIT:
            problems.append(f"{where}: {size:,} characters in its longest locale (at most {COMMAND_LIMIT:,})")
    return problems


def write_template(path: Path = POT) -> bool:
    """Writes the .pot from the command tree when it says anything new; True if it did."""
    fresh = template(asyncio.run(tree_strings()))
    if path.exists() and messages(read_template(path)) == messages(fresh):
        return False
    with path.open("wb") as file:
        write_po(file, fresh, width=120, sort_output=False)
    return True


if __name__ == "__main__":
    changed = write_template()
    print(f"{POT}: {'written' if changed else 'up to date'} ({len(messages(read_template()))} strings)")
