"""The ballot's vote buttons: one persistent button per candidate, alive across restarts."""

from __future__ import annotations

import logging
import re

import discord

from bot import clock
from bot.club.weekly import voting
from bot.errors import UserError
from bot.i18n import _
from bot.store import DatabaseError
from bot.ui.films import local_title
from bot.ui.replies import tell, waiting
from bot.ui.views import Guarded
from bot.ui.weekly import votes_text

log = logging.getLogger("kinoclub.weekly")


class VoteButton(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"kino:vote:(?P<ballot>[0-9]{1,19}):(?P<film>[0-9]{1,19})",
):
    """custom_id `kino:vote:<ballot>:<film>`: everything a press needs is in the id, nothing in memory."""

    def __init__(self, ballot_id: int, film_id: int, label: str | None = None, disabled: bool = False) -> None:
        super().__init__(
            discord.ui.Button(
                label=label or _("Vote"),
                style=discord.ButtonStyle.secondary,
                disabled=disabled,
                custom_id=f"kino:vote:{ballot_id}:{film_id}",
            )
        )
        self.ballot_id = ballot_id
        self.film_id = film_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> VoteButton:
        return cls(int(match["ballot"]), int(match["film"]))

    async def pressed(self, interaction: discord.Interaction) -> None:
        if interaction.user.bot:
            await tell(interaction, _("Bots do not vote on the film of the week."))
            return
        bot = interaction.client
        # Answered at once: the vote may wait seconds for the database's lock (an IMDb import
        # merging), past Discord's 3 s; tell() then edits this "thinking" reply with the outcome.
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            votes = await voting.toggle(
                bot.store,
                interaction.guild_id,
                self.ballot_id,
                self.film_id,
                interaction.user.id,
                clock.now(),
                waiting(interaction, "vote"),
            )
        except UserError as error:
            await tell(interaction, error.message)
            return
        except DatabaseError:
            log.exception("vote by %s on ballot %s not saved", interaction.user.id, self.ballot_id)
            await tell(interaction, _("Your vote was not saved; please press the button again in a moment."))
            return
        films = {film.id: film for film in await bot.store.films.get_many([*votes.film_ids, self.film_id])}
        titles = [local_title(films[film_id]) for film_id in votes.film_ids if film_id in films]
        pressed = local_title(films[self.film_id]) if self.film_id in films else _("that film")
        await tell(interaction, votes_text(titles, votes.voted, pressed))
        bot.weekly.transitions.poster.refresh_soon(self.ballot_id)


def ballot_view(ballot_id: int, buttons: list[tuple[int, str]], disabled: bool) -> discord.ui.View:
    """(film id, label) per candidate, in ballot order; Discord lays them out five to a row."""
    view = discord.ui.View(timeout=None)
    for film_id, label in buttons:
        view.add_item(VoteButton(ballot_id, film_id, label, disabled))
    return view
