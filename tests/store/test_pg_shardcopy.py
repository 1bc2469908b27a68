"""The ingest's rows go to the server as lines of COPY's text format made by hand
(tuibrowser/store/pg/shardcopy.py): every value, whatever characters it holds (tabs,
newlines, backslashes, quotes, braces, commas, the word NULL), reads back as it was."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

# any text PostgreSQL can hold (no NUL, no lone surrogate), and the characters COPY and an
# array literal treat specially, often
SPECIAL = st.sampled_from(["\t", "\n", "\r", "\\", '"', "{", "}", ",", " ", "NULL", "\\N", "é"])
TEXT = st.lists(
    st.one_of(
        SPECIAL, st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
    )
).map("".join)
ROW = st.tuples(
    st.none() | TEXT,
    st.lists(st.none() | TEXT, max_size=4),
    st.none() | st.booleans(),
    st.none() | st.integers(-(2**63), 2**63 - 1),
)


def test_copy_lines_read_back_as_written(pg_db):
    import psycopg

    from tuibrowser.store.pg.shardcopy import line

    with psycopg.connect(pg_db, autocommit=True) as conn:
        conn.execute("CREATE TABLE copied (n integer, a text, b text[], c boolean, d bigint)")

        @settings(max_examples=60, deadline=None)
        @given(st.lists(ROW, max_size=5))
        def check(rows: list[tuple]) -> None:
            conn.execute("TRUNCATE copied")
            with conn.cursor() as cur, cur.copy("COPY copied FROM STDIN") as copy:
                copy.write("".join(line(n, *row) for n, row in enumerate(rows)).encode())
            got = conn.execute("SELECT a, b, c, d FROM copied ORDER BY n").fetchall()
            assert got == [tuple(row) for row in rows]

        check()
