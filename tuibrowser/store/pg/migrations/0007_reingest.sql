-- What a re-ingest needs to be proportional to what changed, not to the folder.
--
-- Each officer's catalogue row keeps, as one text, what a ``stat`` of its file said when the
-- row may be called unchanged by it alone (tuibrowser.store.pg.catalogue.seen_of: no problem,
-- a half month, not modified within two seconds of its indexing): "size mtime ctime inode".
-- A re-ingest reads every row's path and ``seen`` as one text and compares them with its own
-- stat of each file; it reads whole only the rows of the files that differ.
ALTER TABLE files ADD COLUMN seen text;
UPDATE files SET seen = size || ' ' || mtime_ns || ' ' || (entry->>'ctime_ns') || ' '
        || (entry->>'ino')
    WHERE NOT public
    AND shard IS NOT NULL
    AND coalesce(entry->'problems', 'null'::jsonb) IN ('null'::jsonb, '[]'::jsonb)
    AND mtime_ns < (entry->>'indexed_ns')::bigint - 2000000000;
-- ... read from an index alone (each row's entry makes the table's pages many: the index's
-- are a tenth of them)
CREATE INDEX files_seen ON files (folder, public, path) INCLUDE (seen);

-- The catalogue rows of the half months written again, found by their half month (not by a
-- scan of the folder's rows)
CREATE INDEX files_shard ON files (folder, public, shard);

-- The version of the records the folder's files were made into (tuibrowser.store.pg.stamp):
-- an ingest that finds another reads every file again. NULL: ingested before the stamp was
-- kept, taken as made by the version that first reads it (no store is read again for it).
ALTER TABLE folders ADD COLUMN records integer;
