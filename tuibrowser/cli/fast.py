"""The command line's fast path: ``tuibrowser DIR`` and ``tuibrowser index DIR`` in their
plain forms, run without importing click.

Importing click and building the group is a tenth of a one-file refresh and a twentieth of
the browser's first frame. The forms taken here are those whose every word this module can
read as click would, with nothing for click to say: a folder named (that exists and can be
read), ``--cache FILE``, ``--store URL`` (a PostgreSQL URL; for ``index``, without the
cache's options), and the flags of the command (``--public``, ``--no-cache``; ``--clear``,
``--where``), each at most once. Anything else — no folder named, help, a version, an unknown
or repeated option, ``TUIBROWSER_STORE``, a value click would refuse, shell completion — is
left to click (:func:`run` returns False), so the messages, the help and the exit statuses are
click's. What runs is what the commands run (:func:`.plain.index_cache`,
:func:`.plain.index_store`, :func:`.plain.early_first_page`, :func:`tuibrowser.tui.app.run`),
ended as click's standalone mode and :func:`.common.main` end a command.
"""

from __future__ import annotations

import errno
import gc
import os
import stat
import sys

# (False, not typing's: imported before the walk's child is forked (store.prescan), which
# typing's import, 4 ms, pathlib's, 4 ms, and collections's, 2 ms, would delay)
TYPE_CHECKING = False

if TYPE_CHECKING:
    from collections.abc import Callable, Collection
    from typing import Any, NoReturn

# the group's commands (a test keeps this the same as ``cli.commands``): a first word that is
# one of them is that command, any other opens the browser
COMMANDS = frozenset(
    {"open", "check", "index", "export", "search", "kpis", "import", "sync", "actions"}
)
# command → its options that take a value, and its flags
OPTIONS = {"open": ({"--cache", "--store"}, {"--no-cache", "--public"})}
OPTIONS["index"] = ({"--cache", "--store"}, {"--public", "--clear", "--where"})
CACHE_ONLY = ("--cache", "--clear", "--where")  # index's options that --store refuses
STORE_SCHEMES = ("postgresql://", "postgres://")  # as store.pg.connect.SCHEMES
ENV_STORE = "TUIBROWSER_STORE"  # as common.ENV_STORE (--store's variable)
ENV_PUBLIC = "TUIBROWSER_PUBLIC"  # as common.ENV_PUBLIC
COMPLETE = "_TUIBROWSER_COMPLETE"  # click's shell completion for the program tuibrowser


def run(argv: list[str]) -> bool:
    """Run ``argv`` (the words after ``tuibrowser``) if it is a plain form (it then ends with
    ``SystemExit`` as click's standalone mode does); False when it is click's to run."""
    if argv[:1] == ["search"]:
        from .fastsearch import run_search

        return run_search(argv[1:])
    parsed = parse(argv)
    if parsed is None:
        return False
    command, directory, values, flags = parsed
    if command == "index":
        _end(lambda: _index(directory, values, flags))
    _end(lambda: _open(directory, values, flags))


def parse(argv: list[str]) -> tuple[str, str, dict[str, str], set[str]] | None:
    """(command, folder, option → value, flags) of a plain form, or None."""
    if ENV_STORE in os.environ or COMPLETE in os.environ or not argv:
        return None
    command = "index" if argv[0] == "index" else "open"
    words = argv[1:] if argv[0] in COMMANDS else argv
    if argv[0] in COMMANDS and argv[0] not in OPTIONS:
        return None
    takes, switches = OPTIONS[command]
    read = read_words(words, takes, switches, 1)
    if read is None:
        return None
    values, flags, folders = read
    if not folders or not _folder_ok(folders[0]) or not _cache_ok(values.get("--cache")):
        return None
    if "--store" in values and not _store_ok(command, values, flags):
        return None
    return command, folders[0], values, flags


def read_words(
    words: list[str], takes: Collection[str], switches: Collection[str], most: int
) -> tuple[dict[str, str], set[str], list[str]] | None:
    """(option → value, flags, the other words) of ``words`` whose options are those that
    take a value (``takes``, as ``--x V`` or ``--x=V``) and ``switches``, each at most once,
    and at most ``most`` other words; None for anything else (help, an option of another
    form, a value that looks like an option, one word too many: click's)."""
    values: dict[str, str] = {}
    flags: set[str] = set()
    others: list[str] = []
    n = 0
    while n < len(words):
        word = words[n]
        name, eq, value = word.partition("=")
        if name in takes and name not in values:
            if not eq:
                n += 1
                if n == len(words):
                    return None
                value = words[n]
            if not value or value.startswith("-"):
                return None
            values[name] = value
        elif word in switches and word not in flags:
            flags.add(word)
        elif word.startswith("-") or not word or len(others) == most:
            return None
        else:
            others.append(word)
        n += 1
    return values, flags, others


