"""The command line's group and what its commands share: the meetings folder, the options
of the cache, output on one line, the library loaded through the store, the entry point.

Textual is imported only by the command that starts the browser, so ``check``, ``index``,
``export`` and friends start fast; no module of this package imports the store, the model or
the parsers at its top.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..text import shown_path
from .plain import (  # (no click in them: the fast path runs them too)
    ended_by_signals,
    progress_bar,
    say,
    store_errors,
    warn_one_process,
    warn_slow_yaml,
)
from .plain import update_cache as update_cache  # (the commands take it from here)

if TYPE_CHECKING:
    from ..library import Library
    from ..store import IndexReport, MeetingStore

ENV_MEETINGS = "TUIBROWSER_MEETINGS"
ENV_PUBLIC = "TUIBROWSER_PUBLIC"
ENV_STORE = "TUIBROWSER_STORE"
STORE_KEY = "tuibrowser.store_url"


def bundled_meetings() -> Path | None:
    """The meetings shipped with the package (installed under share/, or beside the source)."""
    candidates = [
        Path(sys.prefix) / "share" / "tuibrowser" / "meetings",
        Path(__file__).resolve().parents[2] / "meetings",
    ]
    for c in candidates:
        if c.is_dir():
            return c
    return None


def resolve_dir(directory: str | None) -> Path:
    if directory:
        return Path(directory)
    env = os.environ.get(ENV_MEETINGS)
    if env:
        return Path(env)
    here = Path("meetings")
    if here.is_dir():
        return here
    bundled = bundled_meetings()
    if bundled is not None:
        return bundled
    raise click.UsageError(
        "no meetings folder: give one, set TUIBROWSER_MEETINGS, or run in a folder with meetings/"
    )


def env_public() -> bool:
    return os.environ.get(ENV_PUBLIC, "").strip().lower() in ("1", "true", "yes", "on")


def _dir_argument(f):
    return click.argument("directory", required=False, type=click.Path(file_okay=False))(f)


def _remember_store(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.meta[STORE_KEY] = value


def _store_option(f):
    """``--store URL`` (and ``TUIBROWSER_STORE``): a shared PostgreSQL store instead of the
    cache. Kept in the command's context (:func:`store_url`), not passed to the command."""
    return click.option(
        "--store",
        "store_url",
        metavar="URL",
        envvar=ENV_STORE,
        expose_value=False,
        callback=_remember_store,
        help="Use the shared PostgreSQL store postgresql://… (also TUIBROWSER_STORE).",
    )(f)


def store_url() -> str | None:
    """The ``--store`` URL the command was given, if any (checked: ``postgresql://``)."""
    ctx = click.get_current_context(silent=True)
    url = ctx.meta.get(STORE_KEY) if ctx is not None else None
    if not url:
        return None
    from ..store.pg.connect import is_store_url, shown

    if not is_store_url(url):
        say(f"tuibrowser: error: --store: not a PostgreSQL URL: {shown(url)}", err=True)
        raise SystemExit(2)
    return url


def _cache_options(f):
    f = _store_option(f)
    f = click.option(
        "--cache",
        "cache_path",
        type=click.Path(dir_okay=False),
        help="Use this cache file instead of the per-user one.",
    )(f)
    f = click.option(
        "--no-cache", is_flag=True, help="Read every file; do not read or write the cache."
    )(f)
    f = click.option(
        "--public",
        is_flag=True,
        default=None,
        help="Leave confidential items out (also TUIBROWSER_PUBLIC=1).",
    )(f)
    return f


def folder(directory: str | None) -> Path:
    """The meetings folder ``directory`` names (see :func:`resolve_dir`), which must be one."""
    root = resolve_dir(directory)
    if not root.is_dir():
        raise click.UsageError(f"not a folder: {shown_path(root)}")
    return root


def open_meetings(
    directory: str | None,
    cache_path: str | None,
    no_cache: bool,
    public: bool | None,
    progress: bool = False,
) -> tuple[MeetingStore, Library, IndexReport]:
    """The store of the meetings folder (see :func:`tuibrowser.store.open_store`), and its
    library up to date with the files; what the cache could not do is said on stderr."""
    from ..store import load_library, open_store

    url = store_url()
    root = resolve_dir(directory) if url else folder(directory)
    store = open_store(
        root,
        Path(cache_path) if cache_path else None,
        no_cache=no_cache,
        public=env_public() if public is None else public,
        store_url=url,
    )
    with ended_by_signals(), progress_bar(root, progress and not url) as callback, store_errors():
        lib, report = load_library(store, callback)
    if report.note:
        say(f"warning: {report.note}", err=True)
    warn_one_process(report)
    warn_slow_yaml(len(report.read))
    return store, lib, report


def load(
    directory: str | None,
    cache_path: str | None,
    no_cache: bool,
    public: bool | None,
    progress: bool = False,
):
    """The meetings folder, its library and what loading it did (see :func:`open_meetings`)."""
    store, lib, report = open_meetings(directory, cache_path, no_cache, public, progress)
    return store.root, lib, report


class DefaultGroup(click.Group):
    """A group whose default command (``open``) runs when the first word is not a command."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (
            args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")
        ):
            args = ["open", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tuibrowser")
def cli() -> None:
    """Browse the records of boards and committees: meetings, items, decisions, people and KPIs.

    Run without a command to open the browser on DIRECTORY (default: $TUIBROWSER_MEETINGS,
    else ./meetings, else the bundled meetings).
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: no traceback reaches a user (set TUIBROWSER_DEBUG=1 to see one, without
    the variables' values)."""
    try:
        cli.main(args=argv, prog_name="tuibrowser", standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        tell_error(exc)
        sys.exit(2)


def tell_error(exc: Exception) -> None:
    """One line on stderr. With TUIBROWSER_DEBUG=1 the traceback follows, as Python prints it
    (no variables: they hold the records' text), and the whole of it, variables too, goes to a
    file only the user may read, whose path is said (see ``debuglog``)."""
    from ..debuglog import debug_enabled, summary, write_log

    say(f"tuibrowser: error: {summary(exc)}", err=True)
    if not debug_enabled():
        say("(set TUIBROWSER_DEBUG=1 to see the details)", err=True)
        return
    say("".join(traceback.format_exception(exc)).rstrip("\n"), err=True)
    path = write_log(exc, "the command line")
    if path is not None:
        say(f"(the details, with the variables of each frame, are in {path})", err=True)
    else:
        say("(the debug log could not be written in the state folder)", err=True)
