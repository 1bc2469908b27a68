"""The YAML loader itself (PyYAML): YAML 1.2 core schema, the C loader when present.

What :mod:`.yamlsafe` reads with it: a frontmatter the quick reader
(:mod:`.yamlquick`) leaves to the loader, the shape of one too big for the bounds to clear,
and the lines of the values a problem is about. Imported only then: most meeting files are
read without it, and importing PyYAML (its patterns compiled, its classes made) was a
sixteenth of a one-file refresh. The limits are :mod:`.yamlsafe`'s.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from . import limits
from .yamlsafe import _TOO_MANY, MAX_DEPTH, MAX_NODES, YamlLimitError

try:
    from yaml import CSafeLoader as _BaseLoader

    C_LOADER = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

    C_LOADER = False


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


def check_events(text: str) -> None:
    """:func:`.yamlsafe.check_shape` on a text its bounds do not clear: walk its events."""
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
