-- What a browser's screens show of the whole folder, kept by the ingest so that a browser on
-- the store never reads the whole library: each half month's part of the People list's
-- figures (``a``), of the Topics' items (``t``) and of the dashboard's ratings (``k``), as the
-- cache keeps them beside a shard (tuibrowser.store.shards), twice like the meetings (public =
-- false: as an officer sees them; public = true: as --public shows them, made of the public
-- meetings).
CREATE TABLE shard_views (
    folder integer NOT NULL REFERENCES folders ON DELETE CASCADE,
    public boolean NOT NULL,
    shard text COLLATE "C" NOT NULL,
    views json NOT NULL,
    PRIMARY KEY (folder, public, shard)
);

-- and each year's, merged from its half months' by the ingest that wrote one of them (as the
-- cache keeps a year's beside its shards): what a browser reads, one row a year
CREATE TABLE year_views (
    folder integer NOT NULL REFERENCES folders ON DELETE CASCADE,
    public boolean NOT NULL,
    year text COLLATE "C" NOT NULL,
    views json NOT NULL,
    PRIMARY KEY (folder, public, year)
);

ALTER TABLE shard_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE year_views ENABLE ROW LEVEL SECURITY;
CREATE POLICY public_rows ON shard_views FOR SELECT TO tuibrowser_public USING (public);
CREATE POLICY full_rows ON shard_views FOR SELECT TO tuibrowser_full USING (NOT public);
CREATE POLICY public_rows ON year_views FOR SELECT TO tuibrowser_public USING (public);
CREATE POLICY full_rows ON year_views FOR SELECT TO tuibrowser_full USING (NOT public);
GRANT SELECT ON shard_views, year_views TO tuibrowser_public, tuibrowser_full;

-- a meeting opened reads the documents of its date alone (its texts are found so already)
CREATE INDEX documents_date ON documents (folder, public, date);
