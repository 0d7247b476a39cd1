"""Wikidata, keyless and CC0: titles in every language, year, directors, cast, countries, runtime, cross-ids.

A film is an item whose P31 ("instance of") is one of the film classes below; a search keeps only
those, so "The Mirror" finds Tarkovsky's film and not the object. Entity-valued statements (a
director is an item, Q373500) hold ids, not names: one batched wbgetentities call for their labels
follows the one for the films, so a lookup is three requests however many people a film credits.
By IMDb id it asks CirrusSearch (`haswbstatement:P345=tt…`) on the same host, or the SPARQL endpoint
when one is configured. The Wikimedia API answers its own errors with HTTP 200 and an `error` object.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from bot.catalogue.providers.base import Answer, Details, Failure
from bot.catalogue.providers.http import NOT_FOUND, USER_AGENT, HttpClient, SessionFactory, within
from bot.i18n import N_

NAME = "wikidata"
ATTRIBUTION = N_("Film facts from Wikidata (CC0).")  # CC0 asks for no credit; members should know the source
# film, feature film, television film, anime film, animated film, animated feature film, silent film,
# documentary film, short film, animated short film
FILM_CLASSES = frozenset({
    "Q11424", "Q24869", "Q506240", "Q20650540", "Q202866", "Q29168811", "Q226730", "Q93204", "Q24862", "Q17517379",
})
LABELS = ("en", "ru", "mul")  # "mul": the one label a name has in every language written in Latin script
CAST = 5
CANDIDATES = 12  # search hits checked for being films; the rest are songs, novels, people
_BATCH = 50  # wbgetentities' limit of ids per request
_UNIT_MINUTES = {
    "http://www.wikidata.org/entity/Q7727": 1.0,  # minute
    "http://www.wikidata.org/entity/Q11574": 1 / 60,  # second
    "http://www.wikidata.org/entity/Q25235": 60.0,  # hour
}
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_QID = re.compile(r"^Q\d+$")


class WikidataProvider:
    """The Provider for Wikidata's action API (and optionally its query service)."""

    name = NAME
    attribution = ATTRIBUTION

    def __init__(
        self,
        session_factory: SessionFactory | None = None,
        base_url: str = "https://www.wikidata.org",
        sparql_url: str | None = None,
        user_agent: str = USER_AGENT,
        rate: float = 3.0,
        timeout: float = 1.0,
    ) -> None:
        self.api = f"{base_url.rstrip('/')}/w/api.php"
        self.sparql_url = sparql_url
        self.timeout = timeout
        self._http = HttpClient(NAME, user_agent=user_agent, rate=rate, session_factory=session_factory)

    async def close(self) -> None:
        await self._http.close()

    async def by_imdb(self, imdb_id: int, languages: tuple[str, ...], region: str | None) -> Answer:
        return await within(NAME, self.timeout, self._by_imdb(imdb_id, languages))

    async def details(self, provider_id: str, languages: tuple[str, ...], region: str | None) -> Answer:
        if not _QID.match(provider_id):
            return None
        return await within(NAME, self.timeout, self._one(provider_id, languages))

    async def search(self, title: str, year: int | None, languages: tuple[str, ...]) -> list[Details] | Failure:
        return await within(NAME, self.timeout, self._search(title, year, languages or ("en",)))

    async def _api(self, **params: str) -> Any:
        body = await self._http.get_json(self.api, {"format": "json", "formatversion": "1", **params})
        if isinstance(body, Mapping) and isinstance(body.get("error"), Mapping):
            code = str(body["error"].get("code") or "error")
            # maxlag: the servers are behind and ask bots to wait; anything else will not change on retry.
            if code == "maxlag":
                return Failure(NAME, "maxlag", retry_after=self._http.quiet_for(self.api))
            return Failure(NAME, f"api:{code}", transient=False)
        return body

    async def _by_imdb(self, imdb_id: int, languages: tuple[str, ...]) -> Answer:
        imdb = f"tt{imdb_id:07d}"
        if self.sparql_url:
            query = f'SELECT ?item WHERE {{ ?item wdt:P345 "{imdb}" . }} LIMIT 3'
            body = await self._http.get_json(self.sparql_url, {"query": query, "format": "json"})
            if body is NOT_FOUND or isinstance(body, Failure):
                return body
            uris = [row["item"]["value"] for row in body["results"]["bindings"]]
            ids = [uri.rsplit("/", 1)[-1] for uri in uris]
        else:
            body = await self._api(action="query", list="search", srsearch=f"haswbstatement:P345={imdb}",
                                   srlimit="3", srnamespace="0")
            if body is NOT_FOUND or isinstance(body, Failure):
                return body
            ids = [hit["title"] for hit in body["query"]["search"]]
        ids = [qid for qid in ids if _QID.match(qid)]
        if not ids:
            return None
        films = await self._films(ids, languages)
        if isinstance(films, Failure):
            return films
        # An id is meant to be on one item; when two carry it, the one that is a film is the film.
        return next((film for film in films if film.imdb_id == imdb_id), films[0] if films else None)

    async def _one(self, qid: str, languages: tuple[str, ...]) -> Answer:
        films = await self._films([qid], languages)
        if isinstance(films, Failure):
            return films
        return films[0] if films else None

    async def _search(self, title: str, year: int | None, languages: tuple[str, ...]) -> list[Details] | Failure:
        # Wikibase searches the given language and its fallbacks (English last): Cyrillic text is searched as Russian.
        language = "ru" if _CYRILLIC.search(title) else languages[0]
        body = await self._api(action="wbsearchentities", search=title, language=language, uselang=language,
                               type="item", limit=str(CANDIDATES))
        if isinstance(body, Failure):
            return body
        if body is NOT_FOUND:
            return []
        ids = list(dict.fromkeys(hit["id"] for hit in body.get("search") or [] if _QID.match(str(hit.get("id")))))
        if not ids:
            return []
        films = await self._films(ids, languages)
        if isinstance(films, Failure):
            return films
        if year is not None:
            films = [film for film in films if film.year is None or abs(film.year - year) <= 1]
        return films[:10]

    async def _films(self, ids: list[str], languages: tuple[str, ...]) -> list[Details] | Failure:
        """The films among `ids`, in their order, with their people and countries named."""
        wanted = "|".join(dict.fromkeys((*LABELS, *languages)))
        entities: dict[str, Any] = {}
        for start in range(0, len(ids), _BATCH):
            body = await self._api(action="wbgetentities", ids="|".join(ids[start:start + _BATCH]),
                                   props="labels|claims", languages=wanted)
            if body is NOT_FOUND:
                continue
            if isinstance(body, Failure):
                return body
            entities.update(body.get("entities") or {})
        films = [entity for qid in ids if _is_film(entity := entities.get(qid) or {})]
        if not films:
            return []
        referenced = list(dict.fromkeys(qid for film in films for qid in _referenced(film)))
        names: dict[str, str] = {}
        for start in range(0, len(referenced), _BATCH):
            body = await self._api(action="wbgetentities", ids="|".join(referenced[start:start + _BATCH]),
                                   props="labels", languages="|".join(LABELS))
            if isinstance(body, Failure):
                return body
            if body is not NOT_FOUND:
                names.update(_names(body.get("entities") or {}))
        return [parse_entity(film, names, languages) for film in films]


