-- The bundled films, read whenever search gathers a server's own films: without this (tiny,
-- partial) index that is a scan of the whole catalogue for sixteen rows.
CREATE INDEX films_bundled ON films (id) WHERE source = 'bundled';
