"""The cache's layout on disk: the format version, the index's metadata, the names of the parts.

The index (``meetings-<hash>.json``) is a TinyDB database of two tables: ``meta``, one
document (:class:`IndexMeta`), and ``first``, the first page of the meeting list. Beside it,
its folder ``….json.d/`` holds the catalog (``catalog-<token>.json``), its journal (a second
``catalog-<token>.json``: see :attr:`IndexMeta.journal`), its seen part (``catalog-<token>.seen``:
see :attr:`IndexMeta.seen`) and each shard's parts
(``2018-05-2-<token>.json`` and ``.rows``, ``.words``, ``.txt``, ``.show``, ``.idx``, ``.heads``,
``.units``, ``.people``, ``.views``). The index and the catalog are JSON; a shard's parts are packed
(:mod:`tuibrowser.packed`) but for what a query reads in place, ``.txt`` and ``.idx``.
"""

from __future__ import annotations

import os
from itertools import repeat
from typing import TYPE_CHECKING, Any

from ..base import NAME_DATE, NEW_DICT, NEW_LIST, NEW_SET, REDACTION, record, shard_key

if TYPE_CHECKING:
    from collections.abc import Iterable

CACHE_VERSION = 27  # 27: a meeting's fingerprint in the rows (.rows) is of its documents' JSON
# as the shard stores them, not of the merged meeting (listing.documents_fingerprint);
# 26: each shard's word list (.words) packed, as the other parts are, and
# its small parts and blocks of shown text packed by ISA-L (as the documents) instead of zlib's
# level 6, a sixteenth less CPU for a cold index; 25: the catalog by half month
# (store/halves.py), which a refresh reads instead of the whole catalog; 24: the catalog's seen part (store/seen.py: a line of each file's stat,
# which a refresh compares before it reads the catalog); 23: a key a frontmatter row does not have is a warning kept with its file;
# 22: documents without their items' minutes and reports, kept once in
# .long as what they add to the search text as shown (store/leantexts.py), the catalog packed;
# 21: each shard's .views also keeps its meetings' item titles (Topics)
# and reporting periods (the dashboard's ratings), merged into topics- and kpis-<hash>.json by
# the first reader; 20: the catalog's journal (the entries changed since the catalog was
# written whole), so a refresh rewrites what changed, not every file's entry; 19: the text as
# shown kept as what it adds to the folded text
# (search/casepatch.py), offsets 4 bytes each; 18: each shard's figures for the People list
# (.views), merged into views-<hash>.json of the folder by the first reader; 17: parts packed (tuibrowser.packed): documents, rows, heads, records,
# people whole, the text as shown in blocks; 16: each file's ctime and inode in the catalog (a
# refresh compares them with size and mtime); 15: heads, records and people beside each segment (search without the
# documents); 14: a public cache's index and shards say the rules they were redacted under
# (base.REDACTION), and a public load does not redact again; 13: meeting rows count
# confidential items, public documents say what they
# lack; 12: numbered resolutions are decisions of their own; 11: search text folds hyphens,
# slashes, apostrophes, without markdown markers (10: documents)
FIRST_PAGE = 200  # rows of the meeting list kept in the index, for the first frame
# What reading a cached entry of the wrong shape raises.
BAD_ENTRY = (TypeError, KeyError, ValueError, AttributeError)
SEARCH_PARTS = (".txt", ".show", ".idx")
# Why a public cache is not read: a part of it was not redacted under the rules of this version.
NOT_REDACTED = "public cache was not redacted under this version's rules"
SHARD_META = "meta"  # a shard's table of one document: {"redacted": <version>} (public)


class NotRedacted(ValueError):
    """A public cache's shard that does not say it was redacted under this version's rules."""  # a shard's search segment: folded, shown, offsets


