"""The user's keymap: binding ids → keys, read from ``keymap.toml`` in the user config folder.

Every key of the browser is a ``Binding`` with an id (``app.people``, ``table.down``,
``item.later``); ``?`` lists them. A user moves a key by naming its id::

    # ~/.config/tuibrowser/keymap.toml  (TUIBROWSER_CONFIG_DIR moves the folder)
    "app.quit" = "Q"
    "app.people" = ["P", "f2"]    # a list: any of these keys

    [item]                        # the same as "item.earlier" / "item.later"
    earlier = "b"
    later = "f"

The file is the user's own, but it is still checked: an unknown id, a key Textual cannot
name or a value of the wrong type is reported in plain words and left out, and the rest of
the keymap applies. Nothing in the file can make the browser fail to start. A keymap another
user owns or can write, or in a folder another user can write, is not read at all (a link to
the user's own file, as dotfile managers make, is followed): see :func:`safefs.read_trusted`.
"""

from __future__ import annotations

import importlib
import inspect
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.keys import Keys

from ..store import safefs
from ..store.paths import config_dir
from .host import host

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

FILE_NAME = "keymap.toml"
MAX_BYTES = 64 * 1024
MAX_PROBLEMS = 5  # more than this are counted, not listed
MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
KEY_NAMES = frozenset(k.value for k in Keys if not k.value.startswith("<"))
EXAMPLES = '"P", "ctrl+q", "f5", "question_mark"'


def keymap_path() -> Path:
    """``$TUIBROWSER_CONFIG_DIR/keymap.toml``, else the platform's user config folder."""
    return config_dir() / FILE_NAME


@dataclass
class UserKeymap:
    """What the keymap file gives: the keymap to apply and the problems to tell the user."""

    path: Path
    keymap: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def binding_classes() -> list[type]:
    """Every class of the browser that declares BINDINGS (walks the tui package)."""
    import pkgutil

    package = importlib.import_module(__package__ or "tuibrowser.tui")
    classes = []
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and "BINDINGS" in vars(cls):
                classes.append(cls)
    return classes


def binding_ids(classes: list[type] | None = None) -> dict[str, Binding]:
    """Every binding of the browser by id (the first one of each id)."""
    found: dict[str, Binding] = {}
    for cls in classes if classes is not None else binding_classes():
        for b in getattr(cls, "BINDINGS", ()):
            if isinstance(b, Binding) and b.id:
                found.setdefault(b.id, b)
    return found


def _key_name(key: str) -> str:
    """A key as Textual names it in bindings: ``?`` → ``question_mark``, ``ctrl+q`` as it is."""
    key = key.strip()
    if len(key) == 1 and not key.isalnum():
        try:
            return unicodedata.name(key).lower().replace("-", "_").replace(" ", "_")
        except ValueError:
            return key
    return key


def clashes(keymap: Mapping[str, str], classes: list[type]) -> list[str]:
    """Keys the keymap gives to a binding that another binding of the same screen or list has.

    The keymap wins (the other binding loses the key), which is worth telling the user.
    """
    out: list[str] = []
    for cls in classes:
        mine = [b for b in getattr(cls, "BINDINGS", ()) if isinstance(b, Binding) and b.id]
        keys: dict[str, set[str]] = {}
        for b in mine:
            given = keymap.get(b.id or "") or b.key
            keys.setdefault(b.id or "", set()).update(_key_name(k) for k in given.split(","))
        for moved in keymap:
            if moved not in keys:
                continue
            for other in mine:
                if other.id == moved or (other.id in keymap and (other.id or "") < moved):
                    continue  # itself, or a pair already looked at the other way round
                shared = keys[moved] & keys[other.id or ""]
                if shared:
                    out.append(
                        f"{FILE_NAME}: {min(shared)} is {moved} now, and {other.id} "
                        f"({other.description}) had it in the same place: that one loses it"
                    )
    return list(dict.fromkeys(out))


def valid_key(key: str) -> bool:
    """Is ``key`` a key Textual can name: ``p``, ``?``, ``ctrl+q``, ``f5``, ``question_mark``?"""
    if len(key) == 1:
        return key.isprintable() and not key.isspace()
    *modifiers, base = key.split("+")
    if not base or any(m not in MODIFIERS for m in modifiers):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    if base in KEY_NAMES:
        return True
    try:
        unicodedata.lookup(base.replace("_", " "))
    except KeyError:
        return False
    return True


