"""The CPU time of a call, for the tests that hold a rule or a document to a time limit."""
from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def best_cpu_seconds(call: Callable[[], T], *, runs: int = 3) -> tuple[T, float]:
    """The call's result and its least CPU time over `runs` calls, after one call to warm up.

    This thread's CPU time, not wall time: neither a parallel test worker on the same cores nor a server
    thread an earlier test left in this process may make a test fail. The least of a few runs, each after a
    garbage collection: the collections of a process that has run a thousand tests are not the call's cost.
    The warm-up lets reportlab load its fonts and fill its caches.
    """
    result = call()
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        started = time.thread_time()
        result = call()
        best = min(best, time.thread_time() - started)
    return result, best
