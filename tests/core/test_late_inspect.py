"""dataclasses imported with inspect imported when first used (:mod:`tuibrowser.lateinspect`):
each in a new interpreter, where neither is imported yet."""

from __future__ import annotations

import subprocess
import sys

LATE = "from tuibrowser.lateinspect import import_dataclasses; import_dataclasses()\n"


def run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_dataclasses_is_imported_without_inspect():
    code = (
        LATE + "import sys, orjson; print('dataclasses' in sys.modules, 'inspect' in sys.modules)"
    )
    assert run(code) == "True False"


def test_a_dataclass_and_any_later_import_get_the_real_inspect():
    code = LATE + (
        "import dataclasses, sys, orjson\n"
        "@dataclasses.dataclass\n"
        "class Point:\n"
        "    x: int\n"
        "import inspect\n"
        "print(Point.__doc__, orjson.dumps(Point(1)).decode(),\n"
        "      sys.modules['inspect'] is inspect, type(inspect).__name__,\n"
        "      inspect.signature(Point) is not None)"
    )
    assert run(code) == 'Point(x: int) {"x":1} True module True'


def test_nothing_is_done_once_either_is_imported():
    code = (
        "import inspect, sys\n" + LATE + "import dataclasses\n"
        "print(sys.modules['inspect'] is inspect, type(dataclasses.inspect).__name__)"
    )
    assert run(code) == "True module"


UUID = "from tuibrowser.lateinspect import import_uuid; import_uuid()\n"


def test_uuid_is_imported_without_platform_and_knows_the_system_as_platform_does():
    code = UUID + (
        "import sys, orjson, uuid\n"
        "print('platform' in sys.modules, uuid._LINUX, uuid._AIX, end=' ')\n"
        "import platform\n"
        "print(platform.system() == 'Linux', sys.modules['platform'] is platform,\n"
        "      type(platform).__name__, uuid.platform.machine() == platform.machine())"
    )
    assert run(code) == "False True False True True module True"


def test_nothing_is_done_for_uuid_once_platform_is_imported():
    code = "import platform, sys\n" + UUID + "import uuid\nprint(uuid.platform is platform)"
    assert run(code) == "True"
