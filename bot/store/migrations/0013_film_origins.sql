-- Where a film added from an online search came from. films.source stays 'imdb' for such a film (its
-- key and names are what an IMDb import writes, so a later import merges into it), and widening that
-- CHECK would mean rebuilding the films table; the origin is recorded beside it instead, and goes
-- with the film when it is deleted or merged away.
CREATE TABLE film_origins (
    film_id     INTEGER PRIMARY KEY REFERENCES films (id) ON DELETE CASCADE,
    provider    TEXT    NOT NULL,  -- "wikidata", "tmdb"
    provider_id TEXT    NOT NULL,  -- the provider's own id: "Q1146291", "tmdb:movie:38360"
    guild_id    INTEGER,           -- the server the member searched from
    added_by    INTEGER,           -- the member who picked it from the search's results
    added_at    TEXT    NOT NULL   -- UTC ISO 8601 to the second
);
