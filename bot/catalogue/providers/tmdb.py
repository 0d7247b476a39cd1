"""TMDB, when the admin gives a read token: posters, synopses and taglines per language, trailers, where to watch.

A film with an IMDb id is matched through /find, never by title, so a remake or a namesake cannot
take its place. One /movie request with append_to_response brings the credits, videos, watch offers
(JustWatch's data, which TMDB's terms let us show with its link and credit) and every translation,
so a card in Russian and one in English cost the same single request. Images are kept as paths;
`image_url` builds a sized URL when a card is drawn, never the original (megabytes a poster).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.catalogue.providers.base import Answer, Details, Failure, Watch
from bot.catalogue.providers.http import NOT_FOUND, USER_AGENT, HttpClient, SessionFactory, within
from bot.i18n import N_

NAME = "tmdb"
IMAGE_BASE = "https://image.tmdb.org/t/p"
# The notices TMDB's terms require: its own wherever its data is shown, JustWatch's beside where to watch.
# Marked for the catalog, translated where they are shown.
ATTRIBUTION = N_("This product uses the TMDB API but is not endorsed or certified by TMDB.")
WATCH_ATTRIBUTION = N_("Where to watch: JustWatch.")
# TMDB's language tags are language-region; these are the regions whose texts a club reads.
_REGION_OF = {"en": "US", "ru": "RU"}
CAST = 5  # a card names the first few of the billing, not the crowd scenes


def image_url(path: str, size: str = "w342") -> str:
    """The URL of a TMDB image at one of its sizes: w342 for a poster, w780 for a backdrop."""
    return f"{IMAGE_BASE}/{size}/{path.lstrip('/')}"


def _tag(language: str) -> str:
    region = _REGION_OF.get(language, language.upper())
    return f"{language}-{region}"


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _year(date: Any) -> int | None:
    text = _text(date)
    return int(text[:4]) if text and text[:4].isdigit() else None


def _imdb(value: Any) -> int | None:
    text = _text(value)
    return int(text[2:]) if text and text.startswith("tt") and text[2:].isdigit() else None


class TmdbProvider:
    """The Provider for TMDB's API v3, authenticated with a read access token (Bearer)."""

    name = NAME
    attribution = ATTRIBUTION

    def __init__(
        self,
        token: str,
        base_url: str = "https://api.themoviedb.org/3",
        user_agent: str = USER_AGENT,
        rate: float = 3.0,
        timeout: float = 1.0,
        session_factory: SessionFactory | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self._http = HttpClient(
            NAME,
            user_agent=user_agent,
            rate=rate,
            headers={"Authorization": f"Bearer {token}"},
            session_factory=session_factory,
        )

    def __repr__(self) -> str:  # the token lives in the client's headers; keep it out of any repr
        return f"TmdbProvider(base_url={self.base_url!r})"

    async def close(self) -> None:
        await self._http.close()

    async def by_imdb(self, imdb_id: int, languages: tuple[str, ...], region: str | None) -> Answer:
        return await within(NAME, self.timeout, self._by_imdb(imdb_id, languages, region))

    async def details(self, provider_id: str, languages: tuple[str, ...], region: str | None) -> Answer:
        movie = provider_id.removeprefix("tmdb:movie:")
        if not movie.isdigit():
            return None
        return await within(NAME, self.timeout, self._movie(int(movie), languages, region))

    async def search(self, title: str, year: int | None, languages: tuple[str, ...]) -> list[Details] | Failure:
        return await within(NAME, self.timeout, self._search(title, year, languages or ("en",)))

    async def _by_imdb(self, imdb_id: int, languages: tuple[str, ...], region: str | None) -> Answer:
        found = await self._http.get_json(
            f"{self.base_url}/find/tt{imdb_id:07d}", {"external_source": "imdb_id"}
        )
        if found is NOT_FOUND or isinstance(found, Failure):
            return found
        movies = found.get("movie_results") or []
        if not movies:
            return None
        return await self._movie(int(movies[0]["id"]), languages, region)

    async def _movie(self, movie_id: int, languages: tuple[str, ...], region: str | None) -> Answer:
        video_languages = ",".join((*languages, "null"))  # "null": trailers with no language, common for old films
        body = await self._http.get_json(
            f"{self.base_url}/movie/{movie_id}",
            {
                "language": "en-US",
                "append_to_response": "credits,videos,watch/providers,translations",
                "include_video_language": video_languages,
            },
        )
        if body is NOT_FOUND or isinstance(body, Failure):
            return body
        return parse_movie(body, languages, region)

    async def _search(self, title: str, year: int | None, languages: tuple[str, ...]) -> list[Details] | Failure:
        params = {"query": title, "include_adult": "false", "language": _tag(languages[0])}
        if year is not None:
            params["year"] = str(year)
        body = await self._http.get_json(f"{self.base_url}/search/movie", params)
        if isinstance(body, Failure):
            return body
        if body is NOT_FOUND:
            return []
        return [parse_result(result, languages[0]) for result in (body.get("results") or [])[:10]]


def parse_result(result: Mapping[str, Any], language: str) -> Details:
    """One film of a /search/movie page, its texts in the language the search asked for."""
    title = _text(result.get("title"))
    overview = _text(result.get("overview"))
    return Details(
        provider=NAME,
        provider_id=f"tmdb:movie:{int(result['id'])}",
        title=title if language == "en" else None,
        titles={language: title} if title else {},
        original_title=_text(result.get("original_title")),
        year=_year(result.get("release_date")),
        tmdb_id=int(result["id"]),
        synopses={language: overview} if overview else {},
        poster_path=_text(result.get("poster_path")),
        backdrop_path=_text(result.get("backdrop_path")),
    )


def _translations(body: Mapping[str, Any], languages: tuple[str, ...]) -> dict[str, Mapping[str, Any]]:
    """Language → the translation's data, preferring the region a club of that language reads."""
    chosen: dict[str, Mapping[str, Any]] = {}
    for item in (body.get("translations") or {}).get("translations") or []:
        language = item.get("iso_639_1")
        if language not in languages:
            continue
        if language not in chosen or item.get("iso_3166_1") == _REGION_OF.get(language):
            chosen[language] = item.get("data") or {}
    return chosen


def _trailer(body: Mapping[str, Any], languages: tuple[str, ...]) -> str | None:
    videos = [
        video
        for video in (body.get("videos") or {}).get("results") or []
        if video.get("site") == "YouTube" and video.get("type") == "Trailer" and _text(video.get("key"))
    ]
    order = {language: rank for rank, language in enumerate(languages)}
    videos.sort(key=lambda video: (not video.get("official", False), order.get(video.get("iso_639_1"), len(order))))
    return videos[0]["key"] if videos else None


def _watch(body: Mapping[str, Any]) -> tuple[Watch, ...]:
    """Every region's offers: TMDB sends them all in one answer, so one cached answer serves every
    server, whatever its region (the card shows its own)."""
    found = []
    for region, offers in sorted(((body.get("watch/providers") or {}).get("results") or {}).items()):
        if not isinstance(offers, Mapping) or not _text(offers.get("link")) or len(region) != 2:
            continue

        def names(kind: str, offers: Mapping[str, Any] = offers) -> tuple[str, ...]:
            ranked = sorted(offers.get(kind) or [], key=lambda offer: offer.get("display_priority", 0))
            return tuple(name for offer in ranked if (name := _text(offer.get("provider_name"))))

        found.append(Watch(region.upper(), offers["link"], names("flatrate"), names("rent"), names("buy")))
    return tuple(found)


def parse_movie(body: Mapping[str, Any], languages: tuple[str, ...], region: str | None) -> Details:
    """A /movie/{id} answer with credits, videos, watch/providers and translations appended."""
    translated = _translations(body, languages)
    titles = {language: title for language, data in translated.items() if (title := _text(data.get("title")))}
    synopses = {language: text for language, data in translated.items() if (text := _text(data.get("overview")))}
    taglines = {language: text for language, data in translated.items() if (text := _text(data.get("tagline")))}
    # The request asked for en-US: the top-level texts are English whenever TMDB has them.
    if "en" in languages:
        synopses.setdefault("en", _text(body.get("overview")) or "")
        taglines.setdefault("en", _text(body.get("tagline")) or "")
    credits = body.get("credits") or {}
    cast = sorted(credits.get("cast") or [], key=lambda person: person.get("order", 0))
    return Details(
        provider=NAME,
        provider_id=f"tmdb:movie:{int(body['id'])}",
        title=titles.get("en") or _text(body.get("title")),
        titles=titles,
        original_title=_text(body.get("original_title")),
        year=_year(body.get("release_date")),
        runtime=body.get("runtime") or None,
        directors=tuple(
            dict.fromkeys(name for person in credits.get("crew") or []
                          if person.get("job") == "Director" and (name := _text(person.get("name"))))
        ),
        cast=tuple(name for person in cast[:CAST] if (name := _text(person.get("name")))),
        countries=tuple(name for country in body.get("production_countries") or []
                        if (name := _text(country.get("name")))),
        imdb_id=_imdb(body.get("imdb_id")),
        tmdb_id=int(body["id"]),
        synopses={language: text for language, text in synopses.items() if text},
        tagline={language: text for language, text in taglines.items() if text},
        poster_path=_text(body.get("poster_path")),
        backdrop_path=_text(body.get("backdrop_path")),
        trailer=_trailer(body, languages),
        watch=_watch(body),
    )
