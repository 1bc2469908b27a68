-- The read side's indexes: each kind's rows (public = false, as an officer sees them; public =
-- true, as --public shows them) indexed apart, so a reader's query visits its own kind's rows
-- only (with one index over both, half the rows a word finds were the other kind's, read from
-- the table and thrown away), and the people's unindexed rows found by an index too (without
-- it every query read the whole people table).

DROP INDEX IF EXISTS search_units_words;
DROP INDEX IF EXISTS search_units_head_words;
CREATE INDEX search_units_words_full ON search_units USING gin (words) WHERE NOT public;
CREATE INDEX search_units_words_public ON search_units USING gin (words) WHERE public;
CREATE INDEX search_units_head_words_full ON search_units USING gin (head_words) WHERE NOT public;
CREATE INDEX search_units_head_words_public ON search_units USING gin (head_words) WHERE public;

DROP INDEX IF EXISTS search_people_words;
DROP INDEX IF EXISTS search_people_head_words;
CREATE INDEX search_people_words_full ON search_people USING gin (words) WHERE NOT public;
CREATE INDEX search_people_words_public ON search_people USING gin (words) WHERE public;
CREATE INDEX search_people_head_words_full ON search_people USING gin (head_words) WHERE NOT public;
CREATE INDEX search_people_head_words_public ON search_people USING gin (head_words) WHERE public;
CREATE INDEX search_people_unindexed ON search_people (folder, public)
    WHERE words IS NULL OR head_words IS NULL;
