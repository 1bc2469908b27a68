-- The store's tables: one row per file and per meeting, each twice — as an officer sees it
-- (public = false) and as --public shows it (public = true, made by the one redaction,
-- tuibrowser.library.withhold). Row-level security lets the role tuibrowser_public select
-- the public rows alone, and tuibrowser_full the full rows alone.

-- (two databases of one cluster may be set up at once: a role made meanwhile is no error)
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tuibrowser_public') THEN
        BEGIN
            CREATE ROLE tuibrowser_public NOLOGIN NOSUPERUSER NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tuibrowser_full') THEN
        BEGIN
            CREATE ROLE tuibrowser_full NOLOGIN NOSUPERUSER NOBYPASSRLS;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
        END;
    END IF;
END
$$;

-- A meetings folder, by the real path it was ingested from; ``failed``: the files and
-- folders that could not be read (paths only), which withhold every item of their dates.
CREATE TABLE folders (
    id serial PRIMARY KEY,
    path text COLLATE "C" NOT NULL UNIQUE,
    failed jsonb NOT NULL DEFAULT '[]'
);

-- What the folder's scan could not read (as the cache's index keeps it), told as each sees it,
-- and how many meetings the list holds (the first frame reads it with one page of the list).
CREATE TABLE folder_state (
    folder integer NOT NULL REFERENCES folders ON DELETE CASCADE,
    public boolean NOT NULL,
    problems jsonb NOT NULL,
    meetings integer NOT NULL,
    PRIMARY KEY (folder, public)
);

-- The catalogue: each file's size, mtime and content hash, and its problems (whose text may
-- quote an item: told without it in the public row).
CREATE TABLE files (
    folder integer NOT NULL REFERENCES folders ON DELETE CASCADE,
    path text COLLATE "C" NOT NULL,
    public boolean NOT NULL,
    size bigint,
    mtime_ns bigint,
    sha256 text,
    shard text COLLATE "C",
    entry jsonb NOT NULL,
    PRIMARY KEY (folder, public, path)
);

-- Each file's parsed document (Document.to_dict), without its long texts (``lean``) and
-- whole (``whole``, read when a meeting is opened, or by a load with texts).
CREATE TABLE documents (
    folder integer NOT NULL REFERENCES folders ON DELETE CASCADE,
    path text COLLATE "C" NOT NULL,
    public boolean NOT NULL,
    shard text COLLATE "C" NOT NULL,
    date text COLLATE "C" NOT NULL,
    lean jsonb NOT NULL,
    PRIMARY KEY (folder, public, path)
);
CREATE INDEX documents_shard ON documents (folder, public, shard);

CREATE TABLE texts (
    folder integer NOT NULL REFERENCES folders ON DELETE CASCADE,
    path text COLLATE "C" NOT NULL,
    public boolean NOT NULL,
    date text COLLATE "C" NOT NULL,
    whole jsonb NOT NULL,
    PRIMARY KEY (folder, public, path)
);
CREATE INDEX texts_date ON texts (folder, public, date);

-- The meeting list: one row per meeting (MeetingRow.to_dict), with the columns of its order
-- (date, time, board: newest first) for keyset paging.
CREATE TABLE meetings (
    folder integer NOT NULL REFERENCES folders ON DELETE CASCADE,
    public boolean NOT NULL,
    id text COLLATE "C" NOT NULL,
    shard text COLLATE "C" NOT NULL,
    date text COLLATE "C" NOT NULL,
    time text COLLATE "C" NOT NULL,
    board text COLLATE "C" NOT NULL,
    row jsonb NOT NULL,
    PRIMARY KEY (folder, public, id)
);
CREATE INDEX meetings_newest ON meetings (folder, public, date DESC, time DESC, board DESC, id DESC);
CREATE INDEX meetings_shard ON meetings (folder, public, shard);

ALTER TABLE folder_state ENABLE ROW LEVEL SECURITY;
ALTER TABLE files ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE texts ENABLE ROW LEVEL SECURITY;
ALTER TABLE meetings ENABLE ROW LEVEL SECURITY;

CREATE POLICY public_rows ON folder_state FOR SELECT TO tuibrowser_public USING (public);
CREATE POLICY public_rows ON files FOR SELECT TO tuibrowser_public USING (public);
CREATE POLICY public_rows ON documents FOR SELECT TO tuibrowser_public USING (public);
CREATE POLICY public_rows ON texts FOR SELECT TO tuibrowser_public USING (public);
CREATE POLICY public_rows ON meetings FOR SELECT TO tuibrowser_public USING (public);

CREATE POLICY full_rows ON folder_state FOR SELECT TO tuibrowser_full USING (NOT public);
CREATE POLICY full_rows ON files FOR SELECT TO tuibrowser_full USING (NOT public);
CREATE POLICY full_rows ON documents FOR SELECT TO tuibrowser_full USING (NOT public);
CREATE POLICY full_rows ON texts FOR SELECT TO tuibrowser_full USING (NOT public);
CREATE POLICY full_rows ON meetings FOR SELECT TO tuibrowser_full USING (NOT public);

GRANT USAGE ON SCHEMA public TO tuibrowser_public, tuibrowser_full;
GRANT SELECT ON folders, folder_state, files, documents, texts, meetings
    TO tuibrowser_public, tuibrowser_full;
