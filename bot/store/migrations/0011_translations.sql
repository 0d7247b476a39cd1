-- Texts in languages other than English: the bundled films' synopses and the bundled lists'
-- descriptions and notes. The English stays where it was (films.synopsis, lists.description,
-- list_entries.note), so every path that writes or shows English is unchanged.
CREATE TABLE film_texts (
    film_id  INTEGER NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    language TEXT    NOT NULL,
    field    TEXT    NOT NULL CHECK (field IN ('synopsis')),
    text     TEXT    NOT NULL,
    PRIMARY KEY (film_id, language, field)
) WITHOUT ROWID;

-- A note belongs to its entry, not to the film: it is deleted with the entry and follows it when
-- a film merge moves the entry to the kept film (ON UPDATE CASCADE), as list_entries.note does.
CREATE TABLE list_texts (
    list_id  INTEGER NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
    film_id  INTEGER,  -- NULL: the list's own description; else the note of its entry for this film
    language TEXT    NOT NULL,
    field    TEXT    NOT NULL CHECK (field IN ('description', 'note')),
    text     TEXT    NOT NULL,
    CHECK ((film_id IS NULL) = (field = 'description')),
    FOREIGN KEY (list_id, film_id) REFERENCES list_entries (list_id, film_id)
        ON DELETE CASCADE ON UPDATE CASCADE
);
-- Also the index the foreign key's cascades look rows up by; NULLs are distinct in it, hence the second.
CREATE UNIQUE INDEX list_texts_entry ON list_texts (list_id, film_id, language, field);
CREATE UNIQUE INDEX list_texts_list ON list_texts (list_id, language, field) WHERE film_id IS NULL;
