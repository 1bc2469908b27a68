"""The catalog's journal: what a refresh writes of the catalog instead of the whole of it.

The catalog holds every file's entry (12,000 at 10,000 meetings, 4.5 MB): written whole on
each refresh, it was most of what a one-file refresh wrote and fsynced. A refresh now leaves
the catalog as it is and writes its journal (a ``catalog-<token>.json`` of its own, named by
the index as :attr:`.layout.IndexMeta.journal`): the entries of every file changed, added or
gone since the catalog was written whole (tables ``files`` and ``gone``). Each journal holds
the previous one's labels too, so the index names one catalog and one journal, and a reader
applies the journal to the catalog (:func:`apply`). When the journal would hold more than
1/:data:`JOURNAL_SHARE` of the entries, the catalog is written whole again, with no journal.

The journal is written as every part is (a new name, atomically, before the index that
names it), so a refresh killed at any point leaves the cache as it was or as it is after.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import compress
from operator import is_not
from typing import Any

# the catalog is written whole again when the journal would hold more than 1/16 of its entries
JOURNAL_SHARE = 16
FILES, GONE = "files", "gone"


def apply(catalog: dict[str, dict], tables: dict[str, Any]) -> set[str]:
    """Apply a journal's tables (TinyDB's layout: table → id → row) to ``catalog`` (label →
    entry); return the labels it holds. ``KeyError`` when a table is missing, and
    :data:`.layout.BAD_ENTRY` for rows of another shape."""
    labels: set[str] = set()
    for entry in tables[FILES].values():
        label = entry["path"]
        if not isinstance(label, str):
            raise TypeError("a journal's entry without a label")
        catalog[label] = entry
        labels.add(label)
    for row in tables[GONE].values():
        label = row["path"]
        catalog.pop(label, None)
        labels.add(label)
    return labels


def journal_labels(
    journaled: Iterable[str] | None, old: dict[str, dict], new: dict[str, dict]
) -> list[str] | None:
    """The labels the next journal holds: those of the last one (``journaled``), and every
    file whose entry is not the one the catalog as read (``old``) had, or that is gone from
    it. None when the catalog is to be written whole (there is none to keep, ``journaled``
    None, or the journal would hold too many)."""
    if journaled is None:
        return None
    # (at C speed: a one-file refresh looks at every entry here, and finds one changed)
    labels = set(compress(new, map(is_not, map(old.get, new), new.values())))
    added = sum(1 for label in labels if label not in old)
    if len(new) - added != len(old):  # (else every label of ``old`` is in ``new``)
        labels.update(old.keys() - new.keys())
    labels.update(journaled)
    if len(labels) * JOURNAL_SHARE > len(new):
        return None
    return sorted(labels)


def journal_tables(labels: list[str], new: dict[str, dict]) -> dict[str, list[Any]]:
    """The journal's tables for ``labels``: the entries of those in ``new``, and the others
    as gone."""
    return {
        FILES: [new[label] for label in labels if label in new],
        GONE: [{"path": label} for label in labels if label not in new],
    }
