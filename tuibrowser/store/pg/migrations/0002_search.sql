-- Search: one row per record search finds (an item, a decision, an action, a KPI row) of each
-- meeting, twice like the meeting (public = false: as an officer sees it; public = true: as
-- --public shows it), written by tuibrowser.store.pg.search.write_search_rows. ``folded`` is
-- the record's text as today's search reads it, ``names``/``shown`` its fields as a snippet
-- shows them; ``words`` every word of ``folded`` with its place, ``head_words`` those of its
-- first field (the title), as lexemes as they are ('simple' words: no parser, no stemming).
-- The GIN indexes find the candidates of a query (words as prefixes, phrases side by side);
-- Python checks each with today's matcher. A row whose tsvector would be too big has none
-- (NULL) and is read by every query.

CREATE TABLE search_units (
    folder integer NOT NULL,
    public boolean NOT NULL,
    meeting_id text COLLATE "C" NOT NULL,
    seq integer NOT NULL,
    grp integer NOT NULL,
    date text COLLATE "C" NOT NULL,
    time text COLLATE "C" NOT NULL,
    board text COLLATE "C" NOT NULL,
    kind text NOT NULL,
    item_number text,
    kpi text,
    raw_title text NOT NULL,
    confidential boolean NOT NULL,
    names text[] NOT NULL,
    shown text[] NOT NULL,
    folded text NOT NULL,
    head_words tsvector,
    words tsvector,
    PRIMARY KEY (folder, public, meeting_id, seq),
    FOREIGN KEY (folder, public, meeting_id) REFERENCES meetings ON DELETE CASCADE
);

-- the library's order (newest first, a meeting's records in order): candidates come in it
CREATE INDEX search_units_order
    ON search_units (folder, public, date DESC, time DESC, board DESC, meeting_id DESC, seq);
CREATE INDEX search_units_words ON search_units USING gin (words);
CREATE INDEX search_units_head_words ON search_units USING gin (head_words);
CREATE INDEX search_units_unindexed ON search_units (folder, public)
    WHERE words IS NULL OR head_words IS NULL;

ALTER TABLE search_units ENABLE ROW LEVEL SECURITY;
CREATE POLICY public_rows ON search_units FOR SELECT TO tuibrowser_public USING (public);
CREATE POLICY full_rows ON search_units FOR SELECT TO tuibrowser_full USING (NOT public);
GRANT SELECT ON search_units TO tuibrowser_public, tuibrowser_full;

-- The people: each half month's part of each person (tuibrowser.search.skeleton's month
-- people, as the cache keeps them beside a shard), and each person merged from their parts as
-- the cache merges them (``row``: key, name shown, names, authorities, roles, groups), with
-- the record search finds of them. An ingest merges again only the people of the half months
-- it wrote; a query reads only the people whose words can match.
CREATE TABLE search_person_parts (
    folder integer NOT NULL REFERENCES folders ON DELETE CASCADE,
    public boolean NOT NULL,
    shard text COLLATE "C" NOT NULL,
    key text COLLATE "C" NOT NULL,
    part jsonb NOT NULL,
    PRIMARY KEY (folder, public, key, shard)
);
CREATE INDEX search_person_parts_shard ON search_person_parts (folder, public, shard);

CREATE TABLE search_people (
    folder integer NOT NULL REFERENCES folders ON DELETE CASCADE,
    public boolean NOT NULL,
    key text COLLATE "C" NOT NULL,
    row jsonb NOT NULL,
    names text[] NOT NULL,
    shown text[] NOT NULL,
    folded text NOT NULL,
    head_words tsvector,
    words tsvector,
    PRIMARY KEY (folder, public, key)
);
CREATE INDEX search_people_words ON search_people USING gin (words);
CREATE INDEX search_people_head_words ON search_people USING gin (head_words);

ALTER TABLE search_person_parts ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_people ENABLE ROW LEVEL SECURITY;
CREATE POLICY public_rows ON search_person_parts FOR SELECT TO tuibrowser_public USING (public);
CREATE POLICY full_rows ON search_person_parts FOR SELECT TO tuibrowser_full USING (NOT public);
CREATE POLICY public_rows ON search_people FOR SELECT TO tuibrowser_public USING (public);
CREATE POLICY full_rows ON search_people FOR SELECT TO tuibrowser_full USING (NOT public);
GRANT SELECT ON search_person_parts, search_people TO tuibrowser_public, tuibrowser_full;
