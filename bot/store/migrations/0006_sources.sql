-- Where each name, credit and tag of a film came from, so that each source replaces only its own:
-- a bundle reload rewrites the bundle's rows and leaves what an IMDb import added, and an import
-- rewrites IMDb's rows and leaves what the bundle or a moderator set. Precedence, field by field,
-- is moderator > bundle > IMDb (bot.store.films and bot.store.imdb_merge keep it).

ALTER TABLE film_titles ADD COLUMN origin TEXT NOT NULL DEFAULT 'bundle'
    CHECK (origin IN ('imdb', 'bundle', 'moderator'));
ALTER TABLE film_credits ADD COLUMN origin TEXT NOT NULL DEFAULT 'bundle'
    CHECK (origin IN ('imdb', 'bundle', 'moderator'));
ALTER TABLE film_tags ADD COLUMN origin TEXT NOT NULL DEFAULT 'bundle'
    CHECK (origin IN ('imdb', 'bundle', 'moderator'));

-- Existing rows. An imported film's rows are IMDb's and a moderator's film's are the moderator's
-- (what IMDb added to it before cannot be told apart, and a moderator's own data must not be
-- lost to the next import). A bundled film with an IMDb id may hold rows an import added: they
-- are marked IMDb's except its own title and original title, and the next bundle load (at every
-- start) writes the bundle's rows back as the bundle's, taking over IMDb's where they overlap.
UPDATE film_titles SET origin = (
    SELECT CASE f.source
        WHEN 'imdb' THEN 'imdb'
        WHEN 'moderator' THEN 'moderator'
        ELSE iif(f.imdb_id IS NOT NULL AND film_titles.kind = 'alias', 'imdb', 'bundle') END
    FROM films f WHERE f.id = film_titles.film_id);
UPDATE film_credits SET origin = (
    SELECT CASE f.source
        WHEN 'imdb' THEN 'imdb'
        WHEN 'moderator' THEN 'moderator'
        ELSE iif(f.imdb_id IS NOT NULL, 'imdb', 'bundle') END
    FROM films f WHERE f.id = film_credits.film_id);
UPDATE film_tags SET origin = (
    SELECT CASE f.source
        WHEN 'imdb' THEN 'imdb'
        WHEN 'moderator' THEN 'moderator'
        -- IMDb gives genres only; countries are always the bundle's.
        ELSE iif(f.imdb_id IS NOT NULL AND film_tags.kind = 'genre', 'imdb', 'bundle') END
    FROM films f WHERE f.id = film_tags.film_id);