def _store_ok(command: str, values: dict[str, str], flags: set[str]) -> bool:
    """What click's command runs without a word to say: a PostgreSQL URL, and for ``index``
    none of the cache's options (which it refuses beside ``--store``)."""
    if not values["--store"].lower().startswith(STORE_SCHEMES):
        return False
    return command != "index" or not any(o in values or o in flags for o in CACHE_ONLY)


def _folder_ok(directory: str) -> bool:
    """What click's ``Path(file_okay=False)`` accepts and :func:`.common.folder` too: a
    folder this user may read."""
    try:
        st = os.stat(directory)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and os.access(directory, os.R_OK)


def _cache_ok(path: str | None) -> bool:
    """What click's ``Path(dir_okay=False)`` accepts: no file yet, or one that is not a folder
    and can be read."""
    if path is None:
        return True
    try:
        st = os.stat(path)
    except OSError:
        return True
    return not stat.S_ISDIR(st.st_mode) and os.access(path, os.R_OK)


def _public(flags: set[str]) -> bool:
    if "--public" in flags:
        return True
    return os.environ.get(ENV_PUBLIC, "").strip().lower() in ("1", "true", "yes", "on")


def _index(directory: str, values: dict[str, str], flags: set[str]) -> None:
    # The collector paused from the start, as the refresh pauses it (base.no_gc): the modules
    # imported and the catalog read hold no garbage cycles to find, and its passes over them
    # were a fiftieth of a one-file refresh's instructions.
    gc_was = gc.isenabled()
    gc.disable()
    try:
        if "--store" not in values and "--where" not in flags:
            # the folder walked by a child while the refresh is imported (on two cores)
            from ..store.prescan import begin

            begin(directory)
        from ..lateinspect import import_dataclasses, import_uuid

        import_dataclasses()  # (before orjson imports it: inspect imported when used)
        import_uuid()  # (and uuid: platform is not imported)
        from pathlib import Path

        from .plain import index_cache, index_store

        if "--store" in values:
            index_store(values["--store"], Path(directory), _public(flags))
            return
        clear, where = "--clear" in flags, "--where" in flags
        index_cache(Path(directory), values.get("--cache"), _public(flags), clear, where)
    finally:
        if gc_was:
            gc.enable()


def _open(directory: str, values: dict[str, str], flags: set[str]) -> None:
    from pathlib import Path

    url = values.get("--store")
    first_page = None
    if url:  # read beside Textual's import, as the command does
        from .plain import early_first_page

        first_page = early_first_page(url, Path(directory), _public(flags))
    # The collector paused until the first frame (the browser resumes it then): Textual's
    # and the browser's modules and the first screen hold no garbage cycles to speak of, and
    # its passes over them were a twentieth of the first frame's instructions.
    gc_was = gc.isenabled()
    gc.disable()
    try:
        from ..tui.app import run as run_browser  # Textual is imported only here

        cache = values.get("--cache")
        run_browser(
            Path(directory),
            cache_path=Path(cache) if cache else None,
            use_cache="--no-cache" not in flags,
            public=_public(flags),
            store_url=url,
            first_page=first_page,
            gc_paused=gc_was,
        )
    finally:
        if gc_was:
            gc.enable()


def _end(body: Callable[[], int | None]) -> NoReturn:
    """Run ``body`` and end as a click command ends in standalone mode, under
    :func:`.common.main`: the status it returns (0 for None); Ctrl-C says "Aborted!" (status
    1); a closed pipe ends quietly (status 1); any other error is told on one line (status
    2)."""
    status = None
    try:
        try:
            status = body()
        except (EOFError, KeyboardInterrupt):
            import click

            click.echo(file=sys.stderr)
            click.echo("Aborted!", file=sys.stderr)
            sys.exit(1)
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise
            from typing import TextIO, cast

            sys.stdout = cast(TextIO, _Quiet(sys.stdout))
            sys.stderr = cast(TextIO, _Quiet(sys.stderr))
            sys.exit(1)
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - the last line of defence, as common.main's
        from .common import tell_error

        tell_error(exc)
        sys.exit(2)
    sys.exit(status or 0)


class _Quiet:
    """A stream whose flush says nothing of a closed pipe (as click leaves stdout and stderr
    once a command met one, so the interpreter's last flush does not complain)."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)
