"""/import letterboxd, /export ratings, /forget me: a member's own ratings in and out of this server."""

from __future__ import annotations

import asyncio
import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.catalogue import letterboxd, letterboxd_ratings
from bot.club import rating
from bot.errors import UserError
from bot.i18n import _, counted
from bot.ui.confirm import Confirm
from bot.ui.member_data import forget_question, forgotten, import_summary
from cogs._import_guard import importing

if TYPE_CHECKING:
    from bot.app import KinoBot

_NONE = discord.AllowedMentions.none()


class MemberData(commands.Cog):
    import_group = app_commands.Group(
        name="import", description="Bring your ratings in from another site", guild_only=True
    )
    export_group = app_commands.Group(name="export", description="Take your data with you", guild_only=True)
    forget_group = app_commands.Group(name="forget", description="Delete your data in this server", guild_only=True)

    def __init__(self, bot: KinoBot) -> None:
        self.bot = bot

    @import_group.command(name="letterboxd", description="Import your Letterboxd ratings into this server")
    @app_commands.describe(
        file="ratings.csv, diary.csv, the Letterboxd export .zip, or a CSV in Letterboxd's import format",
        overwrite="Also replace ratings you gave here more recently than on Letterboxd",
    )
    async def letterboxd(
        self, interaction: discord.Interaction, file: discord.Attachment, overwrite: bool = False
    ) -> None:
        letterboxd.check_size(file.size, file.filename)
        async with importing(self.bot, interaction, file) as data:
            # Parsing up to 20 MB of CSV is CPU work: off the event loop so the bot keeps answering.
            entries = await asyncio.to_thread(letterboxd.read_export, data, file.filename)
            report = await letterboxd_ratings.import_ratings(
                self.bot.store, interaction.guild_id, interaction.user.id, entries, overwrite=overwrite
            )
            files = []
            if report.unmatched:
                unmatched = await asyncio.to_thread(letterboxd_ratings.dump_unmatched, report.unmatched)
                files.append(discord.File(io.BytesIO(unmatched), "unmatched.csv"))
        await interaction.followup.send(
            import_summary(report, overwrite=overwrite), files=files, ephemeral=True, allowed_mentions=_NONE
        )

    @export_group.command(name="ratings", description="Download your ratings here as a CSV Letterboxd can import")
    async def ratings(self, interaction: discord.Interaction) -> None:
        store = self.bot.store
        rated = await store.ratings.of_member(interaction.guild_id, interaction.user.id)
        if not rated:
            raise UserError(_("You have no ratings in this server yet; rate a film with /rate first."))
        films = {film.id: film for film in await store.films.get_many([rating.film_id for rating in rated])}
        links = await store.imports.links_of(interaction.guild_id, interaction.user.id)
        pairs = [(films[r.film_id], r) for r in rated if r.film_id in films]
        data = await asyncio.to_thread(letterboxd_ratings.dump_ratings, pairs, links)
        await interaction.response.send_message(
            counted(
                len(rated),
                "Your {n} rating in this server (Letterboxd: Settings → Import & Export → Import your data).",
                "Your {n} ratings in this server (Letterboxd: Settings → Import & Export → Import your data).",
            ),
            file=discord.File(io.BytesIO(data), filename="kinoclub-ratings.csv"),
            ephemeral=True,
            allowed_mentions=_NONE,
        )

    @forget_group.command(
        name="me", description="Delete your ratings, reviews, rating history, votes and nomination here"
    )
    async def me(self, interaction: discord.Interaction) -> None:
        store = self.bot.store
        guild_id, user_id = interaction.guild_id, interaction.user.id

        async def forget(pressed: discord.Interaction) -> None:
            try:
                counts = await rating.forget_member(store, guild_id, user_id)
            except UserError as refusal:
                await pressed.response.edit_message(content=refusal.message, view=None, allowed_mentions=_NONE)
                return
            await pressed.response.edit_message(content=forgotten(counts), view=None, allowed_mentions=_NONE)

        view = Confirm(user_id, forget, label=_("Delete my data"))
        await interaction.response.send_message(forget_question(), view=view, ephemeral=True, allowed_mentions=_NONE)


async def setup(bot: KinoBot) -> None:
    await bot.add_cog(MemberData(bot))
