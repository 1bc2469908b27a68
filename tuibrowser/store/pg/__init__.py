"""A shared PostgreSQL store (``--store postgresql://…``): :class:`.store.PgStore`.

Imported only when such a store is used: psycopg is an optional dependency (the extra
``postgres``), and the first frame and the default cache never import it.

- :mod:`.connect`: the URL (told without its password) and the connection, as a public
  reader (``SET ROLE tuibrowser_public``, refused unless row-level security holds) or not;
- :mod:`.migrate`: the schema, versioned by the numbered SQL files in ``migrations/``;
- :mod:`.shardrows`: a half month's documents made into the rows the store keeps, full and
  public (the one redaction, :func:`tuibrowser.library.withhold`);
- :mod:`.ingest`: ``tuibrowser index DIR --store URL``, one transaction under an advisory lock;
- :mod:`.store`: :class:`PgStore`, the :class:`~tuibrowser.store.protocol.MeetingStore`.
- :mod:`.quick`: ``search QUERY DIR --store URL`` through libpq itself, without psycopg.
"""
