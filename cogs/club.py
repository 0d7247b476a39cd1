"""/club: who the moderators are, and what they did."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.club import moderators, rating, scales
from bot.club.scales import Scale
from bot.ui import limits
from bot.ui.audit import audit_pages
from bot.ui.pages import send_pages
from cogs._checks import moderator_only

if TYPE_CHECKING:
    from bot.app import KinoBot

LOG_PAGES = 10  # pages of /club log, newest first


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
            raise app_commands.CheckFailure("Only members with Manage Server can choose the moderator roles.")
        store = self.bot.store
        guild_id = interaction.guild_id
        before = await store.settings.get(guild_id, moderators.SETTING)
        chosen = [r for r in (role, second_role, third_role) if r is not None]
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
            await store.audit.record(tx, guild_id, member.id, "club.moderators", "moderator roles", before, after)
        await self._show_moderators(interaction, after)

    async def _show_moderators(self, interaction: discord.Interaction, role_ids: list[int] | None) -> None:
        if role_ids is None:
            names = ", ".join(self.bot.config.club.moderator_roles)
            text = f"Moderators: members with a role named {names}, and anyone with Manage Server."
        else:
            text = "Moderators: " + ", ".join(f"<@&{role_id}>" for role_id in role_ids)
            text += ", and anyone with Manage Server."
        await interaction.response.send_message(limits.clip(text, limits.MESSAGE), ephemeral=True)

    @app_commands.command(name="log", description="What moderators changed, newest first")
    @moderator_only()
    async def log(self, interaction: discord.Interaction) -> None:
        entries = await self.bot.store.audit.latest(interaction.guild_id, limit=LOG_PAGES * 10)
        await send_pages(interaction, audit_pages(entries), ephemeral=True)

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
            await store.audit.record(
                tx, guild_id, interaction.user.id, "club.scale", "rating scale", before.value, after.value
            )
        example = scales.show(7, after)
        await interaction.response.send_message(
            f"Ratings now show as {scale.name} (a 7/10 shows as {example}); no rating was changed.", ephemeral=True
        )


async def setup(bot: KinoBot) -> None:
    await bot.add_cog(Club(bot))
