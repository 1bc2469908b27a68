"""A YAML loader without YAML 1.1's traps, with size, depth and alias-bomb limits.

PyYAML implements YAML 1.1: ``10:30`` is 630, ``NO`` is False and ``2024-03-05`` a date.
Meeting files are read with the YAML 1.2 core schema instead: only ``true``/``false`` are
booleans, only plain decimal numbers are numbers, and everything else is text. The C loader
is used when PyYAML was built with libyaml (about 9x faster).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from . import limits
from .yamlquick import UNUSUAL, quick_load

try:
    from yaml import CSafeLoader as _BaseLoader

    C_LOADER = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    C_LOADER = False

MAX_NODES = 200_000
MAX_DEPTH = 64
# Twice the largest frontmatter: only aliases can make the text longer than the file.
MAX_TEXT = 4 * 2**20


def slow_loader_warning() -> str | None:
    """What to tell a user whose PyYAML has no C loader (None when it has): every file is read
    about nine times slower, which a first index of a big folder makes plain."""
    if C_LOADER:
        return None
    return (
        "PyYAML was built without libyaml, so meeting files are read about 9x slower; "
        "install a PyYAML wheel with libyaml (pip install --force-reinstall --only-binary "
        ":all: pyyaml) to make indexing fast"
    )


class YamlLimitError(ValueError):
    """The YAML is larger or deeper than a meeting file may be."""


class CoreLoader(_BaseLoader):
    """Safe loader with YAML 1.2 core-schema implicit types."""


CoreLoader.yaml_implicit_resolvers = {}
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789")
)
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$|^[-+]?[0-9]+[eE][-+]?[0-9]+$"
    ),
    list("-+0123456789."),
)
CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)


_RULES: dict[str, list[tuple[str, re.Pattern[str]]]] = dict(CoreLoader.yaml_implicit_resolvers)


def _resolve(self: CoreLoader, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
    """The tag of a node without one, as :meth:`yaml.resolver.BaseResolver.resolve` finds it
    for CoreLoader (which has no path resolvers, and no resolver for every first character),
    in a few steps: it is called for every node of every file."""
    if kind is yaml.ScalarNode:
        if implicit[0]:
            for tag, pattern in _RULES.get(value[:1], ()):  # type: ignore[index]
                if pattern.match(value):  # type: ignore[arg-type]
                    return tag
        return "tag:yaml.org,2002:str"
    return "tag:yaml.org,2002:seq" if kind is yaml.SequenceNode else "tag:yaml.org,2002:map"


def _no_path(*_: object) -> None:
    """The resolver's bookkeeping of node paths, which only path resolvers need."""


assert None not in _RULES and not CoreLoader.yaml_path_resolvers  # what _resolve relies on
CoreLoader.resolve = _resolve  # type: ignore[method-assign,assignment]
CoreLoader.descend_resolver = _no_path  # type: ignore[method-assign,assignment]
CoreLoader.ascend_resolver = _no_path  # type: ignore[method-assign,assignment]


def _bool(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> bool:
    return loader.construct_scalar(node).lower() == "true"


def _text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


def _refuse(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    raise yaml.constructor.ConstructorError(
        None, None, f"the tag {tag} is not allowed in a meeting file", node.start_mark
    )


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    """A mapping, refusing duplicate keys: YAML would silently keep only the last one."""
    seen: set[str] = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            key = key_node.value
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r}: it is given twice and only one value can be kept",
                    key_node.start_mark,
                )
            seen.add(key)
    return loader.construct_mapping(node)


_DECIMAL = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z|[-+]?[0-9]+[eE][-+]?[0-9]+\Z"
)


def _number(kind: str, pattern: re.Pattern[str], make: Any):
    def construct(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
        value = loader.construct_scalar(node)
        if isinstance(value, str) and pattern.match(value):
            return make(value)
        raise yaml.constructor.ConstructorError(
            None, None, f"{value!r} is not a {kind} number", node.start_mark
        )

    return construct


CoreLoader.add_constructor("tag:yaml.org,2002:bool", _bool)
# Numbers as the core schema reads them: 010 is ten and 09 nine, not octal (YAML 1.1 made 010
# eight, and 09 an error that was not a YAML error).
CoreLoader.add_constructor("tag:yaml.org,2002:int", _number("decimal", _DECIMAL, limits.integer))
CoreLoader.add_constructor("tag:yaml.org,2002:float", _number("decimal", _FLOAT, float))
# Explicit !!timestamp tags still come back as text, never as date objects.
CoreLoader.add_constructor("tag:yaml.org,2002:timestamp", _text)
CoreLoader.add_constructor("tag:yaml.org,2002:map", _mapping)
for _tag in ("binary", "set", "omap", "pairs"):
    CoreLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse)
CoreLoader.add_constructor(None, _refuse)  # any other tag: !!python/…, !local


# Composing a document recurses once per nesting level, in C when libyaml is used: tens of
# thousands of '[' crash the interpreter instead of raising. Such depth is refused first, and so
# is a flood of values (building a million values takes many seconds before they can be counted).
_SAFE_DEPTH = 1000


