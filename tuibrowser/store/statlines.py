"""Each meeting file's line as the seen part keeps it (:mod:`.seen`): its label and what one
``stat`` says of it, made for every file a refresh walks.

Apart from :mod:`.seen` so that it imports nothing but the standard library's ``os``, ``stat``
and ``struct``: :mod:`.prescan` makes the lines in a child process begun as a command starts,
before the rest of a refresh is imported.
"""

from __future__ import annotations

import os
import stat
import struct

# what a line keeps of a ``stat``: size, mtime, ctime, inode, as 32 hexadecimal bytes (packing
# is half the cost of writing the four numbers out in decimal, a refresh's one call per file)
_STAT = struct.Struct("<QqqQ").pack

# each file's owner mark (:func:`.seen._owner`) and line, in the order of the files
Made = tuple[list[int], list[str]]


def made_lines(files: list[tuple[str, str]]) -> Made | None:
    """Each of ``files``' (path, label) owner mark and line (as :func:`.seen.stat_lines` makes it),
    in the order of the files: one ``stat`` a file. None when a ``stat`` fails (a file gone
    since the scan) or a number does not fit a line (a time past 2262): the files are then
    taken one by one. The ``stat`` results are not kept: 60,000 of them are about 36 MB, more
    than the rest of a refresh that finds nothing changed."""
    owners: list[int] = []
    lines: list[str] = []
    own, line, get, pack, readable = owners.append, lines.append, os.stat, _STAT, stat.S_IRUSR
    try:
        for path, label in files:
            st = get(path)
            # (:func:`.seen._owner`, without a call)
            own(st.st_uid if st.st_mode & readable else -1)
            line(f"{label}\t{pack(st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino).hex()}")
    except (OSError, struct.error):
        return None
    return owners, lines