def _statements(entity: Mapping[str, Any], prop: str) -> list[Any]:
    """The values of one property, preferred statements first, deprecated ones and "unknown value" left out."""
    claims = [claim for claim in (entity.get("claims") or {}).get(prop) or [] if claim.get("rank") != "deprecated"]
    claims.sort(key=lambda claim: claim.get("rank") != "preferred")
    values = []
    for claim in claims:
        snak = claim.get("mainsnak") or {}
        if snak.get("snaktype", "value") == "value" and "datavalue" in snak:
            values.append(snak["datavalue"].get("value"))
    return values


def _item_ids(entity: Mapping[str, Any], prop: str) -> list[str]:
    return [value["id"] for value in _statements(entity, prop) if isinstance(value, Mapping) and "id" in value]


def _is_film(entity: Mapping[str, Any]) -> bool:
    return "missing" not in entity and not FILM_CLASSES.isdisjoint(_item_ids(entity, "P31"))


def _people(entity: Mapping[str, Any]) -> dict[str, list[str]]:
    return {
        "P57": _item_ids(entity, "P57"),
        "P161": _item_ids(entity, "P161")[:CAST],
        "P495": _item_ids(entity, "P495"),
    }


def _referenced(entity: Mapping[str, Any]) -> Iterable[str]:
    for ids in _people(entity).values():
        yield from ids


def _label(labels: Mapping[str, Any], order: Iterable[str]) -> str | None:
    for language in order:
        value = (labels.get(language) or {}).get("value")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _names(entities: Mapping[str, Any]) -> dict[str, str]:
    """Item id → its name as the catalogue writes names: English, else the shared label, else Russian."""
    names = {}
    for qid, entity in entities.items():
        name = _label(entity.get("labels") or {}, ("en", "mul", "ru"))
        if name:
            names[qid] = name
    return names


def _year(entity: Mapping[str, Any]) -> int | None:
    years = []
    for value in _statements(entity, "P577"):
        match = re.match(r"^[+]?(\d{4})-", str((value or {}).get("time", "")))
        if match:
            years.append(int(match.group(1)))
    return min(years) if years else None  # the premiere, not a later country's release


def _runtime(entity: Mapping[str, Any]) -> int | None:
    for value in _statements(entity, "P2047"):
        per_minute = _UNIT_MINUTES.get((value or {}).get("unit"))
        if per_minute is not None:
            minutes = round(float(value["amount"]) * per_minute)
            if minutes > 0:
                return minutes
    return None


def _string(entity: Mapping[str, Any], prop: str) -> str | None:
    values = [value.strip() for value in _statements(entity, prop) if isinstance(value, str) and value.strip()]
    return values[0] if values else None


def parse_entity(entity: Mapping[str, Any], names: Mapping[str, str], languages: tuple[str, ...]) -> Details:
    """A film item from wbgetentities, its people and countries named from a second call's labels."""
    labels = entity.get("labels") or {}
    titles = {}
    for language in dict.fromkeys((*languages, "en", "ru")):
        title = _label(labels, (language,))
        if title:
            titles[language] = title
    original = [value.get("text") for value in _statements(entity, "P1476") if isinstance(value, Mapping)]
    imdb = _string(entity, "P345")
    tmdb = _string(entity, "P4947")
    people = _people(entity)
    return Details(
        provider=NAME,
        provider_id=str(entity["id"]),
        title=_label(labels, ("en", "mul")),
        titles=titles,
        original_title=next((text.strip() for text in original if isinstance(text, str) and text.strip()), None),
        year=_year(entity),
        runtime=_runtime(entity),
        directors=tuple(names[qid] for qid in people["P57"] if qid in names),
        cast=tuple(names[qid] for qid in people["P161"] if qid in names),
        countries=tuple(names[qid] for qid in people["P495"] if qid in names),
        imdb_id=int(imdb[2:]) if imdb and imdb.startswith("tt") and imdb[2:].isdigit() else None,
        tmdb_id=int(tmdb) if tmdb and tmdb.isdigit() else None,
        kinopoisk_id=_string(entity, "P2603"),
    )