def check_shape(text: str) -> None:
    """Refuse YAML deeper than MAX_DEPTH or with more than MAX_NODES values before building it.

    Cheap upper bounds decide whether the event stream must be looked at: every nesting level
    opens with '[', '{', '-', '?' or more indentation, and every value is set apart by one of
    ',', ':', '-', '?', '[', '{' or a line break.
    """
    openers = sum(text.count(c) for c in "[{-?")
    nodes_bound = 2 * (openers + text.count(",") + text.count(":") + text.count("\n")) + 2
    if nodes_bound <= MAX_NODES and not indented(text, _SAFE_DEPTH - openers):
        return
    depth = 0
    count = 0
    try:
        for event in yaml.parse(text, Loader=CoreLoader):  # noqa: S506 - events only
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise YamlLimitError(f"YAML nested deeper than {MAX_DEPTH} levels")
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
                continue
            if isinstance(event, yaml.NodeEvent):
                count += 1
                if count > MAX_NODES:
                    raise YamlLimitError(_TOO_MANY)
    except yaml.YAMLError as exc:
        # libyaml 0.2.6 and later stop at their own depth limit with a scanner error.
        if "nesting depth" in str(getattr(exc, "problem", "") or ""):
            raise YamlLimitError(f"YAML nested deeper than {MAX_DEPTH} levels") from exc
        return  # the real load reports the syntax error with its line


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


def compose_load(text: str) -> Any:
    """Load YAML text with the core schema, by composing it (the limits are not checked)."""
    try:
        loader = CoreLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                data = None
            elif "&" in text:
                # anchors, so perhaps aliases (shared and recursive values): PyYAML's way
                data = loader.construct_document(node)
            else:
                try:
                    data = _construct(node)
                except _Unusual:
                    data = loader.construct_document(node)
        finally:
            loader.dispose()
    except RecursionError as exc:
        raise YamlLimitError(f"YAML nested deeper than {MAX_DEPTH} levels") from exc
    return data


class _Unusual(Exception):
    """A node the fast constructor leaves to PyYAML's (an explicit tag, an unhashable key)."""


_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


def _construct(node: yaml.Node) -> Any:
    """The value of a composed node without aliases, as CoreLoader's constructors make it,
    by plain recursion: PyYAML's constructor, built for shared and recursive values, spends
    most of a meeting file's load time on bookkeeping that a tree does not need."""
    tag = node.tag
    if type(node) is yaml.ScalarNode:
        value = node.value
        if tag == _STR:
            return value
        if tag == _INT and _DECIMAL.match(value):
            return limits.integer(value)
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value.lower() == "true"
        if tag == _FLOAT_TAG and _FLOAT.match(value):
            return float(value)
        raise _Unusual
    if type(node) is yaml.SequenceNode and tag == _SEQ:
        return [_construct(child) for child in node.value]
    if type(node) is yaml.MappingNode and tag == _MAP:
        out: dict = {}
        for key_node, value_node in node.value:
            key = _construct(key_node)
            try:
                seen = key in out
            except TypeError:  # an unhashable key: PyYAML says so with its line
                raise _Unusual from None
            if seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r}: it is given twice and only one value can be kept",
                    key_node.start_mark,
                )
            out[key] = _construct(value_node)
        return out
    raise _Unusual


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


class _Composed:
    """A composed YAML document, with each mapping's keys indexed as they are looked up."""

    def __init__(self, text: str):
        try:
            self.root: yaml.Node | None = yaml.compose(text, Loader=CoreLoader)  # noqa: S506
            self.ok = True
        except Exception:  # noqa: BLE001 - only used to improve a message
            self.root, self.ok = None, False
        self._keys: dict[int, dict[Any, tuple[yaml.Node, yaml.Node]]] = {}

    def keys(self, node: yaml.MappingNode) -> dict[Any, tuple[yaml.Node, yaml.Node]]:
        index = self._keys.get(id(node))
        if index is None:
            index = {}
            for key_node, value_node in node.value:
                index.setdefault(getattr(key_node, "value", None), (key_node, value_node))
            self._keys[id(node)] = index
        return index


@functools.lru_cache(maxsize=1)
def _composed(text: str) -> _Composed:
    # One file's warnings all locate in the same text: compose it once, not once per warning
    # (thousands of warnings made that quadratic).
    return _Composed(text)


def locate(text: str, path: tuple[Any, ...]) -> int | None:
    """The 0-based line of the value at ``path`` (keys and list indexes) in YAML ``text``."""
    doc = _composed(text)
    if not doc.ok:
        return None
    node = doc.root
    line = node.start_mark.line if node is not None else None
    for step in path:
        if isinstance(node, yaml.MappingNode):
            try:
                found = doc.keys(node).get(step)
            except TypeError:  # an unhashable step
                found = None
            if found is None:
                return line
            line = found[0].start_mark.line
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                return line
            node = node.value[step]
            line = node.start_mark.line
        else:
            return line
    return line
