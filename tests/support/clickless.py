"""Run a command line in a fresh interpreter and tell whether it imported click (the fast path's
forms must not: :mod:`tuibrowser.cli.fast`)."""

from __future__ import annotations

import subprocess
import sys


def run_clickless(argv: list[str]) -> tuple[str, str]:
    """``tuibrowser ARGV`` run through the entry point in a new process: its exit status and
    whether click was imported (``"True"``/``"False"``), as printed there."""
    code = (
        "import sys\n"
        "from tuibrowser.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit as stop:\n"
        "    print(stop.code, 'click' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    words = out.stdout.split()
    assert len(words) >= 2, out.stdout + out.stderr
    return words[-2], words[-1]
