"""/top, /match and /recommend: what the club's ratings say about films and about its members.

Plain top-level commands (not a group): they are read-only and short to type.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Literal

import discord
from discord import app_commands

from bot import clock
from bot.catalogue.list_curation import Curation
from bot.club import taste
from bot.club.rating import server_scale
from bot.club.weekly import reveal
from bot.errors import UserError
from bot.i18n import N_, _, counted, speaking
from bot.store.models import Film
from bot.ui import limits
from bot.ui.pages import send_pages
from bot.ui.replies import tell
from bot.ui.taste import match_embed, recommend_embed, top_pages
from cogs._language import public_language
from cogs.lists._options import any_list

if TYPE_CHECKING:
    from bot.app import KinoBot
    from bot.store import Store

Period = Literal["week", "month", "year", "all"]
PERIOD_DAYS = {"week": 7, "month": 30, "year": 365}
PERIOD_WORDS = {"week": N_("this week"), "month": N_("this month"), "year": N_("this year"), "all": N_("all time")}


async def _min_ratings(store: Store, guild_id: int) -> int:
    value = await store.settings.get(guild_id, taste.TOP_MIN_RATINGS, taste.DEFAULT_MIN_RATINGS)
    # A hand-edited or old setting must not break /top: anything unusable means the default.
    return value if isinstance(value, int) and value >= 1 else taste.DEFAULT_MIN_RATINGS


async def _films(store: Store, film_ids: list[int]) -> dict[int, Film]:
    return {film.id: film for film in await store.films.get_many(film_ids)}


async def _visible(interaction: discord.Interaction, matrix: list[tuple[int, int, int]]) -> list:
    bot = interaction.client
    hidden = await reveal.hidden_film(bot.store, bot.config, interaction.guild_id)
    return reveal.visible_matrix(matrix, interaction.user.id, hidden)


@app_commands.command(name="top", description="The club's best-rated films")
@app_commands.guild_only()
@app_commands.rename(list_key="list")
@app_commands.describe(period="Only ratings given in this period", list_key="Only films on this list")
@app_commands.autocomplete(list_key=any_list)
async def top(interaction: discord.Interaction, period: Period = "all", list_key: str | None = None) -> None:
    store: Store = interaction.client.store
    guild_id = interaction.guild_id
    only = None
    curated = None
    if list_key:
        curated = await Curation(store).usable(guild_id, list_key)
        only = {entry.film.id for entry in await store.lists.entries(curated.id)}
    since = None
    if period in PERIOD_DAYS:
        since = (clock.now() - timedelta(days=PERIOD_DAYS[period])).isoformat(timespec="seconds")
    matrix = await _visible(interaction, await store.ratings.matrix(guild_id, since=since))
    min_ratings = await _min_ratings(store, guild_id)
    ranked = taste.top(matrix, min_ratings, only=only)
    if not ranked:
        enough = counted(min_ratings, "{n} or more ratings", "{n} or more ratings")
        if curated is not None:
            text = _(
                "No film on {list} has {enough} ({period}) yet, so there is no top to show. Rate more films with /rate."
            ).format(list=curated.name, enough=enough, period=_(PERIOD_WORDS[period]))
        else:
            text = _(
                "No film has {enough} ({period}) yet, so there is no top to show. Rate more films with /rate."
            ).format(enough=enough, period=_(PERIOD_WORDS[period]))
        await tell(interaction, limits.clip(text, limits.MESSAGE))
        return
    films = await _films(store, [row.film_id for row in ranked])
    scale = await server_scale(store, guild_id)
    with speaking(await public_language(interaction.client, guild_id)):  # posted in the channel
        heading = _("Club top · {period}").format(period=_(PERIOD_WORDS[period]))
        if curated is not None:
            heading += f" · {curated.name}"
        pages = top_pages(ranked, films, limits.clip(heading, 200), taste.club_mean(matrix), min_ratings, scale)
    await send_pages(interaction, pages)


@app_commands.command(name="match", description="How alike your taste is to another member's")
@app_commands.guild_only()
@app_commands.describe(member="The member to compare with")
async def match(interaction: discord.Interaction, member: discord.Member) -> None:
    me = interaction.user
    if member.id == me.id:
        raise UserError(_("That is you. Pick another member to compare your taste with."))
    if member.bot:
        raise UserError(_("Bots do not rate films. Pick a member of the club."))
    store: Store = interaction.client.store
    matrix = await _visible(interaction, await store.ratings.matrix(interaction.guild_id))
    result = taste.match(matrix, me.id, member.id)
    if not result.overlap:
        raise UserError(_("You and <@{member}> have not rated any film in common yet.").format(member=member.id))
    films = await _films(store, [d.film_id for d in result.disagreements])
    scale = await server_scale(store, interaction.guild_id)
    with speaking(await public_language(interaction.client, interaction.guild_id)):  # posted in the channel
        embed = match_embed(me.id, member.id, result, films, scale)
    await interaction.response.send_message(embed=embed, allowed_mentions=discord.AllowedMentions.none())


@app_commands.command(name="recommend", description="Films members with taste like yours rated highly")
@app_commands.guild_only()
async def recommend(interaction: discord.Interaction) -> None:
    store: Store = interaction.client.store
    guild_id = interaction.guild_id
    matrix = await _visible(interaction, await store.ratings.matrix(guild_id))
    if not taste.neighbours(matrix, interaction.user.id):
        raise UserError(
            _(
                "No member's ratings line up with yours yet: recommendations need a few films you and others "
                "have both rated ({least} or more). Rate more films with /rate and try again."
            ).format(least=taste.MIN_OVERLAP)
        )
    scale = await server_scale(store, guild_id)
    language = await public_language(interaction.client, guild_id)
    with speaking(language):  # each pick's reason is worded here, for the post in the channel
        picks = taste.recommend(matrix, interaction.user.id, k=10, scale=scale)
    if not picks:
        raise UserError(
            _(
                "Members who share your taste have not rated anything new to you highly enough to recommend. "
                "Try again after more ratings."
            )
        )
    films = await _films(store, [pick.film_id for pick in picks])
    with speaking(language):
        embed = recommend_embed(picks, films, scale)
    await interaction.response.send_message(embed=embed, allowed_mentions=discord.AllowedMentions.none())


COMMANDS = (top, match, recommend)


async def setup(bot: KinoBot) -> None:
    for command in COMMANDS:
        bot.tree.add_command(command)


async def teardown(bot: KinoBot) -> None:
    for command in COMMANDS:
        bot.tree.remove_command(command.name)
