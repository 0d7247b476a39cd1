-- The most popular films, read when a member has typed nothing yet or only an article ("the"):
-- without this index that is a scan and sort of the whole catalogue on every such keystroke.
CREATE INDEX films_popularity ON films (popularity DESC, id);
