"""Run independent chunks of work on several threads.

Kernels are compiled with ``nogil=True`` (see :mod:`thermo._numba`), so plain Python
threads run them concurrently. Each chunk writes only its own slice of the output
arrays and uses its own generator, so the result is bit-identical for any number
of threads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

__all__ = ["default_threads", "map_chunks", "resolve_threads"]

T = TypeVar("T")
R = TypeVar("R")


def default_threads() -> int:
    """Threads used when ``threads=None``: ``$THERMO_THREADS`` or the CPU count."""
    env = os.environ.get("THERMO_THREADS")
    if env:
        try:
            value = int(env)
        except ValueError as exc:
            raise ValueError(f"THERMO_THREADS must be a positive integer; got {env!r}") from exc
        if value < 1:
            raise ValueError(f"THERMO_THREADS must be a positive integer; got {env!r}")
        return value
    return max(
        1,
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1),
    )


def resolve_threads(threads: int | None) -> int:
    """Validate ``threads`` (``None`` means :func:`default_threads`)."""
    if threads is None:
        return default_threads()
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
        raise ValueError(f"threads must be a positive int or None; got {threads!r}")
    return threads


def map_chunks(func: Callable[[T], R], items: Sequence[T], threads: int | None = None) -> list[R]:
    """Apply ``func`` to every item, on up to ``threads`` threads, in order."""
    n = min(resolve_threads(threads), len(items))
    if n <= 1:
        return [func(item) for item in items]
    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(func, items))
