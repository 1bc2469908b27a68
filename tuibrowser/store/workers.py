"""Processes to share a cold index out to, that never outlive the process that started them.

One process per core, from ``multiprocessing``'s forkserver (the browser indexes in a thread,
and fork() with threads is unsafe). Two things this module adds to a plain
``ProcessPoolExecutor``:

- **It starts where stderr is not a file.** The browser's stderr, while Textual runs, is an
  object whose ``fileno()`` is -1, and ``multiprocessing`` hands that to the resource tracker
  it starts ("bad value(s) in fds_to_keep"). The tracker is started with no stderr instead.
  Any other failure of the pool is no failure of the index: the rest of the work is done in
  this process, and ``Workers.fallback`` says why.
- **It dies with its parent.** A worker's parent is the forkserver, so each worker watches the
  process that started the pool (a pidfd on Linux, else polling) and ends itself when that
  process is gone, whatever killed it (SIGKILL included). Once the workers are gone, the
  forkserver and the resource tracker see their pipes closed and end too. On Linux a worker
  also asks to be killed with the forkserver (``PR_SET_PDEATHSIG``). When the parent stops
  the pool because of an exception (SIGTERM or SIGHUP turned into ``SystemExit`` by the
  command line, or a cancelled browser), the workers are terminated rather than waited for.
"""

from __future__ import annotations

import gc
import io
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

MAX_WORKERS = 8
POLL_SECONDS = 0.25  # how often a worker without pidfds looks for its parent
PR_SET_PDEATHSIG = 1  # linux/prctl.h
STOP_SECONDS = 2.0  # how long a stopped pool's processes are waited for
# The main thread does items itself while the pool starts (see Workers._submit).
WORK_WHILE_STARTING = True
# What the work shared out imports (parsing a file, building a shard), and what a worker
# imports as it starts (ctypes, see _die_with_parent_process; the pool's loop it runs):
# imported once by the forkserver, which each worker is forked from, instead of once in every
# worker. Not ``__main__`` (multiprocessing's default): the work is never a function of the
# main module, and the command line's main module is the whole CLI, imported before the first
# worker starts.
PRELOAD = (
    "tuibrowser.records",
    "tuibrowser.yamlload",  # (records imports it when a frontmatter needs it)
    "tuibrowser.store.shards",
    "tuibrowser.store.kept",
    "tuibrowser.library",
    "tuibrowser.search",
    "tuibrowser.search.skeleton",
    "tuibrowser.search.keptwords",
    "tuibrowser.search.wordsvec",  # (word lists with numpy: only where it is imported)
    "tuibrowser.people_figures",
    "tuibrowser.topic_parts",
    "tuibrowser.kpi.glance",
    "concurrent.futures.process",
    "ctypes",
)


