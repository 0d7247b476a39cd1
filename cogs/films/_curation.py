"""/film add, edit, merge and remove: moderators curating the shared catalogue."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.catalogue import film_curation
from bot.catalogue.drafts import FilmInput
from bot.catalogue.film_curation import describe
from bot.errors import UserError
from bot.i18n import N_, _, counted
from bot.store import DatabaseError
from bot.store.models import FilmReferences
from bot.ui import limits
from bot.ui.confirm import Confirm
from bot.ui.replies import suggestions, thinking
from cogs._checks import moderator_only, still_moderator
from cogs.films._common import card_for, film_choices

if TYPE_CHECKING:
    from bot.app import KinoBot

# The command translator gives these option descriptions in every language.
FIELDS = {  # untranslated: option descriptions
    "original_title": "The title in its own language",
    "directors": "Directors, separated by commas",
    "cast": "Cast in billing order, separated by commas",
    "runtime": "Length in minutes",
    "countries": "Countries, separated by commas",
    "genres": "Genres and themes, separated by commas",
    "synopsis": "A short synopsis (up to 2,000 characters)",
    "imdb_id": "The IMDb id, like tt0050634",
}
EDIT_FIELDS = {name: f"{text}; - to clear" for name, text in FIELDS.items()} | {  # untranslated: as FIELDS
    "runtime": "Length in minutes; 0 to clear", "title": "The new title", "year": "The new year",
}


NO_ONE = discord.AllowedMentions.none()
NOT_REMOVED = N_("Nothing was removed: the database refused the write. Try /film remove again in a moment.")
log = logging.getLogger("kinoclub")



def _counts(refs: FilmReferences) -> str:
    return ", ".join(
        [
            counted(refs.ratings, "{n} rating", "{n} ratings"),
            counted(refs.list_entries, "{n} list entry", "{n} list entries"),
            counted(refs.picks, "{n} weekly pick", "{n} weekly picks"),
        ]
    )


class CurationCommands:
    bot: KinoBot

    @app_commands.command(name="add", description="Add a film to the catalogue (moderators)")
    @app_commands.describe(title="The title members know it by", year="Year of release", **FIELDS)
    @moderator_only()
    async def add(
        self, interaction: discord.Interaction, title: str, year: int,
        original_title: str | None = None, directors: str | None = None, cast: str | None = None,
        runtime: int | None = None, countries: str | None = None, genres: str | None = None,
        synopsis: str | None = None, imdb_id: str | None = None,
    ) -> None:
        given = FilmInput(title, year, original_title, directors, cast, runtime, countries, genres, synopsis, imdb_id)
        await thinking(interaction)
        film = await film_curation.add(self.bot.store, interaction.guild_id, interaction.user.id, given)
        await interaction.followup.send(
            _("Added {film}.").format(film=describe(film)),
            embed=await card_for(self.bot, interaction, film),
            ephemeral=True,
        )

    @app_commands.command(name="edit", description="Change a film this server's moderators added")
    @app_commands.describe(film="The film to change; pick one from the suggestions", **EDIT_FIELDS)
    @moderator_only()
    async def edit(
        self, interaction: discord.Interaction, film: str,
        title: str | None = None, year: int | None = None,
        original_title: str | None = None, directors: str | None = None, cast: str | None = None,
        runtime: int | None = None, countries: str | None = None, genres: str | None = None,
        synopsis: str | None = None, imdb_id: str | None = None,
    ) -> None:
        target = await film_curation.named(self.bot.catalogue, film)
        given = FilmInput(title, year, original_title, directors, cast, runtime, countries, genres, synopsis, imdb_id)
        await thinking(interaction)
        changed = await film_curation.edit(self.bot.store, interaction.guild_id, interaction.user.id, target, given)
        await interaction.followup.send(
            _("Changed {film}.").format(film=describe(changed)),
            embed=await card_for(self.bot, interaction, changed),
            ephemeral=True,
        )

    @app_commands.command(name="merge", description="Fold a duplicate film into the one to keep")
    @app_commands.describe(keep="The film that stays", duplicate="The copy to fold in and delete (added here)")
    @moderator_only()
    async def merge(self, interaction: discord.Interaction, keep: str, duplicate: str) -> None:
        kept = await film_curation.named(self.bot.catalogue, keep)
        copy = await film_curation.named(self.bot.catalogue, duplicate)
        await thinking(interaction)
        report = await film_curation.merge(self.bot.store, interaction.guild_id, interaction.user.id, kept, copy)
        text = _("Merged {copy} into {kept}: {ratings}, {entries} and {picks} moved").format(
            copy=describe(copy), kept=describe(kept),
            ratings=counted(report.ratings_moved, "{n} rating", "{n} ratings"),
            entries=counted(report.entries_moved, "{n} list entry", "{n} list entries"),
            picks=counted(report.picks_moved, "{n} pick", "{n} picks"),
        )
        if report.ratings_older_dropped or report.entries_dropped:
            text += _("; {ratings} by members who rated both and {entries} already on the list were dropped").format(
                ratings=counted(report.ratings_older_dropped, "{n} older rating", "{n} older ratings"),
                entries=counted(report.entries_dropped, "{n} list entry", "{n} list entries"),
            )
        await interaction.followup.send(limits.clip(text + ".", limits.MESSAGE), ephemeral=True)

    @app_commands.command(name="remove", description="Delete a film this server's moderators added")
    @app_commands.describe(film="The film to delete; pick one from the suggestions")
    @moderator_only()
    async def remove(self, interaction: discord.Interaction, film: str) -> None:
        store, guild_id, user_id = self.bot.store, interaction.guild_id, interaction.user.id
        target = await film_curation.named(self.bot.catalogue, film)
        refs = await film_curation.references(store, guild_id, target)
        await thinking(interaction)
        if not refs:
            await film_curation.remove(store, guild_id, user_id, target, refs)
            await interaction.followup.send(_("Removed {film}.").format(film=describe(target)), ephemeral=True)
            return

        async def confirmed(answer: discord.Interaction) -> None:
            await answer.response.defer()  # the message itself is edited once the write is done
            try:
                await film_curation.remove(store, guild_id, user_id, target, refs)
            except UserError as refusal:
                await answer.edit_original_response(content=refusal.message, view=None, allowed_mentions=NO_ONE)
                return
            except DatabaseError:
                log.exception("/film remove of %s not saved", target.key)
                await answer.edit_original_response(content=_(NOT_REMOVED), view=None, allowed_mentions=NO_ONE)
                return
            await answer.edit_original_response(
                content=_("Removed {film} with its {counts}.").format(film=describe(target), counts=_counts(refs)),
                view=None,
                allowed_mentions=NO_ONE,
            )

        # Every one of them is this server's: film_curation refuses a film other servers hold.
        await interaction.followup.send(
            _("{film} has {counts}. Removing it deletes them too.").format(film=describe(target), counts=_counts(refs)),
            view=Confirm(user_id, confirmed, label=_("Remove"), recheck=still_moderator(self.bot)),
            ephemeral=True,
        )

    @edit.autocomplete("film")
    @remove.autocomplete("film")
    @merge.autocomplete("keep")
    @merge.autocomplete("duplicate")
    @suggestions
    async def film_option(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot, current, interaction.guild_id)
