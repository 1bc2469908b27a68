"""The version of the records a store's folder was made into: what the reader makes of a
file (its document, its problems and warnings) and the shape the store keeps it in. Kept in
``folders.records`` by each ingest; an ingest that finds another version reads every file of
the folder again (a file unchanged since would otherwise keep what an older reader made of
it: a warning the reader has learnt to give would never be given).

A folder ingested before the stamp was kept (``records`` NULL) is taken as made by this
version: it is stamped, not read again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

# Raise it when the reader makes something else of a file (a new warning, a field read
# otherwise) or the store's rows of a document change shape: every folder of every store is
# then read again by its next ingest. 2: a meeting's fingerprint in the list's rows is of its
# documents' JSON (listing.documents_fingerprint), as the cache's: an unchanged meeting of a
# shard written again would otherwise change its fingerprint, and be marked new, then.
RECORDS = 2


def outdated(found: int | None) -> str | None:
    """Why the folder's records must be made again (``found``: its stamp), or None."""
    if found is None or found == RECORDS:
        return None
    return (
        f"the store's records were made by another version of the reader ({found}, now {RECORDS})"
    )


def set_aside(conn: psycopg.Connection, folder: int) -> None:
    """Every row of ``folder`` deleted from each table that keeps the folder's (the folder
    itself kept, its id and path): the ingest that follows reads each file as the first did,
    in the same transaction (a reader sees the old rows or the new ones)."""
    from psycopg import sql

    tables = conn.execute(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND column_name = 'folder' AND table_name <> 'folders' ORDER BY table_name"
    ).fetchall()
    for (table,) in tables:
        conn.execute(
            sql.SQL("DELETE FROM {} WHERE folder = %s").format(sql.Identifier(table)), (folder,)
        )
    conn.execute("UPDATE folders SET failed = '[]' WHERE id = %s", (folder,))


def stamp(conn: psycopg.Connection, folder: int) -> None:
    """The folder's records said to be of this version."""
    conn.execute(
        "UPDATE folders SET records = %s WHERE id = %s AND records IS DISTINCT FROM %s",
        (RECORDS, folder, RECORDS),
    )
