"""Text shown back: broken Unicode, invisible and bidi characters, markdown, spoilers, and Share.

Every command is driven through the real bot in SimCord; what the member reads and what the database
holds are asserted, never a stand-in."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import discord
import pytest
from discord import app_commands

from bot.errors import UserError
from bot.text import UNSENDABLE
from bot.ui.ratings import NOT_HERE
from cogs.weekly._rate import rating_view
from tests.cogs.film_helpers import CRANES, dump
from tests.cogs.weekly_helpers import follow_simulated_clock, message, text_of, turn_on

LONE = "\ud800"  # half of a surrogate pair: Python holds it, UTF-8 cannot


def _only_refusals(club) -> None:
    """The bot raised nothing but refusals the member was told about."""
    for error in club.take_errors():
        assert isinstance(getattr(error, "original", error), UserError), error


def _commands(club) -> list[app_commands.Command]:
    return [c for c in club.bot.tree.walk_commands() if isinstance(c, app_commands.Command)]


def _filler(club, parameter: app_commands.Parameter):
    """A value SimCord accepts for a required option that is not the one under attack."""
    kind = parameter.type
    if parameter.choices:
        return parameter.choices[0].value
    if kind is discord.AppCommandOptionType.string:
        return "x"
    if kind in (discord.AppCommandOptionType.integer, discord.AppCommandOptionType.number):
        return parameter.min_value if parameter.min_value is not None else 1
    if kind is discord.AppCommandOptionType.boolean:
        return False
    if kind is discord.AppCommandOptionType.user:
        return club.boris
    if kind is discord.AppCommandOptionType.attachment:
        return ("x.txt", b"x")
    raise AssertionError(f"no filler for {parameter.name} ({kind})")


def _text_options(club) -> list[tuple[app_commands.Command, app_commands.Parameter]]:
    """Every free-text option of every command: a command added later is covered without a new test.

    Options with fixed choices are left out: Discord (and SimCord) accept only one of the choices there."""
    return [
        (command, parameter)
        for command in _commands(club)
        for parameter in command.parameters
        if parameter.type is discord.AppCommandOptionType.string and not parameter.choices
    ]


async def test_a_lone_surrogate_in_any_text_option_is_refused_and_nothing_changes(club):
    attacked = _text_options(club)
    assert len(attacked) > 40  # the tree really was walked
    before = await dump(club.store)
    for command, parameter in attacked:
        options = {p.display_name: _filler(club, p) for p in command.parameters if p.required}
        options[parameter.display_name] = f"Cranes {LONE} flying"
        result = await club.mod.slash(club.channel, command.qualified_name, **options)
        where = f"/{command.qualified_name} {parameter.display_name}"
        assert result.ephemeral, where
        assert result.response.content == UNSENDABLE, where
    assert await dump(club.store) == before
    assert club.take_errors() == ()
    club.assert_pings_no_one()


async def test_a_lone_surrogate_typed_into_autocomplete_gets_no_choices(club):
    attacked = [(c, p) for c, p in _text_options(club) if p.autocomplete]
    assert attacked
    for command, parameter in attacked:
        filled = {
            p.display_name: _filler(club, p)
            for p in command.parameters
            if p.required and p is not parameter and p.type is not discord.AppCommandOptionType.attachment
        }
        choices = await club.mod.autocomplete(
            club.channel, command.qualified_name, parameter.display_name, LONE, **filled
        )
        assert choices == [], f"/{command.qualified_name} {parameter.display_name}"
    assert club.take_errors() == ()


async def _rate_form(club, member, film_id: int):
    """The Rate button as the scheduler posts it, clicked: the form it shows."""
    sent = await club.bot.get_channel(club.channel.id).send("Seen it? Rate it.", view=rating_view(film_id))
    post = next(m for m in club.channel.history() if m.id == sent.id)
    shown = await member.click(post, custom_id=f"kino:rate:{film_id}")
    assert shown.modal is not None, shown.response
    return shown


@pytest.mark.parametrize("score", ["7", f"7{LONE}"])
async def test_a_lone_surrogate_typed_into_the_rate_form_is_refused(club, score):
    film = await club.store.films.get_by_key(CRANES)
    shown = await _rate_form(club, club.alice, film.id)
    before = await dump(club.store)
    refused = await club.alice.submit_modal(shown, {"score": score, "review": f"Tender {LONE} and fierce."})
    assert refused.ephemeral
    if score == "7":
        assert refused.response.content == UNSENDABLE
    else:
        assert refused.response.content.startswith("The score must be a number")
    assert await dump(club.store) == before
    _only_refusals(club)


# ------------------------------------------------------------- invisible and bidi characters

INVISIBLE = ["\u202e", "\u200b", "\u2066", "\ufeff", "\u200f", "\u2060", "\u00ad"]
REFUSED = frozenset("".join(INVISIBLE) + "\u2067")


def _refused_as_invisible(result, ch: str) -> None:
    assert result.ephemeral, result.response.content
    content = result.response.content
    assert "invisible or direction-changing character" in content and f"U+{ord(ch):04X}" in content, content
    assert ch not in content


@pytest.mark.parametrize("ch", INVISIBLE)
async def test_a_review_with_an_invisible_or_bidi_character_is_refused(club, ch):
    before = await dump(club.store)
    result = await club.alice.slash(club.channel, "rate", film=CRANES, score=7, review=f"Tender{ch} and fierce")
    _refused_as_invisible(result, ch)
    assert await dump(club.store) == before
    _only_refusals(club)


@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("film add", {"title": "Evil\u202eeht", "year": 1990}),
        ("film add", {"title": "Quiet Days", "year": 1990, "directors": "Ann\u200b Lee"}),
        ("film add", {"title": "Quiet Days", "year": 1990, "synopsis": "A \u2066hidden\u2069 twist"}),
        ("film edit", {"film": "m-setup-film-1991", "title": "Setup\u200b Film"}),
        ("list create", {"name": "Winter\u202e screenings"}),
        ("list create", {"name": "Winter screenings", "description": "Cosy\ufeff films"}),
        ("list add", {"list": "mine", "film": CRANES, "note": "Watch\u200b it"}),
        ("list rename", {"list": "mine", "name": "\u2067Mine"}),
        ("list copy", {"list": "soviet-films-about-parenthood", "name": "Parent\u00adhood"}),
    ],
)
async def test_moderator_text_with_an_invisible_or_bidi_character_is_refused(club, command, options):
    created = await club.mod.slash(club.channel, "list create", name="Mine")
    assert created.response.content.startswith("Created")
    added = await club.mod.slash(club.channel, "film add", title="Setup Film", year=1991)
    assert await club.store.films.get_by_key("m-setup-film-1991"), added.response.content
    before = await dump(club.store)
    result = await club.mod.slash(club.channel, command, **options)
    ch = next(c for value in options.values() if isinstance(value, str) for c in value if c in REFUSED)
    _refused_as_invisible(result, ch)
    assert await dump(club.store) == before
    _only_refusals(club)


async def test_a_list_file_with_a_bidi_name_is_refused(club):
    before = await dump(club.store)
    data = 'key: evil\nname: "Evil \u202elist"\nfilms: []\n'.encode()
    result = await club.mod.slash(club.channel, "list import", file=("evil.yaml", data))
    _refused_as_invisible(result, "\u202e")
    assert await dump(club.store) == before
    club.take_errors()


async def test_joiners_inside_emoji_and_persian_words_are_kept(club):
    review = "👩\u200d💻 and ❤\ufe0f\u200d🔥: می\u200cخواهم"
    result = await club.alice.slash(club.channel, "rate", film=CRANES, score=8, review=review)
    assert result.response.content.startswith("Rated"), result.response.content
    film = await club.store.films.get_by_key(CRANES)
    assert (await club.store.ratings.get(club.guild.id, club.alice.id, film.id)).review == review
    # Between Latin letters a joiner only hides: refused.
    refused = await club.boris.slash(club.channel, "rate", film=CRANES, score=8, review="free\u200dnitro")
    _refused_as_invisible(refused, "\u200d")
    club.take_errors()


async def test_the_search_footer_drops_invisible_and_bidi_characters(club):
    result = await club.alice.slash(club.channel, "film search", title="cranes\u202e\u200b")
    (embed,) = result.response.embeds
    assert embed.footer.text and "\u202e" not in embed.footer.text and "\u200b" not in embed.footer.text
    assert "cranes" in embed.footer.text


# ------------------------------------------------------------------ markdown and spoilers


def _share_message(result):
    """The ephemeral /rate answer that carries the Share button (a reply, or a followup after thinking)."""
    for sent in [result.response, *result.followups]:
        if sent is not None and "Share" in str(sent.components):
            return sent
    raise AssertionError(f"no Share button in {result!r}")


def _reviews(page) -> str:
    """A ratings page without its header: the numbered lines and their reviews."""
    return page.description.split("\n\n", 1)[1]


async def test_an_unpaired_spoiler_mark_cannot_unhide_the_next_members_spoiler(club):
    await club.alice.slash(club.channel, "rate", film=CRANES, score=9, review="What an ending ||")
    await club.boris.slash(club.channel, "rate", film=CRANES, score=5, review="Boris dies at the end", spoiler=True)
    for command in ("seen", "film ratings"):
        result = await club.alice.slash(club.channel, command, film=CRANES)
        assert _reviews(result.response.embeds[0]) == (
            f"1. <@{club.alice.id}> — 9/10\n  What an ending \\|\\|\n"
            f"2. <@{club.boris.id}> — 5/10\n  ||Boris dies at the end||"
        )
    club.assert_pings_no_one()


async def test_a_members_own_spoiler_pair_stays_hidden_and_markdown_shows_as_typed(club):
    review = "The ||butler|| did it. **Bold** # not a heading [free nitro](https://evil.example/a_b)"
    await club.alice.slash(club.channel, "rate", film=CRANES, score=8, review=review)
    result = await club.boris.slash(club.channel, "seen", film=CRANES)
    assert _reviews(result.response.embeds[0]) == (
        f"1. <@{club.alice.id}> — 8/10\n"
        "  The ||butler|| did it. \\*\\*Bold\\*\\* # not a heading \\[free nitro]\\(https://evil.example/a_b)"
    )


async def test_a_shared_spoiler_review_stays_hidden_on_every_line(club):
    film = await club.store.films.get_by_key(CRANES)
    shown = await _rate_form(club, club.alice, film.id)
    saved = await club.alice.submit_modal(
        shown, {"score": "8", "review": "Veronika waits.\n\nBoris never comes home.", "spoiler": True}
    )
    shared = await club.alice.click(_share_message(saved), label="Share")
    (posted,) = shared.followups
    assert not posted.ephemeral and posted.channel_id == club.channel.id
    assert posted.content == (
        f"<@{club.alice.id}> rated **The Cranes Are Flying (1957)**: 8/10\n"
        "> ||Veronika waits.||\n"
        "> ||Boris never comes home.||"
    )
    club.assert_pings_no_one()


async def test_a_spoiler_pair_across_lines_is_closed_and_reopened_on_each_quoted_line(club):
    film = await club.store.films.get_by_key(CRANES)
    shown = await _rate_form(club, club.alice, film.id)
    saved = await club.alice.submit_modal(
        shown, {"score": "7", "review": "Fine film.\nThe end: ||she\nstays|| alone ||", "spoiler": False}
    )
    shared = await club.alice.click(_share_message(saved), label="Share")
    assert shared.followups[0].content == (
        f"<@{club.alice.id}> rated **The Cranes Are Flying (1957)**: 7/10\n"
        "> Fine film.\n"
        "> The end: ||she||\n"
        "> ||stays|| alone \\|\\|"
    )


async def test_a_moderators_film_title_shows_as_typed_in_public_text(club):
    await club.mod.slash(club.channel, "film add", title="M*A*S*H [free nitro](https://evil.example)", year=1970)
    key = "m-m-a-s-h-free-nitro-https-evil-example-1970"
    rated = await club.alice.slash(club.channel, "rate", film=key, score=6)
    shared = await club.alice.click(_share_message(rated), label="Share")
    assert shared.followups[0].content == (
        f"<@{club.alice.id}> rated **M\\*A\\*S\\*H \\[free nitro]\\(https://evil.example) (1970)**: 6/10"
    )
    mine = await club.alice.slash(club.channel, "ratings")
    assert "M\\*A\\*S\\*H \\[free nitro]\\(https://evil.example) (1970)" in mine.response.embeds[0].description


# ------------------------------------------------------------------ Share where the member cannot post


@pytest.mark.parametrize("where", ["member", "everyone"])
async def test_share_refuses_in_a_channel_where_the_member_cannot_send(club, where):
    target = club.alice if where == "member" else club.guild.default_role
    quiet = club.guild.create_text_channel(
        "announcements", overwrites={target: discord.PermissionOverwrite(send_messages=False)}
    )
    rated = await club.alice.slash(quiet, "rate", film=CRANES, score=8, review="Posted for me?")
    shared = await club.alice.click(_share_message(rated), label="Share")
    assert shared.ephemeral and shared.response.content == NOT_HERE
    assert not shared.followups
    assert [m for m in quiet.history() if not m.flags.ephemeral] == []
    # Rights are read at the click: where the member may write, the same kind of click posts.
    rated = await club.boris.slash(club.channel, "rate", film=CRANES, score=8, review="Posted.")
    shared = await club.boris.click(_share_message(rated), label="Share")
    assert shared.followups and not shared.followups[0].ephemeral


async def test_share_without_embed_links_posts_without_a_link_preview(club):
    plain = club.guild.create_text_channel(
        "no-embeds", overwrites={club.alice: discord.PermissionOverwrite(embed_links=False)}
    )
    rated = await club.alice.slash(plain, "rate", film=CRANES, score=8, review="See https://example.com/cranes")
    shared = await club.alice.click(_share_message(rated), label="Share")
    (posted,) = shared.followups
    assert posted.flags.suppress_embeds


def _open_marks(text: str) -> int:
    """Spoiler marks Discord would act on: "||" not written as \\|\\|."""
    return len(re.findall(r"(?<!\\)\|\|", text))


async def test_long_escaped_spoilers_are_never_cut_open_on_a_page(club):
    review = "*" * 299 + "x"  # every star escaped: each review shows twice as long
    raters = [club.guild.add_member(club.env.create_user(f"critic{n}")) for n in range(10)]
    for rater in raters:
        saved = await rater.slash(club.channel, "rate", film=CRANES, score=7, review=review, spoiler=True)
        assert not club.take_errors(), saved
    result = await club.alice.slash(club.channel, "seen", film=CRANES)
    # Six escaped reviews fill a page: ten need two pages instead of one cut short.
    first = result.response.embeds[0]  # the message is edited in place when the page turns
    flipped = await club.alice.click(result.response, label="▶")
    pages = [first, flipped.response.embeds[0]]
    assert pages[0].footer.text.endswith("Page 1 of 2") and pages[1].footer.text.endswith("Page 2 of 2")
    shown = [line for page in pages for line in _reviews(page).split("\n") if line.startswith("  ")]
    assert len(shown) == 10
    assert all(line == "  ||" + "\\*" * 299 + "x||" for line in shown)
    assert all(_open_marks(page.description) % 2 == 0 for page in pages)


async def test_list_and_film_text_from_moderators_shows_as_typed(club):
    created = await club.mod.slash(
        club.channel, "list create", name="Cosy", description="**Cosy** films [free nitro](https://evil.example)"
    )
    assert created.response.content.startswith("Created"), created.response.content
    await club.mod.slash(club.channel, "list add", list="cosy", film=CRANES, note="||ends badly")
    shown = await club.alice.slash(club.channel, "list show", name="cosy")
    (page,) = shown.response.embeds
    assert page.description == "\\*\\*Cosy\\*\\* films \\[free nitro]\\(https://evil.example)"
    assert page.fields[0].value == "\\|\\|ends badly"
    card = await club.alice.slash(club.channel, "film show", title=CRANES)
    on_lists = next(f for f in card.response.embeds[0].fields if f.name == "On the club's lists")
    assert "**Cosy** (this server): \\|\\|ends badly" in on_lists.value

    await club.mod.slash(
        club.channel, "film add", title="Quiet Days", year=1990, synopsis="# Big _news_ [x](https://e.x)"
    )
    card = await club.alice.slash(club.channel, "film show", title="m-quiet-days-1990")
    assert card.response.embeds[0].description == "\\# Big \\_news\\_ \\[x]\\(https://e.x)"


async def test_the_film_of_the_week_announcement_shows_a_moderators_title_as_typed(club):
    follow_simulated_clock(club, datetime(2026, 3, 23, 10, 0, tzinfo=UTC))
    await turn_on(club)
    await club.mod.slash(club.channel, "film add", title="M*A*S*H", year=1970, directors="Robert _Altman_")
    chosen = await club.mod.slash(club.channel, "week pick", film="m-m-a-s-h-1970")
    assert "is the film of the week" in text_of(chosen), text_of(chosen)
    pick = await club.store.weekly.pick_of_week(club.guild.id, "2026-W13")
    announcement = message(club.channel, pick.message_id)
    assert announcement.content == "🏆 **Film of the week (2026-W13): M\\*A\\*S\\*H**"
    assert {f.name: f.value for f in announcement.embeds[0].fields}["Director"] == "Robert \\_Altman\\_"
    club.assert_pings_no_one()
