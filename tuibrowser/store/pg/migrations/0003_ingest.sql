-- A search row no longer refers to its meeting's row by a foreign key: the check cost a
-- third of the server's time of a cold ingest (a lookup and a row lock of the meeting per
-- search row). The ingest deletes a half month's search rows itself, with its meetings
-- (tuibrowser.store.pg.ingest._clear_shards), in the same transaction.
ALTER TABLE search_units DROP CONSTRAINT IF EXISTS search_units_folder_public_meeting_id_fkey;
