"""A YAML loader without YAML 1.1's traps, with size, depth and alias-bomb limits.

PyYAML implements YAML 1.1: ``10:30`` is 630, ``NO`` is False and ``2024-03-05`` a date.
Meeting files are read with the YAML 1.2 core schema instead: only ``true``/``false`` are
booleans, only plain decimal numbers are numbers, and everything else is text. The C loader
is used when PyYAML was built with libyaml (about 9x faster).

The shapes most meeting files hold are read by :mod:`.yamlquick`; PyYAML and the loader made
of it (:mod:`.yamlload`, whose names this module gives too: ``yamlsafe.locate``) are imported
the first time a text needs them, so a refresh that reads one file of the common shapes does
not import them.
"""

from __future__ import annotations

import sys
from importlib.machinery import PathFinder
from typing import TYPE_CHECKING, Any

from .yamlquick import UNUSUAL, quick_load

if TYPE_CHECKING:
    from .yamlload import CoreLoader, compose_load, locate  # noqa: F401 - given by __getattr__

MAX_NODES = 200_000
MAX_DEPTH = 64
# Twice the largest frontmatter: only aliases can make the text longer than the file.
MAX_TEXT = 4 * 2**20


def slow_loader_warning() -> str | None:
    """What to tell a user whose PyYAML has no C loader (None when it has): every file is read
    about nine times slower, which a first index of a big folder makes plain."""
    if _c_loader():
        return None
    return (
        "PyYAML was built without libyaml, so meeting files are read about 9x slower; "
        "install a PyYAML wheel with libyaml (pip install --force-reinstall --only-binary "
        ":all: pyyaml) to make indexing fast"
    )


def _c_loader() -> bool:
    """Whether PyYAML has its C loader: as the loader found it once imported (or as a test set
    ``C_LOADER``), else whether PyYAML's C extension is installed, found without importing
    PyYAML."""
    known = globals().get("C_LOADER")
    if known is None and "tuibrowser.yamlload" in sys.modules:
        known = sys.modules["tuibrowser.yamlload"].C_LOADER
    if known is not None:
        return bool(known)
    package = PathFinder.find_spec("yaml")
    if package is None or not package.submodule_search_locations:
        return False
    return PathFinder.find_spec("yaml._yaml", list(package.submodule_search_locations)) is not None


def yaml_error() -> type[Exception]:
    """The exception PyYAML raises for a text it cannot load (``except yaml_error():``, an
    expression evaluated only when an exception is raised): one no code raises while PyYAML is
    not imported, as none of its errors can be."""
    found = sys.modules.get("yaml")
    return found.YAMLError if found is not None else _NotLoaded


class _NotLoaded(Exception):
    """(never raised: see :func:`yaml_error`)"""


class YamlLimitError(ValueError):
    """The YAML is larger or deeper than a meeting file may be."""


# Composing a document recurses once per nesting level, in C when libyaml is used: tens of
# thousands of '[' crash the interpreter instead of raising. Such depth is refused first, and so
# is a flood of values (building a million values takes many seconds before they can be counted).
_SAFE_DEPTH = 1000


def check_shape(text: str) -> None:
    """Refuse YAML deeper than MAX_DEPTH or with more than MAX_NODES values before building it.

    Cheap upper bounds decide whether the event stream must be looked at: every nesting level
    opens with '[', '{', '-', '?' or more indentation, and every value is set apart by one of
    ',', ':', '-', '?', '[', '{' or a line break. A text of fewer characters than half
    MAX_NODES is within it whatever they are: only its openers are counted.
    """
    openers = text.count("-") + text.count("[") + text.count("{") + text.count("?")
    if 2 * len(text) + 2 <= MAX_NODES:  # (the characters counted are at most all of them)
        nodes_bound = 2 * len(text) + 2
    else:
        nodes_bound = 2 * (openers + text.count(",") + text.count(":") + text.count("\n")) + 2
    if nodes_bound <= MAX_NODES and not indented(text, _SAFE_DEPTH - openers):
        return

    from .yamlload import check_events

    check_events(text)


def indented(text: str, spaces: int) -> bool:
    """Whether a line of ``text`` starts with ``spaces`` spaces or more (one search at C speed,
    where a pattern of indents tried every position of the text)."""
    if spaces <= 0:
        return True
    blanks = " " * spaces
    return text.startswith(blanks) or ("\n" + blanks) in text


_TOO_MANY = (
    f"YAML has more than {MAX_NODES:,} values once aliases are expanded "
    "(an alias bomb, or far too much data)"
)


def load(text: str) -> Any:
    """Load YAML text with the core schema and check it against the limits.

    The shapes most meeting files hold are read by :func:`.yamlquick.quick_load`, which gives
    what the loader would; any other text is composed by the loader (:func:`compose_load`)."""
    check_shape(text)
    data = quick_load(text)
    if data is UNUSUAL:
        from .yamlload import compose_load

        data = compose_load(text)
        check_limits(data)
    elif not within_limits(text):
        check_limits(data)
    return data


def within_limits(text: str) -> bool:
    """Whether what :func:`.yamlquick.quick_load` read of ``text`` is within the limits
    without walking it: it has no aliases, so its values are the events :func:`check_shape`
    counted and its texts no longer than ``text``; each level of a block mapping or sequence
    it reads is indented more than the level two above it, so lines indented less than
    MAX_DEPTH // 4 keep it far from MAX_DEPTH levels."""
    return len(text) <= MAX_TEXT and not indented(text, MAX_DEPTH // 4)


def check_limits(data: Any) -> None:
    """Count nodes as a serialiser would see them: aliases count every time they are used.

    Only containers go on the stack; the scalars in them are counted where they stand (most
    of a meeting file's values are texts), so this walk costs little next to the load.
    """
    count = 1
    chars = len(data) if type(data) is str else 0
    stack: list[tuple[Any, int]] = [(data, 0)]
    push = stack.append
    while stack:
        value, depth = stack.pop()
        if depth >= MAX_DEPTH and value:  # its values would be deeper than the limit
            raise YamlLimitError(f"YAML nested deeper than {MAX_DEPTH} levels")
        if type(value) is dict:
            count += 2 * len(value)
            children: Any = value.values()
            for k in value:
                if type(k) is str:
                    chars += len(k)
                elif type(k) in (dict, list):  # a complex key (YAML allows them)
                    push((k, depth + 1))
        elif type(value) is list:
            count += len(value)
            children = value
        else:
            continue
        for v in children:
            t = type(v)
            if t is str:
                chars += len(v)
            elif t is dict or t is list:
                push((v, depth + 1))
        if count > MAX_NODES:
            raise YamlLimitError(_TOO_MANY)
        if chars > MAX_TEXT:
            # A long text used through many aliases is a bomb of another shape: 20 uses of
            # 1 MB are 20 MB in every copy made of the document (cache, export).
            raise YamlLimitError(
                f"YAML has more than {MAX_TEXT // 2**20} MB of text once aliases are "
                "expanded (an alias bomb)"
            )


def __getattr__(name: str) -> Any:
    """The loader's names (:mod:`.yamlload`), imported with it the first time one is asked for
    (not for a name of the module's own, such as ``__path__``, which an import asks for)."""
    if name.startswith("__"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from . import yamlload

    try:
        value = getattr(yamlload, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value