class Workers:
    """Processes to share work out to (one per core), started the first time there is enough
    work; when processes cannot be had here, the work is done in this process."""

    def __init__(self) -> None:
        self.count = min(os.cpu_count() or 1, MAX_WORKERS)
        self._pool: Any = None
        self._broken = self.count < 2
        self.fallback: str | None = None  # why the work was done in this process after all

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if self._pool is None:
            return
        if exc_type is None:
            self._pool.shutdown(cancel_futures=True)
        else:
            stop(self._pool)  # interrupted: end the workers now, do not wait for their work
        self._pool = None

    def map(self, fn: Callable, items: list, parallel: bool) -> Iterator:
        """``fn(item)`` for each item, in order: in the processes when ``parallel``."""
        done = 0
        here: dict[int, Any] = {}  # items done in this process while the pool started
        if parallel and not self._broken:
            try:
                futures = self._submit(fn, items, here)
                for n in range(len(items)):
                    result = here.pop(n) if n in here else futures[n].result()
                    done += 1
                    yield result
                return
            except Exception as exc:  # noqa: BLE001 - any failure of the pool: go on in one
                # No processes here (a sandbox, an interpreter this user may not read, a
                # stderr with no file): do the rest in this one. An error of ``fn`` itself
                # comes back when the item is done again here.
                self._broken = True
                self.fallback = f"{type(exc).__name__}: {exc}"
                if self._pool is not None:
                    stop(self._pool)
                    self._pool = None
        for n in range(done, len(items)):
            yield here.pop(n) if n in here else fn(items[n])

    def _submit(self, fn: Callable, items: list, here: dict[int, Any]) -> list:
        """The futures of ``items`` given to the pool, started first if need be.

        Starting the pool takes a while (the forkserver imports the work's modules, then each
        worker is forked), and this process would only wait: in the main thread (the command
        line, which has nothing else to do) the pool is started and given the items from the
        first on in another thread, while this one does items from the last on, until the pool
        has them all; ``here`` gets their results. Not in another thread: the browser indexes
        in one, and its screen needs the interpreter meanwhile."""
        # submit, not Executor.map: map cancels its work when left early, and the pool's
        # thread, stopped after that, fails on cancelled work before 3.12
        here_too = WORK_WHILE_STARTING and threading.current_thread() is threading.main_thread()
        if self._pool is not None or not here_too:
            with signals_held():  # a worker half started when the parent ends is noisy
                if self._pool is None:
                    self._pool = start_pool(self.count)
                return [self._pool.submit(fn, item) for item in items]
        futures: list = []
        bounds = [0, len(items)]  # the next item for the pool; the end of what is left to it
        lock = threading.Lock()
        failed: list[Exception] = []

        def give() -> None:
            try:
                self._pool = start_pool(self.count)
                while True:
                    with lock:
                        if bounds[0] >= bounds[1]:
                            return
                        bounds[0] += 1
                    futures.append(self._pool.submit(fn, items[len(futures)]))
            except Exception as exc:  # noqa: BLE001 - raised again in this thread
                failed.append(exc)

        # (the thread is made with SIGTERM and SIGHUP held, as this one is while it runs)
        with signals_held():
            giver = threading.Thread(target=give, name="tuibrowser-pool-start", daemon=True)
            giver.start()
            try:
                while giver.is_alive():
                    with lock:
                        if bounds[1] <= bounds[0]:
                            break
                        bounds[1] -= 1
                        n = bounds[1]
                    here[n] = fn(items[n])
            finally:
                giver.join()
        if failed:
            raise failed[0]
        return futures