@record
class IndexMeta:
    """The index's ``meta`` document: what generation of the cache it names.

    ``shards`` maps each shard's key (``2018-05-2``) to the name of its documents' file;
    ``counts`` the meetings in each shard; ``unread`` (a public cache) the problems of the
    folders a refresh could not read. ``counts``, ``unread`` and ``meetings`` are kept as they
    were read: a value of the wrong shape fails where it is used (see :data:`BAD_ENTRY`).
    ``redacted`` (a public cache) is the version of the rules its catalog, its unread problems
    and its first page were redacted under (:data:`.base.REDACTION`); a public index under
    another, or none, is not read. ``journal`` names the catalog's journal, or None: the
    entries written since the catalog was written whole (table ``files``) and the labels
    gone since (table ``gone``), which a reader applies to the catalog (see
    :mod:`.journal`). ``seen`` names the catalog's seen part, or None: a line of each file's
    ``stat``, which a refresh compares with the folder before it reads the catalog (see
    :mod:`.seen`). ``halves`` names the catalog by half month, or None: the same entries
    grouped by half month, which a refresh reads instead of the whole catalog (see
    :mod:`.halves`).
    """

    def __init__(
        self,
        root: str,
        public: bool,
        catalog: str,
        shards: dict[str, str],
        counts: Any = NEW_DICT,
        unread: Any = NEW_LIST,
        meetings: Any = 0,
        redacted: int | None = None,
        journal: str | None = None,
        seen: str | None = None,
        halves: str | None = None,
        version: int = CACHE_VERSION,
    ) -> None:
        self.root = root
        self.public = public
        self.catalog = catalog
        self.shards = shards
        self.counts = {} if counts is NEW_DICT else counts
        self.unread = [] if unread is NEW_LIST else unread
        self.meetings = meetings
        self.redacted = redacted
        self.journal = journal
        self.seen = seen
        self.halves = halves
        self.version = version

    @classmethod
    def check(cls, data: Any, root: str, public: bool) -> tuple[IndexMeta | None, str | None]:
        """The meta of the index ``data`` (its tables), or None and why it cannot be used."""
        meta = (data.get("meta") or {}).get("1")
        if not isinstance(meta, dict) or meta.get("version") != CACHE_VERSION:
            return None, "cache has an older format"
        if meta.get("root") != root or meta.get("public") != public:
            return None, "cache belongs to another folder"
        if not isinstance(meta.get("shards"), dict) or not isinstance(meta.get("catalog"), str):
            return None, "cache is corrupt"
        if not isinstance(meta.get("journal"), (str, type(None))):
            return None, "cache is corrupt"
        if not isinstance(meta.get("seen"), (str, type(None))):
            return None, "cache is corrupt"
        if not isinstance(meta.get("halves"), (str, type(None))):
            return None, "cache is corrupt"
        if public and meta.get("redacted") != REDACTION:
            return None, NOT_REDACTED
        found = cls(
            root=root,
            public=public,
            catalog=meta["catalog"],
            shards=meta["shards"],
            counts=meta.get("counts") or {},
            unread=meta.get("unread") or [],
            meetings=meta.get("meetings", 0),
            redacted=meta.get("redacted"),
            journal=meta.get("journal"),
            seen=meta.get("seen"),
            halves=meta.get("halves"),
        )
        return found, None

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "root": self.root,
            "public": self.public,
            "unread": self.unread,
            "catalog": self.catalog,
            "shards": self.shards,
            "counts": self.counts,
            "meetings": self.meetings,
            "redacted": self.redacted,
            "journal": self.journal,
            "seen": self.seen,
            "halves": self.halves,
        }

    def parts(self) -> set[str]:
        """The names of every file this index names in the shards' folder. (Every refresh
        that writes names them, 4,000 at 10,000 meetings: made a suffix at a time, and the
        shards grouped by year once.)"""
        found = shard_parts(self.shards.values())
        whole = _generation(self.shards)  # (the same for each merged file)
        found |= {f"people-{whole}.json", f"views-{whole}.json"}
        found |= {f"{v}-{whole}.json" for v in MERGED_VIEWS}
        found.add(self.catalog)
        for name in (self.journal, self.seen, self.halves):
            if name is not None:
                found.add(name)
        years = _by_year(self.shards)
        found.update(_people_year_names(years).values())
        for view in YEAR_VIEWS:
            found.update(_views_year_names(years, view).values())
        return found


@record
class Index:
    """An index as read: its meta and its first page of the meeting list (rows as dicts);
    once its catalog is read, the labels its journal holds (``journaled``)."""

    def __init__(
        self, meta: IndexMeta, first: dict[str, Any], journaled: set[str] = NEW_SET
    ) -> None:
        self.meta = meta
        self.first = first
        self.journaled = set() if journaled is NEW_SET else journaled


def new_part_name(stem: str, suffix: str) -> str:
    """A name for a part about to be written: ``stem``, four random bytes in hexadecimal (as
    ``secrets.token_hex``, without importing it in a refresh), ``suffix``."""
    return f"{stem}-{os.urandom(4).hex()}{suffix}"


def name_shard(label: str) -> str | None:
    """The shard a file's name gives (``…/2018-05-24-board-minutes.md`` → ``2018-05-2``)."""
    m = NAME_DATE.search(label.rsplit("/", 1)[-1])
    return shard_key(m.group()) if m else None


def _part(shard: str, suffix: str) -> str:
    """A file beside a shard: ``2018-05-2-1a2b3c4d.json`` and ``.rows`` → ``….rows``."""
    return shard.removesuffix(".json") + suffix


