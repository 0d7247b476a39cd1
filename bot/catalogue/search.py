"""Film search: the one ranking behind autocomplete, `/film show` and `kinoclub search`.

Candidates come from indexes only (a B-tree range for prefixes, FTS5 word-prefix and trigram
indexes for words and substrings), never a table scan; the few candidates are then ranked here:
exact > title prefix > word prefix > substring > one typo; among equally good matches the
server's own films (bundled, on its lists, rated or picked there) before catalogue namesakes, then
popularity.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import time
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.catalogue.club_films import ClubFilms
from bot.catalogue.query import MAX_QUERY, Match, Query, classify, parse
from bot.errors import NotFound, UserError, quote
from bot.i18n import _
from bot.store import Store
from bot.store.models import Film, FilmLabel, NameHit

LIMIT = 25
# How many candidate names each index may offer before ranking; enough that the best 25 films
# are among them for any query that is not a single very common letter.
CANDIDATES = 100
# Substring candidates are sought only for queries up to this long (a single word: up to
# MAX_SUBSTRING_WORD). The trigram index costs grow with the phrase (p95 14 ms for whole titles at 1M
# films, 3 ms at 6 characters; one misspelt word of 11 letters took 44 ms), and a long query that is
# not a title's or a word's beginning is far likelier a typo than a fragment from mid-word.
MAX_SUBSTRING = 12
MAX_SUBSTRING_WORD = 8
# Seconds between checks that the word list for typos is current when this process wrote nothing
# (a keystroke's statement saved; a film another process imports is corrected to a moment later).
VOCABULARY_CHECK = 5.0
# Misspelt words corrected at most per query: each is a pass over the whole word list, and a long
# paste of unknown words is no title with a typo in it.
MAX_CORRECTED = 3
# A person's name beside title words with a word shorter than this is looked for in the titles'
# credits rather than among the person's films (which such a word begins thousands of names of).
SHORT_NAME = 4
# How many ways of splitting the words into a person's name and title words are tried at most.
PERSON_SPLITS = 7


@dataclass(frozen=True)
class Hit:
    film: Film
    match: Match


def typo_budget(word: str) -> int:
    """Edits (a swap of neighbours counts as one) forgiven in one query word; none in short words."""
    if len(word) < 4:
        return 0
    return 1 if len(word) < 8 else 2


class Catalogue:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._club = ClubFilms(store)
        self._vocabulary: list[str] | None = None
        self._known: frozenset[str] = frozenset()
        self._vocabulary_mark: object = None
        self._vocabulary_checked = 0.0
        self._vocabulary_commits = -1
        self._by_length: dict[int, list[str]] = {}

    async def search(self, query: str, limit: int = LIMIT, guild_id: int | None = None) -> list[Hit]:
        """At most `limit` films answering `query`, best first (this server's films first among equals)."""
        chosen = await self._ranked(query, limit, guild_id)
        by_id = {film.id: film for film in await self._store.films.get_many([film_id for film_id, _ in chosen])}
        return [Hit(by_id[film_id], match) for film_id, match in chosen if film_id in by_id]

    async def suggest(self, query: str, limit: int = LIMIT, guild_id: int | None = None) -> list[FilmLabel]:
        """What autocomplete offers: `search`'s films, read as labels (a quarter of the cost)."""
        ranked = await self._ranked(query, limit, guild_id)
        return await self._store.films.labels([film_id for film_id, _ in ranked])

    async def _ranked(self, query: str, limit: int, guild_id: int | None = None) -> list[tuple[int, Match]]:
        """Title words first, narrowed by the year and ranked up by a typed leading article; when
        they name no title, a director's or actor's name (with title words for the rest); typos last.
        A number that is no year and no title word ("mother 3000") is then left out."""
        parsed = parse(query)
        found = await self._ranked_parsed(parsed, limit, guild_id)
        numbers = [word for word in parsed.words.split() if word.isdigit()]
        if found or not numbers:
            return found
        rest = " ".join(word for word in parsed.words.split() if not word.isdigit())
        return await self._ranked_parsed(dataclasses.replace(parsed, words=rest), limit, guild_id)

    async def _ranked_parsed(self, parsed: Query, limit: int, guild_id: int | None) -> list[tuple[int, Match]]:
        films = self._store.films
        if not parsed.words:
            if parsed.years is None:
                return []
            ids = await films.ids_in_years(parsed.years, limit if guild_id is None else CANDIDATES)
            ids = await self._club_first(ids, guild_id)
            return [(film_id, Match.YEAR) for film_id in ids[:limit]]
        # A year to filter by asks for more candidates than are shown.
        want = limit if parsed.years is None else CANDIDATES
        hits = await self._title_hits(parsed.words, want, parsed.years, guild_id)
        alt = parsed.open_end
        if alt is not None:
            hits += await self._title_hits(alt, want, parsed.years, guild_id)
        facts = {hit.film_id: (hit.title, hit.year) for hit in hits}
        ranked = _rank(parsed.words, hits, {}, alt)
        extra: list[int] = []
        if parsed.article is not None and parsed.article.startswith(parsed.words):
            # Only an article (or its beginning) typed: the popular films whose title starts with it.
            extra = await films.popular(CANDIDATES)
        if ranked or extra:
            if len(ranked) < want:
                typos = await self._typo_hits(parsed.words, guild_id)
                facts |= {film_id: (hit.title, hit.year) for film_id, (_, hit) in typos.items()}
                ranked = _rank(parsed.words, hits, typos, alt)
            known = {film_id for film_id, _ in ranked}
            ranked += [(film_id, Match.PREFIX) for film_id in extra if film_id not in known]
            return await self._narrowed(ranked, parsed, facts, limit)
        # No title has these words: a misspelt title, read first (one statement), or a person's name.
        typos = await self._typo_hits(parsed.words, guild_id)
        if typos:
            facts |= {film_id: (hit.title, hit.year) for film_id, (_, hit) in typos.items()}
            return await self._narrowed(_rank(parsed.words, hits, typos, alt), parsed, facts, limit)
        return (await self._credited(parsed, guild_id))[:limit]

    async def _title_hits(
        self, norm: str, want: int, years: tuple[int, int] | None = None, guild_id: int | None = None
    ) -> list[NameHit]:
        films = self._store.films
        hits = await films.names_starting(norm, CANDIDATES)
        if years is not None and len(hits) >= CANDIDATES and sum(_in(hit.year, years) for hit in hits) < LIMIT:
            # Full lists may have cut off the year's films: ask for those alone.
            hits += await films.names_in_years(norm, CANDIDATES, years)
        longest = MAX_SUBSTRING if " " in norm else MAX_SUBSTRING_WORD
        if 3 <= len(norm) <= longest and len(_rank(norm, hits, {})) < want:
            # A full list already outranks any substring match (exact > prefix > word > substring).
            hits += await films.names_containing(norm, CANDIDATES)
        return await self._own(hits, guild_id, norm)

    async def _own(self, hits: list[NameHit], guild_id: int | None, norm: str | None = None) -> list[NameHit]:
        """`hits` marked where the film is the server's own, with (given `norm`) the server's own
        names matching it that the catalogue's lists cut off (a list's Mother among 300 others)."""
        if guild_id is None:
            return hits
        own = await self._club.ids(guild_id)
        marked = [dataclasses.replace(hit, club=True) if hit.film_id in own else hit for hit in hits]
        return marked + (await self._club.matching(guild_id, norm, CANDIDATES) if norm else [])

    async def _club_first(self, ids: list[int], guild_id: int | None) -> list[int]:
        """`ids` with the server's own films first, each part in its order."""
        if guild_id is None or not ids:
            return ids
        own = await self._club.ids(guild_id)
        return sorted(ids, key=lambda film_id: film_id not in own)

    async def _narrowed(
        self, ranked: list[tuple[int, Match]], parsed: Query, facts: dict[int, tuple[str, int | None]], limit: int
    ) -> list[tuple[int, Match]]:
        """`ranked` kept to the films of the query's year (all of them when none is of it), those
        whose title starts with the typed article first. `facts` holds each candidate's title and
        year; only films that came from elsewhere (the popular list) are read."""
        if not ranked or (parsed.years is None and parsed.article is None):
            return ranked[:limit]
        missing = [film_id for film_id, _ in ranked if film_id not in facts]
        if missing:
            facts = facts | await self._store.films.titles_and_years(missing)
        if parsed.years is not None:
            ranked = [pair for pair in ranked if _in(facts.get(pair[0], ("", None))[1], parsed.years)] or ranked
        if parsed.article is not None:
            start = parsed.article + " "
            ranked.sort(key=lambda pair: not facts.get(pair[0], ("", None))[0].casefold().startswith(start))
        return ranked[:limit]

    async def _credited(self, parsed: Query, guild_id: int | None) -> list[tuple[int, Match]]:
        """The films of the person some words name, most popular first; the other words, if any,
        must then name one of those films' titles (ranked as titles are)."""
        words = parsed.words.split()
        splits = [(parsed.words, "")]
        # A name of one to three words, after the title words ("mood for love wong kar wai"), then before.
        for k in range(1, min(len(words), 4)):
            splits.append((" ".join(words[-k:]), " ".join(words[:-k])))  # "cranes kalatozov"
        for k in range(1, min(len(words), 4)):
            splits.append((" ".join(words[:k]), " ".join(words[k:])))  # "kalatozov cranes"
        films = self._store.films
        for person, rest in splits[:PERSON_SPLITS]:
            if not rest:
                ids = await films.ids_crediting(person, parsed.years, CANDIDATES)
                if ids:
                    return [(film_id, Match.CREDIT) for film_id in await self._club_first(ids, guild_id)]
                continue
            if min(len(word) for word in person.split()) >= SHORT_NAME:
                # Title words among the person's films, in one statement: a common surname has
                # thousands of films, of which the intended one need not be among the most popular.
                found = await films.names_starting(rest, CANDIDATES, person, parsed.years)
            else:
                # "wu", "lee", "vin": the start of thousands of names; the titles' credits instead.
                found = await films.names_credited(rest, CANDIDATES, person, parsed.years)
            hits = await self._own(found, guild_id)
            titled = _rank(rest, hits, {})
            if titled:
                return titled
        return []

    async def resolve(self, text: str, guild_id: int | None = None) -> Film:
        """The film a command option names: a film key (what autocomplete sends) or typed text
        (read as search reads it for this server).

        Typed text that matches nothing raises `NotFound` with a pointer to autocomplete.
        """
        text = text.strip()
        if not text:
            raise UserError(_("Give a film title: start typing and pick one from the list."))
        if len(text) <= MAX_QUERY:
            film = await self._store.films.get_by_key(text)
            if film is not None:
                return film
        found = await self.search(text, limit=1, guild_id=guild_id)
        if not found:
            raise NotFound(
                _(
                    "No film matching {typed} is in the catalogue. Start typing a title and pick "
                    "one of the suggestions; a moderator can add a missing film."
                ).format(typed=quote(text))
            )
        return found[0].film

    async def popular(self, limit: int = LIMIT) -> list[Film]:
        """What to suggest before anything is typed."""
        return await self._store.films.get_many(await self._store.films.popular(limit))

    async def _typo_hits(self, norm: str, guild_id: int | None = None) -> dict[int, tuple[Match, NameHit]]:
        """Names matching the query once each misspelt word is corrected against the index words,
        with how well they answer the corrected query (so "brauthut" ranks "The Brauthut" first)."""
        vocabulary = await self._words()
        known = self._known
        options = []
        words = norm.split()
        corrected_words = 0
        for position, word in enumerate(words, 1):
            budget = typo_budget(word)
            fixes = [word]
            # The last word may be still being typed: the beginning of a known word is no typo.
            typing = position == len(words) and _begins_a_word(vocabulary, word)
            if budget and word not in known and not typing and corrected_words < MAX_CORRECTED:
                corrected_words += 1
                fixes = self._corrections(word, budget) or [word]
            options.append(fixes)
        variants = [" ".join(v) for v in itertools.islice(itertools.product(*options), 6) if list(v) != words]
        hits: dict[int, tuple[Match, NameHit]] = {}
        if not variants:
            return hits
        # Every corrected reading in one statement; each name counts with the reading it answers best.
        for hit in await self._own(await self._store.films.names_starting(variants, CANDIDATES), guild_id):
            matches = [match for corrected in variants if (match := classify(corrected, hit.norm)) is not None]
            found = (min(matches, default=Match.TYPO), hit)
            hits[hit.film_id] = min(hits.get(hit.film_id, found), found, key=lambda pair: pair[0])
        return hits

    def _corrections(self, word: str, budget: int) -> list[str]:
        """The three known words nearest `word` within `budget` edits. Only words whose length is
        within the budget can be, so only those are compared (a fifth of the list, not all of it)."""
        found = []
        for length in range(len(word) - budget, len(word) + budget + 1):
            found += process.extract(
                word, self._by_length.get(length, ()), scorer=OSA.distance, score_cutoff=budget, limit=3
            )
        return [term for term, _, _ in sorted(found, key=lambda item: (item[1], item[0]))[:3]]

    async def _words(self) -> list[str]:
        now, commits = time.monotonic(), self._store.commits
        stale = self._vocabulary is None or commits != self._vocabulary_commits
        if stale or now - self._vocabulary_checked >= VOCABULARY_CHECK:
            self._vocabulary_checked, self._vocabulary_commits = now, commits
            mark = await self._store.films.names_mark()
            if self._vocabulary is None or mark != self._vocabulary_mark:
                self._vocabulary = sorted(await self._store.films.vocabulary())
                self._known = frozenset(self._vocabulary)
                self._by_length = {}
                for term in self._vocabulary:
                    self._by_length.setdefault(len(term), []).append(term)
                self._vocabulary_mark = mark
        return self._vocabulary


def _in(year: int | None, years: tuple[int, int]) -> bool:
    return year is not None and years[0] <= year <= years[1]


def _begins_a_word(vocabulary: list[str], prefix: str) -> bool:
    """Whether some word of the sorted `vocabulary` starts with `prefix`."""
    at = bisect.bisect_left(vocabulary, prefix)
    return at < len(vocabulary) and vocabulary[at].startswith(prefix)


def _rank(
    norm: str,
    hits: list[NameHit],
    typos: dict[int, tuple[Match, NameHit]],
    alt: str | None = None,
) -> list[tuple[int, Match]]:
    """Best match first; `alt`, another reading of `norm` (Query.open_end), counts as well."""
    best: dict[int, tuple] = {}
    seen = set()
    for hit in hits:
        if (hit.film_id, hit.norm) in seen:  # the range and the word index often both find a name
            continue
        seen.add((hit.film_id, hit.norm))
        match = classify(norm, hit.norm)
        if alt is not None:
            other = classify(alt, hit.norm)
            match = other if match is None or (other is not None and other < match) else match
        if match is not None:
            key = (match, not hit.club, -hit.popularity, len(hit.norm), hit.film_id)
            best[hit.film_id] = min(best.get(hit.film_id, key), key)
    for film_id, (corrected, hit) in typos.items():
        if film_id not in best:
            best[film_id] = (Match.TYPO, not hit.club, corrected, -hit.popularity, len(hit.norm), film_id)
    return [(film_id, key[0]) for film_id, key in sorted(best.items(), key=lambda item: item[1])]
