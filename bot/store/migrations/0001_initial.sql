-- The first schema. Catalogue facts and bundled lists are shared by every server (guild_id 0);
-- everything a community makes (its lists, ratings, ballots, settings, audit) carries its guild_id.
-- Timestamps are ISO-8601 UTC text.

CREATE TABLE films (
    id             INTEGER PRIMARY KEY,
    key            TEXT    NOT NULL UNIQUE,        -- stable id: bundled slug, "tt0050634", "m-…"
    title          TEXT    NOT NULL,
    original_title TEXT,
    year           INTEGER,
    runtime        INTEGER,                        -- minutes
    synopsis       TEXT,
    imdb_id        INTEGER UNIQUE,                 -- tt0050634 is stored as 50634
    imdb_rating    REAL,                           -- IMDb's own figure, never mixed with the club's
    imdb_votes     INTEGER,
    popularity     INTEGER NOT NULL DEFAULT 0,     -- higher is better known; orders search ties
    source         TEXT    NOT NULL CHECK (source IN ('bundled', 'imdb', 'moderator')),
    added_by       INTEGER,                        -- Discord user id when a moderator added it
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL
);

-- Every name a film is known by, normalised for search (bot.catalogue.normalise).
CREATE TABLE film_titles (
    id       INTEGER PRIMARY KEY,
    film_id  INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    title    TEXT    NOT NULL,
    language TEXT,                                 -- BCP-47-ish: "ru", "ru-Latn", "en"
    kind     TEXT    NOT NULL CHECK (kind IN ('title', 'original', 'alias')),
    norm     TEXT    NOT NULL
);
CREATE INDEX film_titles_film ON film_titles (film_id);
CREATE INDEX film_titles_norm ON film_titles (norm);

-- Substring search (3+ characters) and word-prefix search (any length) over the same names.
CREATE VIRTUAL TABLE film_titles_trigram USING fts5 (
    norm, content = 'film_titles', content_rowid = 'id', tokenize = 'trigram'
);
CREATE VIRTUAL TABLE film_titles_words USING fts5 (
    norm, content = 'film_titles', content_rowid = 'id', tokenize = 'unicode61', prefix = '1 2 3'
);
CREATE VIRTUAL TABLE film_titles_vocab USING fts5vocab (film_titles_words, row);

CREATE TRIGGER film_titles_ai AFTER INSERT ON film_titles BEGIN
    INSERT INTO film_titles_trigram (rowid, norm) VALUES (new.id, new.norm);
    INSERT INTO film_titles_words (rowid, norm) VALUES (new.id, new.norm);
END;
CREATE TRIGGER film_titles_ad AFTER DELETE ON film_titles BEGIN
    INSERT INTO film_titles_trigram (film_titles_trigram, rowid, norm) VALUES ('delete', old.id, old.norm);
    INSERT INTO film_titles_words (film_titles_words, rowid, norm) VALUES ('delete', old.id, old.norm);
END;
CREATE TRIGGER film_titles_au AFTER UPDATE OF norm ON film_titles BEGIN
    INSERT INTO film_titles_trigram (film_titles_trigram, rowid, norm) VALUES ('delete', old.id, old.norm);
    INSERT INTO film_titles_words (film_titles_words, rowid, norm) VALUES ('delete', old.id, old.norm);
    INSERT INTO film_titles_trigram (rowid, norm) VALUES (new.id, new.norm);
    INSERT INTO film_titles_words (rowid, norm) VALUES (new.id, new.norm);
END;

-- Directors and cast, in billing order.
CREATE TABLE film_credits (
    film_id  INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    role     TEXT    NOT NULL CHECK (role IN ('director', 'cast')),
    position INTEGER NOT NULL,
    name     TEXT    NOT NULL,
    norm     TEXT    NOT NULL,
    PRIMARY KEY (film_id, role, position)
) WITHOUT ROWID;
CREATE INDEX film_credits_norm ON film_credits (norm);

-- Countries and genres/themes.
CREATE TABLE film_tags (
    film_id  INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    kind     TEXT    NOT NULL CHECK (kind IN ('country', 'genre')),
    position INTEGER NOT NULL,
    value    TEXT    NOT NULL,
    PRIMARY KEY (film_id, kind, position)
) WITHOUT ROWID;
CREATE INDEX film_tags_value ON film_tags (kind, value COLLATE NOCASE);

CREATE TABLE lists (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,                  -- 0: bundled with the bot, read-only from Discord
    key         TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    description TEXT,
    created_by  INTEGER,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL,
    UNIQUE (guild_id, key)
);

CREATE TABLE list_entries (
    list_id  INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    film_id  INTEGER NOT NULL REFERENCES films (id),
    position INTEGER NOT NULL,
    note     TEXT,
    added_by INTEGER,
    added_at TEXT    NOT NULL,
    PRIMARY KEY (list_id, film_id)
) WITHOUT ROWID;
CREATE INDEX list_entries_film ON list_entries (film_id);

-- Scores are stored on one 1–10 scale whatever a server displays (half stars are score / 2).
CREATE TABLE ratings (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    film_id    INTEGER NOT NULL REFERENCES films (id),
    score      INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    review     TEXT,
    spoiler    INTEGER NOT NULL DEFAULT 0,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, film_id)
) WITHOUT ROWID;
CREATE INDEX ratings_film ON ratings (guild_id, film_id);

CREATE TABLE ballots (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    channel_id INTEGER,
    message_id INTEGER,
    status     TEXT    NOT NULL CHECK (status IN ('open', 'closed', 'cancelled')),
    seed       INTEGER NOT NULL,
    opens_at   TEXT    NOT NULL,
    closes_at  TEXT    NOT NULL,
    closed_at  TEXT
);
CREATE INDEX ballots_guild ON ballots (guild_id, status);

CREATE TABLE candidates (
    ballot_id    INTEGER NOT NULL REFERENCES ballots (id) ON DELETE CASCADE,
    film_id      INTEGER NOT NULL REFERENCES films (id),
    position     INTEGER NOT NULL,
    list_id      INTEGER REFERENCES lists (id) ON DELETE SET NULL,
    nominated_by INTEGER,
    PRIMARY KEY (ballot_id, film_id)
) WITHOUT ROWID;

CREATE TABLE votes (
    ballot_id  INTEGER NOT NULL,
    film_id    INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (ballot_id, film_id, user_id),
    FOREIGN KEY (ballot_id, film_id) REFERENCES candidates (ballot_id, film_id) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE picks (
    id        INTEGER PRIMARY KEY,
    guild_id  INTEGER NOT NULL,
    film_id   INTEGER NOT NULL REFERENCES films (id),
    ballot_id INTEGER REFERENCES ballots (id),
    week      TEXT    NOT NULL,                    -- ISO week in the server's time zone: "2026-W48"
    how       TEXT    NOT NULL CHECK (how IN ('vote', 'moderator')),
    picked_at TEXT    NOT NULL,
    UNIQUE (guild_id, week)
);

CREATE TABLE guild_settings (
    guild_id INTEGER NOT NULL,
    key      TEXT    NOT NULL,
    value    TEXT    NOT NULL,                     -- JSON
    PRIMARY KEY (guild_id, key)
) WITHOUT ROWID;

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    action     TEXT    NOT NULL,                   -- "film.add", "list.rename", …
    target     TEXT,
    before     TEXT,                               -- JSON
    after      TEXT,                               -- JSON
    created_at TEXT    NOT NULL
);
CREATE INDEX audit_log_guild ON audit_log (guild_id, id);