def text_name(shard: str) -> str:
    """The file of a shard's folded search text."""
    return _part(shard, ".txt")


def long_name(shard: str) -> str:
    """The file of a shard's long texts (:mod:`.leantexts`)."""
    return _part(shard, ".long")


def rows_name(shard: str) -> str:
    return _part(shard, ".rows")


def words_name(shard: str) -> str:
    return _part(shard, ".words")


SKELETON_PARTS = (".heads", ".units", ".people")  # what search reads instead of documents


def skeleton_names(shard: str) -> list[str]:
    """The files of what a query reads of a shard beside its segment: heads, units, people."""
    return [_part(shard, s) for s in SKELETON_PARTS]


def people_name(shards: dict[str, str]) -> str:
    """The file of the people of the whole folder, of this generation of shards."""
    return f"people-{_generation(shards)}.json"


def views_name(shards: dict[str, str]) -> str:
    """The file of what the screens show first (the People list's figures) of the whole
    folder, of this generation of shards."""
    return f"views-{_generation(shards)}.json"


def view_name(view: str, shards: dict[str, str]) -> str:
    """The file of one more screen's view of the whole folder merged from the shards' parts
    (``topics``, ``kpis``), of this generation of shards."""
    return f"{view}-{_generation(shards)}.json"


MERGED_VIEWS = ("topics", "kpis")  # the views kept apart from the People list's (view_name)


YEAR_VIEWS = ("a", "t", "k")  # the views kept a year at a time (People, Topics, dashboard)


def views_year_names(shards: dict[str, str], view: str) -> dict[str, str]:
    """The file of each year's part of ``view`` (one of :data:`YEAR_VIEWS`), merged from its
    shards' (``views-2018-<hash>.json``, the hash of the view and the year's shards' names;
    one file a view, so a reader of one parses none of the others): a refresh leaves the
    other years' as they are, so the next reader merges one year's shards, and the years."""
    return _views_year_names(_by_year(shards), view)


def _views_year_names(years: dict[str, dict[str, str]], view: str) -> dict[str, str]:
    """:func:`views_year_names` of the shards of each year (:func:`_by_year`)."""
    return {y: f"views-{y}-{_generation({'': f'view {view}', **years[y]})}.json" for y in years}


def people_year_names(shards: dict[str, str]) -> dict[str, str]:
    """The file of each year's people, merged from its shards' (``people-<hash>.json``, the
    hash of the year and its shards' names, so never the whole folder's :func:`people_name`:
    a name the shards' folder has always held, which any version recognises as its own)."""
    return _people_year_names(_by_year(shards))


def _people_year_names(years: dict[str, dict[str, str]]) -> dict[str, str]:
    """:func:`people_year_names` of the shards of each year (:func:`_by_year`)."""
    return {y: f"people-{_generation({'': f'year {y}', **years[y]})}.json" for y in years}


def _by_year(shards: dict[str, str]) -> dict[str, dict[str, str]]:
    """The shards of each year (oldest first)."""
    years: dict[str, dict[str, str]] = {}
    for key, name in sorted(shards.items()):
        years.setdefault(key[:4], {})[key] = name
    return years


def _generation(shards: dict[str, str]) -> str:
    from ..digest import hexdigest

    names = "\n".join(sorted(shards.values())).encode()
    return hexdigest(names)[:8]


VIEWS = ".views"  # a shard's part of what the screens show first (see views_name)


def shard_views_name(shard: str) -> str:
    return _part(shard, VIEWS)


def search_names(shard: str) -> list[str]:
    """The files of a shard's search segment: folded, shown, offsets."""
    return [_part(shard, s) for s in SEARCH_PARTS]


# the suffixes of the files beside a shard's documents, in the order part_names gives them
_PART_SUFFIXES = (".rows", ".words", *SEARCH_PARTS, *SKELETON_PARTS, VIEWS, ".long")


def shard_parts(shards: Iterable[str]) -> set[str]:
    """The names of every file of each of ``shards`` (:func:`part_names`), made a suffix at a
    time, at C speed."""
    found = set(shards)
    stems = [shard.removesuffix(".json") for shard in found]
    for suffix in _PART_SUFFIXES:
        found.update(map(str.__add__, stems, repeat(suffix)))
    return found


def part_names(shard: str) -> list[str]:
    """Every file of a shard: its documents, its rows of the meeting list, its search segment.
    (Made without a call for each file: a refresh names every shard's files twice, to find
    those missing and those to keep, 4,000 names at 10,000 meetings.)"""
    stem = shard.removesuffix(".json")
    return [shard, *[stem + suffix for suffix in _PART_SUFFIXES]]
