"""The command line: ``tuibrowser [DIR]`` opens the browser; subcommands share the same core.

- :mod:`.common`: the group (:data:`cli`), the entry point (:func:`main`) and what the commands
  share: the meetings folder, the cache's options, output on one line, the store and library;
- :mod:`.browser`: ``open``, the default command;
- :mod:`.check`: ``check`` and ``index``;
- :mod:`.export`: ``export``;
- :mod:`.search`: ``search``;
- :mod:`.kpis`: ``kpis``;
- :mod:`.importing`: ``import`` and ``sync``;
- :mod:`.actions`: ``actions``, the action tracker.

A command written in a module of its own is added to the group here:
``cli.add_command(its_command)``.

The package imports nothing at its top: :func:`main` runs the plain forms of ``tuibrowser DIR``
and ``tuibrowser index DIR`` without click (:mod:`.fast`) and gives every other command line
to the group; every other name here (the group, the commands, what they share) is imported
with the commands the first time it is asked for.
"""

from __future__ import annotations

import gc
import sys
from importlib import import_module

# (False, not typing's: imported before the walk's child is forked (store.prescan), which
# typing's import, 4 ms, would delay)
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

    from . import common as common
    from .common import (
        ENV_MEETINGS,
        ENV_PUBLIC,
        DefaultGroup,
        _cache_options,
        _dir_argument,
        bundled_meetings,
        cli,
        ended_by_signals,
        env_public,
        folder,
        load,
        open_meetings,
        progress_bar,
        resolve_dir,
        say,
        tell_error,
        update_cache,
        warn_one_process,
        warn_slow_yaml,
    )
    from .export import write_output

__all__ = [
    "ENV_MEETINGS",
    "ENV_PUBLIC",
    "DefaultGroup",
    "_cache_options",
    "_dir_argument",
    "bundled_meetings",
    "cli",
    "ended_by_signals",
    "env_public",
    "folder",
    "load",
    "main",
    "open_meetings",
    "progress_bar",
    "resolve_dir",
    "say",
    "tell_error",
    "update_cache",
    "warn_one_process",
    "warn_slow_yaml",
    "write_output",
]


def main(argv: list[str] | None = None) -> None:
    """Entry point (see :func:`.common.main`): a plain form runs without click (:mod:`.fast`).

    Run as the program (``argv`` None) for a command that does not open the browser, the
    collector is paused while the modules are imported (they hold no garbage cycles to find;
    its passes over them were about 9 M instructions), and the process ends through
    :func:`.leave.leave`: what must run at exit runs, and the interpreter's teardown (a
    collection and every module's objects freed one by one, 3% of a refresh) is skipped.
    """
    words = sys.argv[1:] if argv is None else list(argv)
    if argv is not None or words[:1] not in PLAIN_COMMANDS:
        _main(words, argv)
        return
    if words[:1] == ["index"]:
        from ..store.memory import hold_to_exit

        hold_to_exit()  # (its refresh's plan is not freed object by object: store.memory)
    collect = gc.isenabled()
    if not any(w == "--store" or w.startswith("--store=") for w in words):
        gc.disable()  # (a search on a store runs at once through libpq: the collector as usual)
    try:
        _main(words, argv, collect)
    except SystemExit as end:
        from .leave import leave

        leave(end)


def _main(words: list[str], argv: list[str] | None, collect: bool = False) -> None:
    """The plain form (:mod:`.fast`), else click's commands; ``collect``: the collector is
    switched on again for the command's own work once the commands are imported."""
    from .fast import run

    if not run(words):
        from .common import main as click_main

        _commands()
        if collect:
            gc.enable()
        click_main(argv)


# the commands whose process ends as soon as their work is done (no browser, no thread left)
PLAIN_COMMANDS = (["index"], ["search"], ["check"], ["export"], ["kpis"])


COMMAND_MODULES = ("actions", "browser", "check", "export", "importing", "kpis", "search")


def _commands() -> None:
    """The group with every command added to it."""
    for name in COMMAND_MODULES:
        import_module(f"{__name__}.{name}")


def __getattr__(name: str) -> Any:
    """The group, the commands and what they share, imported the first time one is asked for
    (a name of neither is no attribute: a submodule is imported as usual)."""
    if name not in __all__ and name not in ("common", *COMMAND_MODULES):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    _commands()
    if name == "common" or name in COMMAND_MODULES:
        return import_module(f"{__name__}.{name}")
    where = import_module(f"{__name__}.export" if name == "write_output" else f"{__name__}.common")
    return getattr(where, name)
