"""Where CSS lives: each screen's rules in its own DEFAULT_CSS, every selector scoped to the
screen's class, so a screen's ids never style another screen and it looks the same on any app."""

from __future__ import annotations

import re

import pytest
from textual.screen import Screen

from tuibrowser.tui.app import TuiBrowserApp

# a rule's selectors: what comes before "{" at the start of a rule (comments removed)
RULE = re.compile(r"(?:^|})\s*([^{}]+?)\s*\{", re.S)


def screens() -> list[type[Screen]]:
    import importlib
    import inspect
    import pkgutil

    import tuibrowser.tui.screens as package

    found: dict[str, type[Screen]] = {}
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__.startswith(package.__name__):
                found[cls.__name__] = cls
    return sorted(found.values(), key=lambda c: c.__name__)


def selectors(css: str) -> list[str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return [s.strip() for group in RULE.findall(css) for s in group.split(",")]


def test_the_screens_are_found():
    names = {cls.__name__ for cls in screens()}
    assert {"MeetingsScreen", "MeetingScreen", "ItemScreen", "HelpScreen"} <= names


@pytest.mark.parametrize("screen", screens(), ids=lambda c: c.__name__)
def test_every_rule_of_a_screen_starts_with_its_class(screen: type[Screen]):
    css = vars(screen).get("DEFAULT_CSS", "")
    for selector in selectors(css):
        head = re.split(r"[\s.:#>]", selector, maxsplit=1)[0]
        assert head == screen.__name__, f"{screen.__name__}: {selector!r}"


def test_the_app_has_no_stylesheet_of_its_own_beside_the_screens():
    assert not TuiBrowserApp.CSS_PATH and not TuiBrowserApp.CSS
    # only what every screen shares: no id of a screen
    assert "#" not in TuiBrowserApp.DEFAULT_CSS
    assert set(selectors(TuiBrowserApp.DEFAULT_CSS)) == {"Screen", ".heading"}
