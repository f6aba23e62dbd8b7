"""The one place that decides how numba is used in ``thermo``.

Every kernel in the package is decorated with :func:`jit`, so the options are
uniform (as in numba-stats):

* ``cache=True`` -- compiled machine code is stored next to the source in
  ``__pycache__`` (ignored by git), so a new process loads kernels instead of
  recompiling them;
* lazy compilation -- no signatures are given, so nothing is compiled at import
  time, only on first call with concrete argument types;
* ``error_model="numpy"`` -- division by zero gives inf/nan as in numpy instead of
  raising, which keeps inner loops free of exception checks;
* ``nogil=True`` -- kernels release the GIL, so :mod:`thermo.parallel` can run
  independent chunks of particles on several threads.

Kernels never call ``np.random.seed`` or numba's global ``np.random``: they take a
:class:`numpy.random.Generator` argument (see :mod:`thermo.random`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numba

__all__ = ["JIT_OPTIONS", "jit"]

JIT_OPTIONS: dict[str, Any] = {
    "cache": True,
    "nogil": True,
    "error_model": "numpy",
    "fastmath": False,
}


def jit(func: Callable | None = None, **overrides: Any) -> Callable:
    """Compile ``func`` lazily with the package's numba options.

    Parameters
    ----------
    func : callable, optional
        Function to compile. If omitted, a decorator is returned.
    **overrides
        Options that replace the defaults in :data:`JIT_OPTIONS`
        (e.g. ``inline="always"`` for tiny helpers).
    """
    options = {**JIT_OPTIONS, **overrides}
    if func is None:
        return lambda f: numba.njit(**options)(f)
    return numba.njit(**options)(func)