def start_pool(count: int):
    """A ``ProcessPoolExecutor`` of ``count`` processes that end when this process ends."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    methods = multiprocessing.get_all_start_methods()
    method = "forkserver" if "forkserver" in methods else None
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        start_servers()
    return ProcessPoolExecutor(
        count, mp_context=context, initializer=worker_started, initargs=(os.getpid(),)
    )


def start_servers() -> None:
    """Start multiprocessing's resource tracker and forkserver now, with a stderr they can
    inherit (none, when this process's stderr has no file), the forkserver with the modules
    of the work imported (:data:`PRELOAD`)."""
    from multiprocessing import forkserver, resource_tracker

    forkserver.set_forkserver_preload(list(PRELOAD))
    with stderr_with_a_file():
        resource_tracker.ensure_running()
        forkserver.ensure_running()


HELD = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


@contextmanager
def signals_held():
    """SIGTERM and SIGHUP wait until the end of this block (in this thread): the pool starts
    its workers in it, and a handler that ends this process half way through starting one
    would leave it to fail, with a traceback, on the pool's semaphores."""
    mask = getattr(signal, "pthread_sigmask", None)
    if mask is None or not HELD:
        yield
        return
    old = mask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        mask(signal.SIG_SETMASK, old)


class _NoFile(io.TextIOBase):
    """A stand-in for a stderr without a file: writes go to it, ``fileno()`` says there is
    none (the resource tracker then starts without a stderr, instead of failing)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def fileno(self) -> int:
        raise io.UnsupportedOperation("no file")

    def write(self, text: str) -> int:
        return self._stream.write(text)

    def flush(self) -> None:
        self._stream.flush()


def _has_file(stream: Any) -> bool:
    try:
        return stream.fileno() >= 0
    except (AttributeError, ValueError, OSError):
        return False


@contextmanager
def stderr_with_a_file():
    """While in it, ``sys.stderr.fileno()`` is a file descriptor or raises, never -1."""
    stream = sys.stderr
    if stream is None or _has_file(stream):
        yield
        return
    stand_in = _NoFile(stream)
    sys.stderr = stand_in
    try:
        yield
    finally:
        if sys.stderr is stand_in:  # unless someone else replaced it meanwhile
            sys.stderr = stream


def stop(pool: Any) -> None:
    """End a pool's processes now (their work is lost: it is written by no index)."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14
    if callable(terminate):
        try:
            terminate()
            return
        except Exception:  # noqa: BLE001 - fall back to doing it by hand
            pass
    processes = list((getattr(pool, "_processes", None) or {}).values())
    # the pool's own thread, taken now: shutdown() lets go of it
    thread = getattr(pool, "_executor_manager_thread", None)
    for process in processes:
        try:
            process.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    # Wait for them (briefly): one still starting when this process has exited finds the
    # pool's semaphores gone and prints a traceback.
    deadline = time.monotonic() + STOP_SECONDS
    for process in processes:
        try:
            process.join(max(0.0, deadline - time.monotonic()))
        except (OSError, ValueError, AssertionError):
            pass
    try:
        # Not cancel_futures: the pool's thread marks the work it had as broken, and before
        # Python 3.12 it fails (a traceback on stderr) on work that was cancelled.
        pool.shutdown(wait=False)
    except Exception:  # noqa: BLE001 - a broken pool: its processes are terminated already
        pass
    # Let the pool's own thread finish (briefly): before Python 3.12 the exit hook of
    # concurrent.futures can write to the wake-up pipe that thread is closing, and print an
    # OSError (bad file descriptor) as the process ends. Once the thread is done, it is closed.
    if thread is not None:
        try:
            thread.join(max(0.0, deadline - time.monotonic()) + STOP_SECONDS)
        except RuntimeError:
            pass  # not started
        # On a loaded machine the thread may still be closing its pipe when the process ends:
        # the exit hook then races it. The pool has been told to stop already (shutdown), so
        # the hook has nothing to wake: take the thread off its list.
        _forget_wakeup(thread)


def _forget_wakeup(thread: Any) -> None:
    """Take a stopped pool's thread off the list concurrent.futures' exit hook wakes."""
    from concurrent.futures import process as futures_process

    wakeups = getattr(futures_process, "_threads_wakeups", None)
    if wakeups is not None:
        try:
            wakeups.pop(thread, None)
        except (TypeError, AttributeError):
            pass


# -- in the workers ------------------------------------------------------------------------


def worker_started(parent: int) -> None:
    """The initializer of each worker: no cyclic collector (the work makes no cycles), and
    end with the process that started the pool."""
    gc.disable()
    die_with(parent)


def die_with(parent: int) -> None:
    """End this process as soon as process ``parent`` has ended."""
    _die_with_parent_process()
    try:
        handle: int | None = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)  # gone already
    except (AttributeError, OSError):
        handle = None  # not Linux, or an old kernel: poll
    if handle is None and not _alive(parent):
        os._exit(1)
    watch = threading.Thread(
        target=_watch, args=(parent, handle), name="tuibrowser-parent", daemon=True
    )
    watch.start()


def _watch(parent: int, handle: int | None) -> None:
    if handle is not None:
        select.select([handle], [], [])  # readable once the process has ended
    else:
        while _alive(parent):
            time.sleep(POLL_SECONDS)
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False  # the number is another user's process now: ours has ended
    return True


def _die_with_parent_process() -> None:
    """Linux: be killed when this process's parent (the forkserver) dies."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        pass
