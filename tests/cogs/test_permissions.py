"""The permission matrix: every command carrying the moderator check is refused to plain members.

The refusals themselves are exercised per feature (test_film_guards, test_lists_input, test_club);
this test makes sure no moderator command escapes those matrices as commands are added.
"""

from __future__ import annotations

from discord import app_commands

from tests.cogs import test_film_guards, test_weekly_moderation

COVERED_ELSEWHERE = {
    "list create", "list add", "list move", "list remove", "list rename", "list delete", "list export",
    "list import", "list copy",  # tests/cogs/test_lists_input.py::test_every_moderator_command_refuses_a_plain_member
    "club log",  # tests/cogs/test_club.py::test_a_plain_member_cannot_read_the_log
    "club scale",  # tests/cogs/test_rating_scale.py::test_a_plain_member_cannot_switch_the_scale
    "club language",  # tests/cogs/test_club_language.py::test_a_plain_member_cannot_change_the_language
    "club region",  # tests/cogs/test_region_about.py::test_a_plain_member_cannot_change_the_region
} | {command for command, _ in test_weekly_moderation.WEEK_MODERATOR_COMMANDS}


def _moderator_commands(tree: app_commands.CommandTree) -> set[str]:
    return {
        command.qualified_name
        for command in tree.walk_commands()
        if isinstance(command, app_commands.Command)
        and any("moderator_only" in check.__qualname__ for check in command.checks)
    }


async def test_every_moderator_command_is_in_a_refusal_matrix(club):
    checked = _moderator_commands(club.bot.tree)
    assert {"film add", "list delete", "club log"} <= checked
    covered = {command for command, _ in test_film_guards.MODERATOR_COMMANDS} | COVERED_ELSEWHERE
    assert checked <= covered, checked - covered


async def test_commands_work_only_in_servers(club):
    for command in club.bot.tree.get_commands():
        contexts = command.allowed_contexts
        assert command.guild_only or (contexts and not contexts.dm_channel), command.name
