"""/club: who the moderators are, and what they did."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import i18n
from bot.club import language as club_language
from bot.club import moderators, rating, scales
from bot.club import region as club_region
from bot.club.scales import Scale
from bot.club.weekly import settings as weekly_settings
from bot.errors import UserError, quote
from bot.i18n import _
from bot.ui import limits
from bot.ui.pages import send_pages
from bot.ui.replies import suggestions
from cogs._checks import moderator_only
from cogs._club_log import log_pages
from cogs.lists._options import any_list
from cogs.weekly import _settings as weekly

if TYPE_CHECKING:
    from bot.app import KinoBot


@suggestions
async def region_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=limits.clip(f"{name} ({code})", limits.CHOICE_NAME), value=code)
        for code, name in club_region.suggest(current, limits.CHOICES)
    ]


@app_commands.guild_only()
class Club(commands.GroupCog, group_name="club", group_description="The club's settings and records"):
    def __init__(self, bot: KinoBot) -> None:
        self.bot = bot
        super().__init__()

    @app_commands.command(name="moderators", description="Choose the moderator roles (Manage Server only)")
    @app_commands.describe(
        role="A role whose members may curate films and lists",
        second_role="Another moderator role",
        third_role="Another moderator role",
        reset="Go back to the role names in the bot's config",
    )
    async def set_moderators(
        self,
        interaction: discord.Interaction,
        role: discord.Role | None = None,
        second_role: discord.Role | None = None,
        third_role: discord.Role | None = None,
        reset: bool = False,
    ) -> None:
        member = interaction.user
        if not isinstance(member, discord.Member) or not member.guild_permissions.manage_guild:
            raise app_commands.CheckFailure(_("Only members with Manage Server can choose the moderator roles."))
        store = self.bot.store
        guild_id = interaction.guild_id
        before = await store.settings.get(guild_id, moderators.SETTING)
        chosen = [r for r in (role, second_role, third_role) if r is not None]
        if any(r.is_default() for r in chosen):
            raise UserError(_("@everyone cannot be a moderator role: every member would be a moderator."))
        if reset:
            after = None
        elif chosen:
            after = sorted({r.id for r in chosen})
        else:
            await self._show_moderators(interaction, before)
            return
        async with store.transaction() as tx:
            if after is None:
                await store.settings.clear(tx, guild_id, moderators.SETTING)
            else:
                await store.settings.put(tx, guild_id, moderators.SETTING, after)
            target = "moderator roles"  # untranslated: the audit trail's record, rendered by /club log
            await store.audit.record(tx, guild_id, member.id, "club.moderators", target, before, after)
        await self._show_moderators(interaction, after)

    async def _show_moderators(self, interaction: discord.Interaction, role_ids: list[int] | None) -> None:
        if role_ids is None:
            names = ", ".join(self.bot.config.club.moderator_roles)
            # Names are only the fallback: anyone allowed to create roles can make one so named.
            text = _(
                "Moderators: members with a role named {names} (any role of that name, in any case), and "
                "anyone with Manage Server. Choose the roles themselves with /club moderators role:, so that "
                "a new role with that name does not count."
            ).format(names=names)
        else:
            roles = ", ".join(f"<@&{role_id}>" for role_id in role_ids)
            text = _("Moderators: {roles}, and anyone with Manage Server.").format(roles=roles)
        await interaction.response.send_message(limits.clip(text, limits.MESSAGE), ephemeral=True)

    @app_commands.command(name="log", description="What moderators changed, newest first")
    @app_commands.describe(member="Only what this moderator did", kind="Only changes of this kind")
    @app_commands.choices(
        kind=[app_commands.Choice(name=kind, value=kind) for kind in ("films", "lists", "weekly", "settings")]
    )
    @moderator_only()
    async def log(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        kind: app_commands.Choice[str] | None = None,
    ) -> None:
        pages = await log_pages(self.bot, interaction.guild, member, None if kind is None else kind.value)
        await send_pages(interaction, pages, ephemeral=True)

    @app_commands.command(name="scale", description="Show ratings as 1–10 or as half stars")
    @app_commands.describe(scale="How members type and see scores; stored ratings are not changed")
    @app_commands.choices(
        scale=[
            app_commands.Choice(name="1–10", value=Scale.TEN.value),
            app_commands.Choice(name="half stars (0.5–5)", value=Scale.STARS.value),
        ]
    )
    @moderator_only()
    async def scale(self, interaction: discord.Interaction, scale: app_commands.Choice[str]) -> None:
        store = self.bot.store
        guild_id = interaction.guild_id
        before = await rating.server_scale(store, guild_id)
        after = Scale(scale.value)
        # Scores are stored 1–10 whatever the scale, so switching only changes how they are shown.
        async with store.transaction() as tx:
            await store.settings.put(tx, guild_id, scales.SETTING, after.value)
            target = "rating scale"  # untranslated: the audit trail's record, rendered by /club log
            await store.audit.record(tx, guild_id, interaction.user.id, "club.scale", target, before.value, after.value)
        example = scales.show(7, after)
        await interaction.response.send_message(
            _("Ratings now show as {scale} (a 7/10 shows as {example}); no rating was changed.").format(
                scale="1–10" if after is Scale.TEN else _("half stars (0.5–5)"), example=example
            ),
            ephemeral=True,
        )

    @app_commands.command(name="language", description="The language of the bot's public posts here")
    @app_commands.describe(language="Ballots, announcements, threads, events, reminders and cards in the channel")
    @app_commands.choices(
        language=[app_commands.Choice(name=name, value=code) for code, name in i18n.LANGUAGES.items()]
    )
    @moderator_only()
    async def language(self, interaction: discord.Interaction, language: app_commands.Choice[str]) -> None:
        guild = interaction.guild
        preferred = str(guild.preferred_locale) if guild is not None else None
        before = await club_language.choose(
            self.bot.store, interaction.guild_id, interaction.user.id, language.value, preferred
        )
        if before == language.value:
            message = _("The bot's public posts here were already in {language}.")
        else:
            message = _(
                "The bot's public posts here are now in {language}. Private replies follow each member's "
                "own Discord language."
            )
        await interaction.response.send_message(message.format(language=language.name), ephemeral=True)

    @app_commands.command(name="region", description="The country whose streaming offers cards show (no options: show)")
    @app_commands.describe(
        code="Two-letter country code (ISO 3166-1), e.g. RU, DE, US", reset="Show no streaming offers on cards"
    )
    @app_commands.autocomplete(code=region_choices)
    @moderator_only()
    async def region(
        self, interaction: discord.Interaction, code: app_commands.Range[str, 1, 100] | None = None, reset: bool = False
    ) -> None:
        store, guild_id = self.bot.store, interaction.guild_id
        if code is None and not reset:
            current = await club_region.server_region(store, guild_id)
            if current is None:
                text = _("No region is set, so cards show no streaming offers. Choose one with /club region code:.")
            else:
                text = _("Cards show streaming offers for {country} ({code}).").format(
                    country=club_region.name(current), code=current
                )
            await interaction.response.send_message(text, ephemeral=True)
            return
        if code is not None and reset:
            raise UserError(_("Choose either code or reset, not both."))
        chosen = None if reset else club_region.normalise(code)
        if not reset and chosen is None:
            raise UserError(
                _(
                    "{code} is not a country code. Use the two letters of ISO 3166-1, such as RU for Russia, "
                    "DE for Germany or US for the United States."
                ).format(code=quote(code, 20))
            )
        await club_region.choose(store, guild_id, interaction.user.id, chosen)
        if chosen is None:
            text = _("No region is set now: cards show no streaming offers.")
        else:
            text = _("Cards now show streaming offers for {country} ({code}).").format(
                country=club_region.name(chosen), code=chosen
            )
        await interaction.response.send_message(text, ephemeral=True)

    @app_commands.command(name="weekly", description="How the film of the week runs here (no options: show)")
    @app_commands.describe(
        channel="Where ballots and announcements are posted; setting it turns the weekly cycle on",
        timezone="IANA time zone for the schedule, e.g. Europe/Moscow",
        opens="When the ballot opens, \"DAY HH:MM\" (e.g. mon 18:00)",
        closes="When the ballot closes, \"DAY HH:MM\" (e.g. fri 20:00)",
        candidates="Films on each ballot (2 to 10)",
        no_repeat_weeks="A film picked within this many weeks is not drawn again (0 to 520)",
        counts="Show running counts on the ballot, or hide them until it closes",
        screening="When the club watches the film together, \"DAY HH:MM\", or none",
        nominations="Let members nominate a film for the next ballot",
        remind_close="Hours before the close to remind the channel, 0 to 144 (0: no reminder)",
        remind_screening="Hours before the screening to remind the channel, 0 to 144 (0: no reminder)",
        reminder_role="The role reminders ping; members join it with /week remind",
        no_reminder_role="Reminders ping no one (the role itself is left alone)",
        hide_ratings="Hide the film of the week's ratings until the next ballot opens",
        turn_off="Stop the weekly cycle here (settings are kept)",
    )
    @app_commands.choices(
        counts=[app_commands.Choice(name=name, value=name) for name in ("visible", "hidden")]
    )
    @app_commands.autocomplete(timezone=weekly.timezone_choices)
    @moderator_only()
    async def set_weekly(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        timezone: app_commands.Range[str, 1, 64] | None = None,
        opens: app_commands.Range[str, 1, 20] | None = None,
        closes: app_commands.Range[str, 1, 20] | None = None,
        candidates: app_commands.Range[int, 2, 10] | None = None,
        no_repeat_weeks: app_commands.Range[int, 0, 520] | None = None,
        counts: app_commands.Choice[str] | None = None,
        screening: app_commands.Range[str, 1, 20] | None = None,
        nominations: bool | None = None,
        # Plain ints, not Range: an out-of-range number gets settings' own explanation, not Discord's.
        remind_close: int | None = None,
        remind_screening: int | None = None,
        reminder_role: discord.Role | None = None,
        no_reminder_role: bool = False,
        hide_ratings: bool | None = None,
        turn_off: bool = False,
    ) -> None:
        if reminder_role is not None and no_reminder_role:
            raise UserError(_("Choose either reminder_role or no_reminder_role, not both."))
        changes = {
            key: value
            for key, value in {
                "channel_id": channel.id if channel else None, "timezone": timezone, "opens": opens,
                "closes": closes, "candidates": candidates, "no_repeat_weeks": no_repeat_weeks,
                "counts_visible": None if counts is None else counts.value == "visible",
                "screening": screening, "nominations": nominations,
                "remind_close": remind_close, "remind_screening": remind_screening, "hide_ratings": hide_ratings,
                "reminder_role_id": (
                    weekly.reminder_role_id(reminder_role, interaction.guild_id) if reminder_role else None
                ),
            }.items()
            if value is not None
        }
        if turn_off:
            changes["channel_id"] = None
        if no_reminder_role:
            changes["reminder_role_id"] = None
        if not changes:
            settings = await weekly_settings.load(self.bot.store, self.bot.config, interaction.guild_id)
            names = await weekly.rotation_names(self.bot, interaction.guild_id)
            await interaction.response.send_message(weekly.describe(settings, names), ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await interaction.followup.send(await weekly.apply(self.bot, interaction, changes), ephemeral=True)

    @app_commands.command(name="rotation", description="Which lists weekly candidates are drawn from, and how often")
    @app_commands.describe(
        list="A curated list (bundled or this server's)", weight="0 takes it out; 1 to 100: relative weight"
    )
    @app_commands.autocomplete(list=any_list)
    @moderator_only()
    async def rotation(
        self, interaction: discord.Interaction, list: str, weight: app_commands.Range[int, 0, 100]
    ) -> None:
        text = await weekly.set_rotation(self.bot, interaction, list, weight)
        await interaction.response.send_message(text, ephemeral=True)


async def setup(bot: KinoBot) -> None:
    await bot.add_cog(Club(bot))
