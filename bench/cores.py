"""How much of a second core this machine gives: the speed of each of two busy processes run at
once, against one run alone.

The machines the harness runs on say they have two cores, but on some of them two processes
busy at once each run at little more than half speed (the two are threads of one physical core,
or the host is busy): the walk's child of a refresh, the pool of a cold index and the browser's
work while it paints overlap less there, and a figure moves with it. The run records the speed
at its start and at its end, and the README's table says it beside the number of cores.
"""

from __future__ import annotations

import subprocess
import sys
import time

# a loop of pure Python: the CPU alone, no memory to speak of, no system call
LOOP = "x = 0\nfor i in range({n}):\n    x += i\n"


def _busy(n: int, copies: int) -> float:
    """Seconds until ``copies`` processes each running the loop ``n`` times are all done (their
    interpreter's start timed apart and taken off)."""
    code = f"import sys, time\nsys.stdin.read(1)\nt = time.perf_counter()\n{LOOP.format(n=n)}"
    code += "print(time.perf_counter() - t)\n"
    procs = [
        subprocess.Popen(
            [sys.executable, "-S", "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(copies)
    ]
    time.sleep(0.05)  # (started, and waiting for their go)
    for p in procs:
        assert p.stdin is not None
        p.stdin.write("g")
        p.stdin.close()
    took = []
    for p in procs:
        assert p.stdout is not None
        took.append(float(p.stdout.read()))
        p.wait()
    return max(took)


def two_at_once(n: int = 2_000_000, tries: int = 3) -> float:
    """The speed of each of two busy processes at once, against one alone (the best of
    ``tries`` each): 1.0 when the machine has two cores to give, 0.5 when they share one."""
    alone = min(_busy(n, 1) for _ in range(tries))
    both = min(_busy(n, 2) for _ in range(tries))
    return round(alone / both, 2)


if __name__ == "__main__":
    print(two_at_once())
