"""The published sweeps: the cached data behind the book's figures.

Each entry maps a key ``"<chapter>/<name>"`` to a factory ``factory(mode="full",
**overrides) -> Sweep`` given as ``"module:function"`` (imported lazily). Notebooks
call :func:`get` with their ``mode`` and parameters; the command line
(``python -m thermo sweep ...``) and ``make data`` use the same entries.
"""

from __future__ import annotations

import importlib
from typing import Any

from thermo._registry import REGISTRY
from thermo._validate import check_choice
from thermo.sweep import Sweep, SweepResult

__all__ = ["MODES", "get", "names", "register", "results"]

MODES = ("quick", "full")

# One line per published sweep lives in thermo/_registry.py (merged line-wise by git).
_REGISTRY: dict[str, str] = dict(REGISTRY)


def register(key: str, target: str) -> None:
    """Register ``target`` (``"module:function"``) under ``key`` (``"<chapter>/<name>"``)."""
    if key.count("/") != 1 or ":" not in target:
        raise ValueError(
            f"key must be '<chapter>/<name>' and target 'module:function'; got {key!r}"
        )
    _REGISTRY[key] = target


def names() -> list[str]:
    """Keys of all published sweeps, sorted."""
    return sorted(_REGISTRY)


def get(key: str, mode: str = "full", **overrides: Any) -> Sweep:
    """The sweep ``key`` in ``mode`` ("quick" or "full"), with parameter overrides.

    Raises
    ------
    ValueError
        If ``key`` is unknown (the message lists the known keys) or ``mode`` is invalid.
    """
    check_choice("mode", mode, MODES)
    if key not in _REGISTRY:
        known = ", ".join(names()) or "(none)"
        raise ValueError(f"unknown sweep {key!r}; known sweeps: {known}")
    module, func = _REGISTRY[key].split(":")
    factory = getattr(importlib.import_module(module), func)
    sweep = factory(mode=mode, **overrides)
    if not isinstance(sweep, Sweep) or sweep.key != key:
        raise TypeError(f"{_REGISTRY[key]} must return a Sweep with key {key!r}")
    return sweep


def results(key: str, mode: str = "full", **overrides: Any) -> SweepResult:
    """Results of sweep ``key`` for a notebook.

    Full mode loads the committed data in ``data/`` when they match the parameters and
    the code, and computes (and stores) them otherwise -- unless
    ``$THERMO_SWEEP_COMPUTE=never``, which raises :class:`thermo.sweep.StaleDataError`.
    Quick mode computes the (small) quick grid in memory and never writes to ``data/``.
    """
    sweep = get(key, mode, **overrides)
    if mode == "quick":
        return sweep.run(save=False, workers=1, progress=False)
    return sweep.load_or_run()
