"""The Rate button the film's discussion thread gets when the rating window opens, and its form.

The button is persistent (everything it needs is its custom_id), so it works after a restart; the form
asks for what /rate does and goes through the same checks and the same save.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import discord

from bot import i18n
from bot.club import rating
from bot.club.scales import Scale
from bot.errors import UserError
from bot.i18n import _
from bot.ui import limits
from bot.ui.ratings import film_title
from bot.ui.replies import tell
from bot.ui.views import Guarded, Modal
from cogs.ratings import rate_and_answer

if TYPE_CHECKING:
    from bot.store.models import Film, Rating

MODAL_TITLE = 45  # Discord's limit on a modal's title
FORM_TIMEOUT = 15 * 60  # a form the member closed without sending is forgotten after this


class RateButton(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"kino:rate:(?P<film>[0-9]{1,19})",
):
    """custom_id `kino:rate:<film>`: a press opens the Rate form for that film."""

    def __init__(self, film_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=_("Rate this film"),
                emoji="⭐",
                style=discord.ButtonStyle.primary,
                custom_id=f"kino:rate:{film_id}",
            )
        )
        self.film_id = film_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> RateButton:
        return cls(int(match["film"]))

    async def pressed(self, interaction: discord.Interaction) -> None:
        bot = interaction.client
        film = await bot.store.films.get(self.film_id)
        if film is None:
            await tell(interaction, _("That film is no longer in the catalogue, so it cannot be rated."))
            return
        scale = await rating.server_scale(bot.store, interaction.guild_id)
        mine = await bot.store.ratings.get(interaction.guild_id, interaction.user.id, film.id)
        await interaction.response.send_modal(RateModal(film, scale, mine))


def _typed(score: int, scale: Scale) -> str:
    """A stored score as a member would type it on the scale: 7, or 3.5 (stars)."""
    return f"{score / 2:g}" if scale is Scale.STARS else str(score)


class RateModal(Modal):
    """Score on the server's scale, an optional review, and whether the review spoils; pre-filled with
    the member's rating when they have one, so rating again is an edit."""

    def __init__(self, film: Film, scale: Scale, mine: Rating | None = None) -> None:
        super().__init__(
            title=limits.clip(_("Rate {title}").format(title=film_title(film)), MODAL_TITLE),
            timeout=FORM_TIMEOUT,
            custom_id=f"kino:rate-form:{film.id}",
        )
        self.film = film
        # The score is read on the scale the label showed, even if a moderator switches it meanwhile.
        self.scale = scale
        self.score: discord.ui.TextInput = discord.ui.TextInput(
            custom_id="score",
            placeholder="3.5" if scale is Scale.STARS else "7",
            default=None if mine is None else _typed(mine.score, scale),
            max_length=5,
        )
        self.review: discord.ui.TextInput = discord.ui.TextInput(
            custom_id="review",
            style=discord.TextStyle.paragraph,
            required=False,
            default=None if mine is None else mine.review,
            # Discord stops the member at the limit; check_review still checks, as a client can send anything.
            max_length=rating.REVIEW_MAX,
        )
        self.spoiler: discord.ui.Checkbox = discord.ui.Checkbox(
            custom_id="spoiler", default=False if mine is None else mine.spoiler
        )
        if scale is Scale.STARS:
            label, how = _("Score, 0.5 to 5 stars"), _("In half steps, e.g. 3.5")
        else:
            label, how = _("Score, 1 to 10"), _("A whole number, e.g. 7")
        self.add_item(discord.ui.Label(text=label, description=how, component=self.score))
        self.add_item(
            discord.ui.Label(
                text=_("Review (optional)"),
                description=i18n.counted(
                    rating.REVIEW_MAX,
                    "A few words on it, at most {n} character",
                    "A few words on it, at most {n} characters",
                ),
                component=self.review,
            )
        )
        self.add_item(
            discord.ui.Label(
                text=_("The review gives the plot away"),
                description=_("It is then hidden behind a spoiler when shown"),
                component=self.spoiler,
            )
        )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        # The same checks as /rate, cheapest first; nothing is written unless all pass.
        score = rating.score_from_text(self.score.value, self.scale)
        review = rating.check_review(self.review.value or None)
        film = await interaction.client.store.films.get(self.film.id)
        if film is None:
            raise UserError(_("That film was removed from the catalogue meanwhile; your rating was not saved."))
        await rate_and_answer(interaction.client, interaction, film, score, review, self.spoiler.value, self.scale)


def rating_view(film_id: int) -> discord.ui.View:
    """The Rate button under a post; persistent, so the scheduler can post it and forget it."""
    view = discord.ui.View(timeout=None)
    view.add_item(RateButton(film_id))
    return view