def _flatten(table: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    """``{"item": {"later": "f"}}`` → ``{"item.later": "f"}`` (TOML tables and dotted keys)."""
    out: dict[str, object] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        else:
            out[name] = value
    return out


def parse_keymap(
    text: str, where: str = FILE_NAME, known: Mapping[str, object] | None = None
) -> tuple[dict[str, str], list[str]]:
    """The keymap in ``text`` and its problems; ``known`` is the set of ids to accept.

    ``where`` (the file's path) names the file when none of it can be used; a problem with
    one entry names the entry, and the file only by its name.
    """
    import tomllib  # (imported when there is a keymap to read: most users have none)

    name = FILE_NAME
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return {}, [f"{where} is not valid TOML, so no key was changed: {exc}"]
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in _flatten(data).items():
        if known is not None and binding_id not in known:
            problems.append(f"{name}: no key has the id {binding_id!r} (? lists each key's id)")
            continue
        keys = [value] if isinstance(value, str) else value
        if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
            problems.append(
                f'{name}: {binding_id} needs a key like "ctrl+q", or a list of keys; left as it was'
            )
            continue
        keys = [k.strip() for k in keys]
        bad = [k for k in keys if not valid_key(k)]
        if bad:
            problems.append(
                f"{name}: {binding_id}: {bad[0]!r} is not a key name (keys are named like "
                f"{EXAMPLES}); left as it was"
            )
            continue
        keymap[binding_id] = ",".join(keys)
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS + 1
        problems = [*problems[: MAX_PROBLEMS - 1], f"{name}: and {more} more problems"]
    return keymap, problems


def load_keymap(path: Path | None = None, known: Mapping[str, object] | None = None) -> UserKeymap:
    """Read the user's keymap file; a missing file is an empty keymap, not a problem."""
    path = path if path is not None else keymap_path()
    result = UserKeymap(path)
    name = str(path)
    try:
        raw = safefs.read_trusted(path, MAX_BYTES + 1)
    except FileNotFoundError:
        return result
    except safefs.Refused as exc:
        result.problems.append(f"{name} was not read: {exc}; keys unchanged")
        return result
    except OSError as exc:
        result.problems.append(f"{name} could not be read ({exc.strerror or exc}); keys unchanged")
        return result
    if len(raw) > MAX_BYTES:
        result.problems.append(f"{name} is over {MAX_BYTES // 1024} KB; keys unchanged")
        return result
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        result.problems.append(f"{name} is not UTF-8 text; keys unchanged")
        return result
    if not text.strip():
        return result
    classes = binding_classes() if known is None else []
    result.keymap, result.problems = parse_keymap(
        text, name, known if known is not None else binding_ids(classes)
    )
    result.problems += clashes(result.keymap, classes)
    return result


# -- in the app ----------------------------------------------------------------------------


def apply_user_keymap(app: App) -> dict[str, str]:
    """Move the app's keys as the user's keymap says (``App.set_keymap``) and return the
    keymap applied; its problems are told, never raised."""
    say = host(app).say
    try:
        user = load_keymap()
    except Exception as exc:  # noqa: BLE001 - a keymap never stops the browser
        say(f"The keymap was not applied: {type(exc).__name__}: {exc}", "warning")
        return {}
    if user.keymap:
        app.set_keymap(user.keymap)
    for problem in user.problems:
        say(problem, "warning", timeout=12)
    return user.keymap


def node_bindings(node: DOMNode) -> list[Binding]:
    """The bindings ``node``'s classes declare (its own first, then those it inherits)."""
    out: list[Binding] = []
    for cls in type(node).__mro__:
        out.extend(Binding.make_bindings(vars(cls).get("BINDINGS", ())))
    return out


def tell_clashes(
    app: App,
    keymap: Mapping[str, str],
    clashed: set[Binding],
    node: DOMNode,
    told: set[tuple[str, str]],
) -> None:
    """Textual found a key the keymap took from a binding: tell it once (``told`` remembers),
    if it is one of Textual's own (the browser's are told when the keymap is read, by
    ``clashes``)."""
    for b in clashed:
        if b.id or (b.action, b.key) in told:
            continue
        if any(
            x.action == b.action
            for x in node_bindings(node)
            if x.id and b.key in {_key_name(k) for k in keymap.get(x.id, "").split(",")}
        ):
            continue  # the key still does the same (app.quit on ctrl+q, Textual's own quit)
        told.add((b.action, b.key))
        host(app).say(
            f"Keymap: {app.get_key_display(b)} now does something else, so "
            f"{b.description or b.action} no longer has it.",
            "warning",
            timeout=12,
        )
