-- The documents and the people's parts are kept as the JSON text they were written as (json),
-- no longer parsed into jsonb: nothing queries inside them (each is read whole, as text), and
-- jsonb's parsing on the way in and printing on the way out cost the server time for nothing
-- (a cold ingest of 1,000 meetings: 7.0 s of the server's CPU against 7.5 s, a store of
-- 246 MB against 252 MB).
ALTER TABLE texts ALTER COLUMN whole TYPE json USING whole::json;
ALTER TABLE documents ALTER COLUMN lean TYPE json USING lean::json;
ALTER TABLE search_person_parts ALTER COLUMN part TYPE json USING part::json;
