"""/rate, /unrate, /ratings and /seen: members' scores for films, on the server's scale.

(/film ratings answers with the same pages and chart as /seen.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.club import rating, scales
from bot.club.scales import Scale
from bot.club.weekly import reveal
from bot.i18n import _, speaking
from bot.store.models import Film
from bot.ui import charts
from bot.ui.ratings import film_pages, film_title, member_pages, send_chart_pages
from bot.ui.replies import suggestions, tell, thinking, waiting
from cogs._language import public_language
from cogs._share import ShareButton, share_view
from cogs.films._common import film_choices

if TYPE_CHECKING:
    from bot.app import KinoBot


class Ratings(commands.Cog):
    def __init__(self, bot: KinoBot) -> None:
        self.bot = bot

    @app_commands.guild_only()
    @app_commands.command(name="rate", description="Rate a film on this server's scale")
    @app_commands.describe(
        film="A title in any language or spelling; pick one from the suggestions",
        score="1–10, or 0.5–5 stars in half steps, as this server counts",
        review="A few words on it (at most 1,000 characters)",
        spoiler="Hide the review behind a spoiler when it is shown",
    )
    async def rate(
        self,
        interaction: discord.Interaction,
        film: str,
        score: float,
        review: str | None = None,
        spoiler: bool = False,
    ) -> None:
        store = self.bot.store
        guild_id = interaction.guild_id
        scale = await rating.server_scale(store, guild_id)
        # Every check before the film lookup is cheap and says exactly which option is wrong.
        stored = scales.to_score(score, scale)
        text = rating.check_review(review)
        found = await self.bot.catalogue.resolve(film, interaction.guild_id)
        await rate_and_answer(self.bot, interaction, found, stored, text, spoiler, scale)

    @app_commands.guild_only()
    @app_commands.command(name="unrate", description="Remove your rating of a film")
    @app_commands.describe(film="A film you rated; pick one from the suggestions")
    async def unrate(self, interaction: discord.Interaction, film: str) -> None:
        found = await self.bot.catalogue.resolve(film, interaction.guild_id)
        await thinking(interaction)
        removed = await rating.unrate(self.bot.store, interaction.guild_id, interaction.user.id, found.id)
        title = film_title(found)
        if removed is None:
            await tell(interaction, _("You have not rated {film} here; nothing to remove.").format(film=title))
            return
        scale = await rating.server_scale(self.bot.store, interaction.guild_id)
        score = scales.show(removed.score, scale)
        await tell(interaction, _("Removed your rating of {film} ({score}).").format(film=title, score=score))

    @rate.autocomplete("film")
    @unrate.autocomplete("film")
    @suggestions
    async def _film(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot, current, interaction.guild_id)

    @app_commands.guild_only()
    @app_commands.command(name="ratings", description="A member's ratings here, with their average and chart")
    @app_commands.describe(member="Whose ratings (you if left out)", order="Newest first or best first")
    async def ratings(
        self,
        interaction: discord.Interaction,
        member: discord.Member | None = None,
        order: Literal["newest", "best"] = "newest",
    ) -> None:
        store = self.bot.store
        guild_id = interaction.guild_id
        who = member or interaction.user
        scale = await rating.server_scale(store, guild_id)
        rated = await store.ratings.of_member(guild_id, who.id, best_first=order == "best")
        # Another member's rating of the film of the week waits for the reveal, here as in /seen.
        rated = reveal.shown_to(rated, interaction.user.id, await reveal.hidden_film(store, self.bot.config, guild_id))
        films = {film.id: film for film in await store.films.get_many([r.film_id for r in rated])}
        counts = rating.distribution(rated)
        png = None
        with speaking(await public_language(self.bot, guild_id)):  # posted in the channel
            pages = member_pages(who.display_name, rated, films, scale)
            if any(counts):  # no ratings: the page says so, instead of an empty axis
                png = await charts.distribution_png(guild_id, f"member:{who.id}", counts, scale, who.display_name)
        await send_chart_pages(interaction, pages, png)

    @app_commands.guild_only()
    @app_commands.command(name="seen", description="Who here rated a film and how, with its chart")
    @app_commands.describe(film="A title in any language or spelling; pick one from the suggestions")
    async def seen(self, interaction: discord.Interaction, film: str) -> None:
        await show_film_ratings(self.bot, interaction, film)

    @seen.autocomplete("film")
    @suggestions
    async def _seen_film(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return await film_choices(self.bot, current, interaction.guild_id)


async def rate_and_answer(
    bot: KinoBot,
    interaction: discord.Interaction,
    film: Film,
    score: int,
    review: str | None,
    spoiler: bool,
    scale: Scale,
) -> None:
    """Save a checked rating, then tell the member what was stored, with a Share button: /rate and the
    Rate button's form."""
    store, guild_id = bot.store, interaction.guild_id
    await thinking(interaction)
    # NotSaved (a UserError) if the write fails or times out: the member then reads that it was not saved.
    before = await rating.rate(
        store, guild_id, interaction.user.id, film.id, score, review, spoiler, waiting(interaction, "rating")
    )
    # Committed: only now is the member told; Share builds its post from what is stored when pressed.
    view = share_view(interaction.user.id, film.id)
    await interaction.followup.send(
        _("Rated {film}: {score}").format(film=film_title(film), score=rating.change_text(score, before, scale)),
        ephemeral=True,
        view=view,
        allowed_mentions=discord.AllowedMentions.none(),
    )


async def show_film_ratings(bot: KinoBot, interaction: discord.Interaction, film: str) -> None:
    """Everyone's rating of a film here, paginated, with its chart: /seen and /film ratings."""
    store = bot.store
    guild_id = interaction.guild_id
    found = await bot.catalogue.resolve(film, guild_id)
    scale = await rating.server_scale(store, guild_id)
    rated = await store.ratings.of_film(guild_id, found.id)
    hidden = await reveal.hidden_film(store, bot.config, guild_id) == found.id
    if hidden:
        # The film of the week before its reveal: the member sees their own rating and nothing of the rest.
        rated = reveal.shown_to(rated, interaction.user.id, found.id)
        counts = rating.distribution(rated)
    else:
        counts = await store.ratings.distribution(guild_id, film_id=found.id)
    png = None
    with speaking(await public_language(bot, guild_id)):  # posted in the channel
        title = film_title(found)
        if hidden:
            title = _("{film} (yours; the club's is hidden)").format(film=title)
        pages = film_pages(found, rated, scale, hidden=hidden)
        if any(counts):
            png = await charts.distribution_png(guild_id, f"film:{found.id}", counts, scale, title)
    await send_chart_pages(interaction, pages, png)


async def setup(bot: KinoBot) -> None:
    await bot.add_cog(Ratings(bot))
    bot.add_dynamic_items(ShareButton)
