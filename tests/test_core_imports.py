"""The core never imports Textual: the CLI paths that do not open the browser stay fast."""

import subprocess
import sys

import pytest

CORE_MODULES = [
    "tuibrowser",
    "tuibrowser.model",
    "tuibrowser.yamlsafe",
    "tuibrowser.records",
    "tuibrowser.library",
    "tuibrowser.cache",
    "tuibrowser.export",
    "tuibrowser.text",
    "tuibrowser.cli",
]


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_does_not_load_textual(module):
    code = f"import sys, {module}; print('textual' in sys.modules, 'rich' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"], f"{module} loads Textual or Rich"
