-- The weekly cycle's recorded result, reminders and the week's rating window.

-- What the closing transaction decided, stored once: every surface (the closed ballot, the
-- announcement, /week show, /week history, an announcement owed after a restart) reads it.
CREATE TABLE results (
    ballot_id INTEGER PRIMARY KEY REFERENCES ballots (id) ON DELETE CASCADE,
    winner_id INTEGER NOT NULL,
    counts    TEXT    NOT NULL,  -- JSON [[film id, votes], ...] in ballot order, as tallied
    voters    INTEGER NOT NULL,  -- members whose votes were counted
    left_out  TEXT    NOT NULL,  -- JSON [[user id, reason], ...]: voters whose votes were not counted
    decided   TEXT    NOT NULL CHECK (decided IN ('most_votes', 'list_rotation', 'seed')),
    seed      INTEGER NOT NULL   -- the seed the last tie-break used
) WITHOUT ROWID;

-- Deadlines gain the reminders and the rating window; `subject` is the ballot or pick a deadline
-- is about, so one that outlived its subject (a cancelled ballot) is recognised and dropped.
CREATE TABLE deadlines_new (
    guild_id INTEGER NOT NULL,
    kind     TEXT    NOT NULL CHECK (kind IN ('open', 'close', 'retry', 'remind_close', 'remind_screening', 'rating')),
    due_at   TEXT    NOT NULL,
    subject  INTEGER,
    PRIMARY KEY (guild_id, kind)
) WITHOUT ROWID;
INSERT INTO deadlines_new (guild_id, kind, due_at) SELECT guild_id, kind, due_at FROM deadlines;
DROP TABLE deadlines;
ALTER TABLE deadlines_new RENAME TO deadlines;
CREATE INDEX deadlines_due ON deadlines (due_at);

-- The message in the film's thread that holds the Rate button (NULL until it is posted).
ALTER TABLE picks ADD COLUMN rating_message_id INTEGER;
