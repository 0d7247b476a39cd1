-- Ratings keep their past: every change of a member's score is a row here, so a re-rate never
-- erases when and how a member's view changed. A Letterboxd diary's watched date is kept too.

ALTER TABLE ratings ADD COLUMN watched_on TEXT;                -- ISO date, when known

CREATE TABLE rating_history (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    film_id    INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    score      INTEGER CHECK (score BETWEEN 1 AND 10),           -- NULL: the rating was removed
    changed_at TEXT    NOT NULL
);
CREATE INDEX rating_history_member ON rating_history (guild_id, user_id, film_id);
