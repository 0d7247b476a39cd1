"""Slash commands in Russian: every name and description the tree shows has a translation, each
translation keeps Discord's rules, the sync carries them, and the catalog template follows the tree."""

from __future__ import annotations

import discord
import pytest
from discord.app_commands import TranslationContext, locale_str

from bot.ui.translator import (
    CONTEXTS,
    CommandTranslator,
    command_size,
    command_strings,
    discord_rule_problems,
    messages,
    read_template,
    template,
    tree_strings,
)
from tests.conftest import DEV_GUILD

LOCATION = {context: location for location, context in CONTEXTS.items()}


async def _untranslated(tree, locale: discord.Locale) -> tuple[list[str], int]:
    """The strings of the tree the translator leaves without a translation in `locale`, and how many it saw."""
    translator = CommandTranslator()
    strings = command_strings(tree)
    missing = []
    for string in strings:
        context = TranslationContext(LOCATION[string.context], None)
        if await translator.translate(locale_str(string.message), locale, context) is None:
            missing.append(f"{string.where}: {string.context} {string.message!r}")
    return missing, len(strings)


async def test_every_command_group_option_and_choice_has_a_russian_name_and_description(club):
    missing, seen = await _untranslated(club.bot.tree, discord.Locale.russian)
    assert missing == []
    assert seen >= 300
    kinds = {string.context for string in command_strings(club.bot.tree)}
    assert kinds == set(CONTEXTS.values())  # groups, commands, options and choices were all walked


async def test_other_locales_get_the_english_default(club):
    for locale in (discord.Locale.american_english, discord.Locale.ukrainian, discord.Locale.german):
        missing, seen = await _untranslated(club.bot.tree, locale)
        assert len(missing) == seen


def _synced(club) -> list[dict]:
    """The command list the bot last sent to the dev server (start-up syncs there)."""
    path = f"/guilds/{DEV_GUILD}/commands"
    (*_, put) = [r for r in club.env.http_requests if r.method == "PUT" and r.path.endswith(path)]
    return put.json


def _entries(items: list[dict], where: str = ""):
    for item in items:
        here = f"{where} {item['name']}".strip()
        yield here, item
        yield from _entries(item.get("options") or [], here)
        for choice in item.get("choices") or []:
            yield f"{here} = {choice['value']}", choice


async def test_the_sync_carries_a_russian_name_and_description_for_everything(club):
    payload = _synced(club)
    assert {"film", "rate", "week", "club"} <= {command["name"] for command in payload}  # dispatch stays English
    entries = list(_entries(payload))
    assert len(entries) >= 150
    for where, entry in entries:
        assert "ru" in (entry.get("name_localizations") or {}), f"/{where} has no Russian name"
        if "value" not in entry:  # a choice has a name only
            assert "ru" in (entry.get("description_localizations") or {}), f"/{where} has no Russian description"
    named = dict(entries)
    assert named["film show"]["name_localizations"] == {"ru": "показать"}
    assert named["rate score"]["name_localizations"] == {"ru": "оценка"}
    assert named["top period = week"]["name_localizations"] == {"ru": "неделя"}
    assert named["week"]["description_localizations"] == {"ru": "Фильм недели"}


async def test_every_synced_translation_keeps_discords_rules(club):
    payload = _synced(club)
    assert discord_rule_problems(payload) == []
    assert max(command_size(command) for command in payload) <= 8000


async def test_the_template_is_generated_from_the_command_tree_as_it_is(club):
    generated = await tree_strings()  # what `python -m bot.ui.translator` writes
    assert generated == command_strings(club.bot.tree)
    assert messages(read_template()) == messages(template(generated)), (
        "bot/locale/commands.pot is out of date: run python -m bot.ui.translator, then translate the new strings"
    )


# discord_rule_problems on hand-made payloads: a good one passes, each way of breaking it is named.


