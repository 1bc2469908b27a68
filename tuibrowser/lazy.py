"""A package's names imported from their modules the first time each is asked for (PEP 562),
so a command that needs one module of a package does not import them all."""

from __future__ import annotations

from importlib import import_module

# (False, not typing's: imported before the walk's child is forked (store.prescan), which
# typing's import, 4 ms, would delay, and collections's, 2 ms)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


def lazy_names(package: str, where: dict[str, str], names: dict[str, Any]) -> Callable[[str], Any]:
    """The ``__getattr__`` of the package ``package`` (whose globals are ``names``): a name of
    ``where`` (name → module) is imported from its module, anything else as a submodule (as the
    package's imports once made every one it used an attribute); each kept once found."""

    def __getattr__(name: str) -> Any:
        if name in where:
            value = getattr(import_module(f"{package}.{where[name]}"), name)
        else:
            try:
                value = import_module(f"{package}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        names[name] = value
        return value

    return __getattr__
