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

-- The meeting list's filter and sorts (tuibrowser.store.pg.select: its expressions are these,
-- character for character). The filter's words are found by a trigram index of what it looks
-- in, lower case as Python makes it (ICU's root collation), when pg_trgm can be had (it is
-- trusted: a database's owner may create it); without it the filter reads the folder's rows.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available: the meeting list''s filter reads every row';
END
$$;
DO $do$
BEGIN
    IF EXISTS (SELECT FROM pg_opclass WHERE opcname = 'gin_trgm_ops')
        AND EXISTS (SELECT FROM pg_collation WHERE collname = 'und-x-icu') THEN
        EXECUTE $sql$CREATE INDEX meetings_filter ON meetings USING gin ((lower((coalesce(row->>'date', '') || ' ' || coalesce(row->>'board', '') || ' ' || coalesce(row->>'venue', '') || ' ' || coalesce(row->>'titles', '')) COLLATE "und-x-icu")) gin_trgm_ops)$sql$;
    END IF;
END
$do$;
-- each sort by its column's first direction (the date's is meetings_newest), ties newest first;
-- the sorts by lower case need ICU (a PostgreSQL built without it has no such index, and the
-- list's SQL filter and sort cannot run there: the rest of the store can)
DO $do$
BEGIN
    IF EXISTS (SELECT FROM pg_collation WHERE collname = 'und-x-icu') THEN
        EXECUTE $sql$CREATE INDEX meetings_by_board ON meetings
    (folder, public, (lower(board COLLATE "und-x-icu") COLLATE "C") ASC, date DESC, time DESC, board DESC, id DESC)$sql$;
        EXECUTE $sql$CREATE INDEX meetings_by_venue ON meetings
    (folder, public, (lower((row->>'venue') COLLATE "und-x-icu") COLLATE "C") ASC, date DESC, time DESC, board DESC, id DESC)$sql$;
    END IF;
END
$do$;
CREATE INDEX meetings_by_docs ON meetings
    (folder, public, ((row->>'docs') COLLATE "C") ASC, date DESC, time DESC, board DESC, id DESC);
CREATE INDEX meetings_by_items ON meetings
    (folder, public, ((row->>'items')::integer) DESC, date DESC, time DESC, board DESC, id DESC);
CREATE INDEX meetings_by_present ON meetings
    (folder, public, ((row->>'present')::integer) DESC, date DESC, time DESC, board DESC, id DESC);