def _option(name: str, ru: str, description: str = "A thing", ru_description: str = "Нечто") -> dict:
    return {
        "type": 3,
        "name": name,
        "description": description,
        "required": False,
        "name_localizations": {"ru": ru},
        "description_localizations": {"ru": ru_description},
    }


def _command(*options: dict) -> dict:
    show = {
        "type": 1,
        "name": "show",
        "description": "Show a film",
        "options": list(options),
        "name_localizations": {"ru": "показать"},
        "description_localizations": {"ru": "Показать фильм"},
    }
    return {
        "type": 1,
        "name": "film",
        "description": "Films",
        "options": [show],
        "name_localizations": {"ru": "фильм"},
        "description_localizations": {"ru": "Фильмы"},
    }


def _good() -> tuple[dict, dict]:
    return _option("title", "название"), _option("year", "год")


def test_a_payload_within_the_rules_has_no_problems():
    title, year = _good()
    year["choices"] = [{"name": "this year", "value": "now", "name_localizations": {"ru": "этот год"}}]
    assert discord_rule_problems([_command(title, year)]) == []


@pytest.mark.parametrize(
    ("ru_name", "said"),
    [
        ("Название", "name 'Название' not lowercase"),
        ("а" * 33, f"name '{'а' * 33}' 33 characters (1 to 32)"),
        ("два слова", "name 'два слова' has ' ', which names cannot hold"),
        ("", "name '' 0 characters"),
        ("год", "option name 'год' is given to more than one option (title, year)"),
        ("year", "title: ru name 'year' is also an English option name here"),
        ("title", "title: ru name 'title' is also an English option name here"),
    ],
)
def test_a_bad_option_name_is_named(ru_name, said):
    title, year = _good()
    title["name_localizations"]["ru"] = ru_name
    problems = discord_rule_problems([_command(title, year)])
    assert len(problems) == 1 and said in problems[0], problems
    assert problems[0].startswith("/film show")


def test_a_description_of_101_characters_is_named():
    title, year = _good()
    year["description_localizations"]["ru"] = "о" * 101
    assert discord_rule_problems([_command(title, year)]) == [
        f"/film show year: ru description '{'о' * 101}' has 101 characters (1 to 100)"
    ]


def test_a_choice_of_101_characters_is_named():
    title, year = _good()
    year["choices"] = [{"name": "now", "value": "now", "name_localizations": {"ru": "ы" * 101}}]
    (problem,) = discord_rule_problems([_command(title, year)])
    assert problem.startswith("/film show year: ru choice 'ыыы") and "101 characters" in problem


def test_a_duplicate_subcommand_in_one_locale_is_named():
    command = _command(*_good())
    twin = {**command["options"][0], "name": "display"}
    command["options"].append(twin)
    assert discord_rule_problems([command]) == [
        "/film: ru option name 'показать' is given to more than one option (show, display)"
    ]


def _sized(total: int) -> dict:
    """A command exactly `total` characters long in Russian, and far shorter in English."""
    options = []
    command = _command()
    while command_size(command) < total:
        left = total - command_size(command)
        number = len(options)
        name = f"п{number}"
        description = "д" * min(100, max(1, left - len(name)))
        options.append(_option(f"o{number}", name, "x", description))
        command = _command(*options)
    return command


@pytest.mark.parametrize("total", [8000, 8001])
def test_a_command_over_8000_characters_in_its_longest_locale_is_named(total):
    command = _sized(total)
    assert command_size(command) == total
    english = {
        **command,
        "options": [
            {
                **command["options"][0],
                "options": [
                    {key: value for key, value in option.items() if not key.endswith("_localizations")}
                    for option in command["options"][0]["options"]
                ],
            }
        ],
    }
    assert command_size(english) < 8000 / 2  # the length comes from the Russian texts
    problems = discord_rule_problems([command])
    assert problems == ([] if total == 8000 else ["/film: 8,001 characters in its longest locale (at most 8,000)"])
