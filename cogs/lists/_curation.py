"""/list create, add, move, remove, rename, delete: a moderator shaping the server's own lists."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.errors import quote
from bot.i18n import _, counted
from bot.store import DatabaseError
from bot.ui.confirm import Confirm
from bot.ui.films import film_label
from bot.ui.replies import thinking
from cogs._checks import moderator_only, still_moderator
from cogs.lists import _options

if TYPE_CHECKING:
    from bot.app import KinoBot
    from bot.catalogue.list_curation import Curation

log = logging.getLogger("kinoclub")

# Free-text options carry no max_length: Discord would refuse long input with a generic error,
# while the core explains its own limits.



async def _done(interaction: discord.Interaction, text: str) -> None:
    await interaction.followup.send(text, ephemeral=True)


class CurationCommands:
    bot: KinoBot
    curation: Curation

    @app_commands.command(name="create", description="Start a new list for this server (moderators)")
    @app_commands.describe(name="The list's name (its key is made from it)", description="What the list is about")
    @moderator_only()
    async def create(self, interaction: discord.Interaction, name: str, description: str | None = None) -> None:
        await thinking(interaction)
        created = await self.curation.create(interaction.guild_id, interaction.user.id, name, description)
        await _done(
            interaction,
            _("Created the list {list} (key {key}). Add films with /list add.").format(
                list=quote(created.name), key=created.key
            ),
        )

    @app_commands.command(name="add", description="Put a film on one of this server's lists (moderators)")
    @app_commands.rename(curated="list")
    @app_commands.describe(
        curated="The list", film="The film; pick one from the suggestions", note="Why it is on the list",
        position="Where to put it (1 = first; default: at the end)",
    )
    @app_commands.autocomplete(curated=_options.own_list, film=_options.catalogue_film)
    @moderator_only()
    async def add(
        self, interaction: discord.Interaction, curated: str, film: str, note: str | None = None,
        position: int | None = None,
    ) -> None:
        await thinking(interaction)
        found = await self.bot.catalogue.resolve(film, interaction.guild_id)
        changed, at = await self.curation.add(
            interaction.guild_id, interaction.user.id, curated, found, note, position
        )
        await _done(
            interaction,
            _("Added {film} to {list} at number {position}.").format(
                film=quote(film_label(found), 100), list=quote(changed.name), position=at
            ),
        )

    @app_commands.command(name="move", description="Move a film to another place on a list (moderators)")
    @app_commands.rename(curated="list")
    @app_commands.describe(curated="The list", film="A film on that list", position="Its new place (1 = first)")
    @app_commands.autocomplete(curated=_options.own_list, film=_options.film_on_list)
    @moderator_only()
    async def move(self, interaction: discord.Interaction, curated: str, film: str, position: int) -> None:
        await thinking(interaction)
        found = await self.bot.catalogue.resolve(film, interaction.guild_id)
        changed, before = await self.curation.move(interaction.guild_id, interaction.user.id, curated, found, position)
        await _done(
            interaction,
            _("Moved {film} on {list} from number {old} to {new}.").format(
                film=quote(film_label(found), 100), list=quote(changed.name), old=before, new=position
            ),
        )

    @app_commands.command(name="remove", description="Take a film off a list (moderators)")
    @app_commands.rename(curated="list")
    @app_commands.describe(curated="The list", film="A film on that list")
    @app_commands.autocomplete(curated=_options.own_list, film=_options.film_on_list)
    @moderator_only()
    async def remove(self, interaction: discord.Interaction, curated: str, film: str) -> None:
        await thinking(interaction)
        found = await self.bot.catalogue.resolve(film, interaction.guild_id)
        changed = await self.curation.remove(interaction.guild_id, interaction.user.id, curated, found)
        await _done(
            interaction,
            _("Removed {film} from {list}.").format(film=quote(film_label(found), 100), list=quote(changed.name)),
        )

    @app_commands.command(name="rename", description="Give a list a new name; its key stays (moderators)")
    @app_commands.rename(curated="list")
    @app_commands.describe(curated="The list", name="The new name")
    @app_commands.autocomplete(curated=_options.own_list)
    @moderator_only()
    async def rename(self, interaction: discord.Interaction, curated: str, name: str) -> None:
        await thinking(interaction)
        changed, new_name = await self.curation.rename(interaction.guild_id, interaction.user.id, curated, name)
        await _done(interaction, _("Renamed {old} to {new}.").format(old=quote(changed.name), new=quote(new_name)))

    @app_commands.command(name="delete", description="Delete one of this server's lists (moderators)")
    @app_commands.rename(curated="list")
    @app_commands.describe(curated="The list to delete, with all its entries")
    @app_commands.autocomplete(curated=_options.own_list)
    @moderator_only()
    async def delete(self, interaction: discord.Interaction, curated: str) -> None:
        doomed = await self.curation.check_deletable(interaction.guild_id, curated)
        curation, guild_id, user_id = self.curation, interaction.guild_id, interaction.user.id

        async def on_confirm(pressed: discord.Interaction) -> None:
            # Answered at once: the delete may wait seconds for the database's lock (an import).
            await pressed.response.defer()
            try:
                deleted = await curation.delete(guild_id, user_id, doomed)
            except DatabaseError:
                log.exception("/list delete of %s not saved", doomed.key)
                deleted = None
            if deleted is None:
                text = _("Nothing was deleted: the database refused the write. Try /list delete again in a moment.")
            elif deleted:
                text = _("Deleted the list {list} and its {entries}.").format(
                    list=quote(doomed.name), entries=counted(doomed.size, "{n} entry", "{n} entries")
                )
            else:
                text = _("The list {list} was already gone; nothing was changed.").format(list=quote(doomed.name))
            await pressed.edit_original_response(
                content=text, view=None, allowed_mentions=discord.AllowedMentions.none()
            )

        films = counted(doomed.size, "{n} film", "{n} films")
        await interaction.response.send_message(
            _("Delete the list {list} with its {films}? This cannot be undone.").format(
                list=quote(doomed.name), films=films
            ),
            view=Confirm(user_id, on_confirm, label=_("Delete"), recheck=still_moderator(self.bot)),
            ephemeral=True,
        )
