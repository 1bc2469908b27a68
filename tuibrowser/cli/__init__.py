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
"""

from . import actions, browser, check, export, importing, kpis, search  # noqa: F401 - commands
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
    main,
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
