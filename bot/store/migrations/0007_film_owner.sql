-- Which server owns a film is a fact stored with the film, no longer inferred from the audit trail:
-- a key reused after a removal let the old `film.add` entry of one server claim another's film.

-- The server whose moderator made the film; NULL for bundled and IMDb films, which no server owns.
ALTER TABLE films ADD COLUMN owner_guild_id INTEGER;

-- Today's moderator films belong to the server of their latest `film.add`: a reused key's latest add
-- is the one that made the film now holding it (an earlier add made a film since removed).
UPDATE films SET owner_guild_id = (
    SELECT a.guild_id FROM audit_log a
    WHERE a.action = 'film.add' AND a.target = films.key
    ORDER BY a.id DESC LIMIT 1
)
WHERE source = 'moderator';

-- Keys of films that are gone (removed, merged away, renamed): never given to a new film, so an
-- audit entry, a link or an export naming a key always means the film it meant.
CREATE TABLE retired_keys (
    key TEXT PRIMARY KEY
) WITHOUT ROWID;

INSERT OR IGNORE INTO retired_keys (key)
SELECT DISTINCT target FROM audit_log
WHERE action IN ('film.add', 'film.edit', 'film.merge', 'film.remove') AND target IS NOT NULL
    AND target NOT IN (SELECT key FROM films);

-- Triggers, so every way a film's key goes away retires it, whichever code deletes or renames it.
CREATE TRIGGER films_key_retired_ad AFTER DELETE ON films BEGIN
    INSERT OR IGNORE INTO retired_keys (key) VALUES (old.key);
END;
CREATE TRIGGER films_key_retired_au AFTER UPDATE OF key ON films WHEN old.key IS NOT new.key BEGIN
    INSERT OR IGNORE INTO retired_keys (key) VALUES (old.key);
END;
