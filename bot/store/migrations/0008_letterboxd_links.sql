-- A rating imported from Letterboxd remembers which Letterboxd film it came from, so an export
-- hands Letterboxd the very film back (two films can share a title and year; a link cannot) and a
-- re-import finds the film again without matching titles. NULL: rated here, or the link is unknown.

ALTER TABLE ratings ADD COLUMN letterboxd_uri TEXT;
