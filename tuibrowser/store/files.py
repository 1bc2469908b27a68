"""The meetings read straight from the files, without a cache: ``--no-cache``, and where the
cache cannot be used now (:func:`.loading.load_library`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from .report import IndexReport, report_problem

if TYPE_CHECKING:
    from ..library import Library
    from ..listing import MeetingRow
    from ..model import Document
    from ..search import Results
    from .indexer import Progress
    from .reader import ListHead


class FileStore:
    """A :class:`.protocol.MeetingStore` that reads every file each time it is updated and
    keeps nothing on disk: no list before the files are read (:meth:`head` and :meth:`rows`
    give None), the library whole (its texts too)."""

    def __init__(self, root: Path, public: bool = False) -> None:
        self.root = Path(root)
        self.public = public
        self._library: Library | None = None

    def head(self) -> ListHead | None:
        """None: nothing is known before the files are read."""
        return None

    def rows(self) -> list[MeetingRow] | None:
        """None: the list is made from the library's meetings."""
        return None

    def update(self, progress: Progress | None = None) -> IndexReport:
        """Read and parse every file (``progress`` is not called)."""
        self._library, report = read_files(self.root, self.public)
        return report

    def load(self, texts: bool = True) -> Library | None:
        """The library the last :meth:`update` read (the files are read if none did); always
        with its texts."""
        if self._library is None:
            self.update()
        return self._library

    def repair(self, progress: Progress | None = None) -> IndexReport | None:
        """None: there is nothing to repair."""
        return None

    def search(self, library: Library, query: str, limit: int | None = 200) -> Results:
        """The hits of ``query`` in ``library``: see :func:`tuibrowser.search.run`."""
        from ..search import run

        return run(library, query, limit=limit)


def read_files(root: Path, public: bool = False) -> tuple[Library, IndexReport]:
    """The library for ``root`` read straight from the files, without the cache."""
    import orjson

    from .. import records
    from ..library import build

    started = time.perf_counter()
    report = IndexReport()
    parsed, scan_problems = records.read_folder(root)
    docs = [p.document for p in parsed if p.document is not None]
    problems = list(scan_problems)
    for prob in scan_problems:
        report_problem(prob, report)
    skipped = 0
    for p in parsed:
        problems.extend(p.problems)
        for prob in p.problems:
            report_problem(prob, report)
        # A file the user may not read is restricted, not skipped as an error.
        skipped += p.document is None and any(x.severity == "error" for x in p.problems)
        report.read.append(p.path)
    report.seconds = time.perf_counter() - started
    # the documents' JSON as a cache stores it, made when each was checked: the meetings'
    # fingerprints are of it (a document ``--public`` shows without some of it is its own)
    made = {id(p.document): p.json for p in parsed if p.document is not None}

    def json_of(doc: Document) -> bytes:
        json = made.get(id(doc))
        return json if json is not None else orjson.dumps(doc)

    lib = build(docs, problems, skipped=skipped, public=public, json_of=json_of)
    if public:  # as the library tells them: none with the text of a withheld item
        report.skipped, report.warnings, report.restricted = [], [], []
        for prob in lib.problems:
            report_problem(prob, report)
    report.meetings = len(lib.meetings)
    return lib, report
