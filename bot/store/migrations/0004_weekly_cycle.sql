-- The film of the week. 0001 sketched ballots, candidates, votes and picks, but nothing ever wrote
-- to them; they are rebuilt here in the shape the weekly cycle needs (no data is lost: they are empty).

DROP TABLE votes;
DROP TABLE candidates;
DROP TABLE picks;
DROP TABLE ballots;

CREATE TABLE ballots (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    week       TEXT    NOT NULL,                   -- ISO week it opened in, server time zone: "2026-W48"
    status     TEXT    NOT NULL CHECK (status IN ('open', 'closed', 'cancelled')),
    seed       INTEGER NOT NULL,                   -- the draw and the last tie-break replay from it
    channel_id INTEGER NOT NULL,
    message_id INTEGER,                            -- NULL while the post is still owed
    opened_by  INTEGER,                            -- a moderator; NULL when the schedule opened it
    opened_at  TEXT    NOT NULL,
    closes_at  TEXT    NOT NULL,
    closed_at  TEXT,
    problem    TEXT                                -- why the last attempt to post it failed
);
-- One ballot a week and one open at a time, whoever races to open it.
CREATE UNIQUE INDEX ballots_week ON ballots (guild_id, week) WHERE status != 'cancelled';
CREATE UNIQUE INDEX ballots_open ON ballots (guild_id) WHERE status = 'open';

CREATE TABLE candidates (
    ballot_id    INTEGER NOT NULL REFERENCES ballots (id) ON DELETE CASCADE,
    film_id      INTEGER NOT NULL REFERENCES films (id),
    position     INTEGER NOT NULL,
    list_id      INTEGER REFERENCES lists (id) ON DELETE SET NULL,  -- NULL: a member nominated it
    list_name    TEXT,                             -- as it was when drawn
    note         TEXT,                             -- the curator's note, as it was when drawn
    nominated_by INTEGER,
    PRIMARY KEY (ballot_id, film_id)
) WITHOUT ROWID;
CREATE INDEX candidates_film ON candidates (film_id);

CREATE TABLE votes (
    ballot_id  INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    film_id    INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (ballot_id, user_id, film_id),
    FOREIGN KEY (ballot_id, film_id) REFERENCES candidates (ballot_id, film_id)
        ON DELETE CASCADE ON UPDATE CASCADE
) WITHOUT ROWID;

CREATE TABLE picks (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    week        TEXT    NOT NULL,
    film_id     INTEGER REFERENCES films (id),     -- NULL: the club skipped this week
    how         TEXT    NOT NULL CHECK (how IN ('vote', 'moderator', 'skip')),
    ballot_id   INTEGER REFERENCES ballots (id),
    list_id     INTEGER REFERENCES lists (id) ON DELETE SET NULL,  -- where the film came from (tie rule)
    picked_by   INTEGER,                           -- the moderator, for 'moderator' and 'skip'
    picked_at   TEXT    NOT NULL,
    screening_at TEXT,                             -- UTC, when the club watches it together
    channel_id  INTEGER,
    message_id  INTEGER,                           -- the announcement; NULL while it is owed
    thread_id   INTEGER,
    event_id    INTEGER,
    problem     TEXT,
    CHECK ((how = 'skip') = (film_id IS NULL)),
    UNIQUE (guild_id, week)
);
CREATE INDEX picks_film ON picks (guild_id, film_id);

-- A member's nomination for the next ballot: one per member until that ballot opens.
CREATE TABLE nominations (
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    film_id    INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;

-- The lists a server draws its candidates from, and how often. No rows: every list, weight 1.
CREATE TABLE rotation (
    guild_id INTEGER NOT NULL,
    list_id  INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    weight   INTEGER NOT NULL CHECK (weight BETWEEN 1 AND 100),
    PRIMARY KEY (guild_id, list_id)
) WITHOUT ROWID;

-- When each server's next transition is due; one loop sleeps until the earliest. A transition
-- deletes its row in the transaction that makes the change, so it happens once however often it runs.
CREATE TABLE deadlines (
    guild_id INTEGER NOT NULL,
    kind     TEXT    NOT NULL CHECK (kind IN ('open', 'close', 'retry')),
    due_at   TEXT    NOT NULL,                     -- UTC ISO-8601
    PRIMARY KEY (guild_id, kind)
) WITHOUT ROWID;
CREATE INDEX deadlines_due ON deadlines (due_at);
