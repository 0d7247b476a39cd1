-- /film search by year or decade, and by any word of a credited name ("tarkovsky", "тарковский"),
-- each through an index rather than a scan.

CREATE INDEX films_year ON films (year, popularity);

-- One row per word of each director's or actor's normalised name.
CREATE TABLE film_credit_words (
    role     TEXT    NOT NULL,
    word     TEXT    NOT NULL,
    film_id  INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,                     -- the credit's position, to match words of one person
    PRIMARY KEY (role, word, film_id, position)
) WITHOUT ROWID;
CREATE INDEX film_credit_words_person ON film_credit_words (film_id, role, position, word);

WITH RECURSIVE split (role, film_id, position, word, rest) AS (
    SELECT role, film_id, position, '', norm || ' ' FROM film_credits
    UNION ALL
    SELECT role, film_id, position, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1)
    FROM split WHERE rest <> ''
)
INSERT OR IGNORE INTO film_credit_words (role, word, film_id, position)
SELECT role, word, film_id, position FROM split WHERE word <> '';
