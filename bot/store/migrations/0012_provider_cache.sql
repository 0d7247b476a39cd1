-- What each online provider said about each film, kept only as long as the provider's terms allow
-- (TMDB: at most six months) and purged on a schedule. Image paths, never images. A transient
-- failure (timeout, 429, 5xx) is never a row: the next card simply asks again.
CREATE TABLE provider_cache (
    film_id    INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    provider   TEXT    NOT NULL,  -- "wikidata", "tmdb"
    status     TEXT    NOT NULL CHECK (status IN ('found', 'not_found')),
    details    TEXT,              -- JSON of the provider's Details; NULL when not found
    fetched_at TEXT    NOT NULL,  -- UTC ISO 8601 to the second, so the texts sort as the instants do
    expires_at TEXT    NOT NULL,
    CHECK ((status = 'found') = (details IS NOT NULL)),
    PRIMARY KEY (film_id, provider)
) WITHOUT ROWID;
-- The purge deletes by expiry across every film.
CREATE INDEX provider_cache_expiry ON provider_cache (expires_at);
