"""Published sweeps of chapter 1 (Landauer erasure), registered in :mod:`thermo._registry`.

* ``01-landauer/work-vs-tau``: erasure and control, cycle time tau; statistics and the
  work histogram on :data:`EDGES`.
* ``01-landauer/crooks``: forward and reversed erasure at one tau, for a full (A = 0.5)
  and a weak tilt (A = 0.02, incomplete erasure); histograms resolved by the final
  (forward) or initial (reverse) well.
* ``01-landauer/partial-erasure``: weak tilts (incomplete erasure), two tau.
* ``01-landauer/timestep``: the erasure at tau = 16 for three time steps.

Histogram columns are ``h000 ...`` (all runs), ``t000 ...`` (target well) and
``o000 ...`` (other well); ``under``/``over`` count runs outside :data:`EDGES`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermo._validate import check_choice
from thermo.landauer import cycle_statistics, simulate_cycle
from thermo.sweep import Sweep, apply_overrides

__all__ = [
    "EDGES",
    "crooks",
    "crooks_point",
    "histogram_columns",
    "partial_erasure",
    "partial_point",
    "timestep",
    "work_point",
    "work_vs_tau",
]

CHAPTER = "01-landauer"
#: Work-histogram edges (k_B T): width 0.1 on [-6, 12]; symmetric about 0 on [-6, 6].
EDGES = np.arange(-60, 121) / 10.0
_DEPENDS = ("thermo.landauer", "thermo.langevin", "thermo.potentials", "thermo.protocols",
            "thermo.random", "thermo.parallel")  # fmt: skip


def _hist(w: np.ndarray, prefix: str) -> dict[str, int]:
    counts, _ = np.histogram(w, EDGES)
    return {f"{prefix}{i:03d}": int(c) for i, c in enumerate(counts)}


def histogram_columns(result: Any, prefix: str = "h") -> np.ndarray:
    """Histogram counts stored by a sweep, shape ``(n_rows, len(EDGES) - 1)``."""
    n = len(EDGES) - 1
    return np.stack([np.asarray(result[f"{prefix}{i:03d}"], dtype=float) for i in range(n)], axis=1)


def work_point(kind: str, tau: float, n_runs: int, E_b: float, A: float, dt: float,
               seed: np.random.SeedSequence) -> dict[str, Any]:  # fmt: skip
    """Statistics and work histogram of ``n_runs`` cycles (one sweep point)."""
    res = simulate_cycle(tau, n_runs, kind=kind, E_b=E_b, A=A, dt=dt, seed=seed)
    out: dict[str, Any] = cycle_statistics(res).as_dict()
    out["w_min"] = float(res.work.min())
    out["under"] = int(np.sum(res.work < EDGES[0]))
    out["over"] = int(np.sum(res.work >= EDGES[-1]))
    out.update(_hist(res.work, "h"))
    return out


def crooks_point(direction: str, A: float, tau: float, n_runs: int, E_b: float, dt: float,
                 seed: np.random.SeedSequence) -> dict[str, Any]:  # fmt: skip
    """Forward or reversed erasure; histograms resolved by the final (forward) or
    initial (reverse) well."""
    check_choice("direction", direction, ("forward", "reverse"))
    reverse = direction == "reverse"
    res = simulate_cycle(tau, n_runs, kind="erasure", E_b=E_b, A=A, dt=dt, seed=seed,
                         reverse=reverse)  # fmt: skip
    well = res.initial_well if reverse else res.final_well
    out: dict[str, Any] = cycle_statistics(res, well="initial" if reverse else "final").as_dict()
    out["under"] = int(np.sum(res.work < EDGES[0]))
    out["over"] = int(np.sum(res.work >= EDGES[-1]))
    out.update(_hist(res.work, "h"))
    out.update(_hist(res.work[well == 1], "t"))
    out.update(_hist(res.work[well == -1], "o"))
    return out


def partial_point(A: float, tau: float, n_runs: int, E_b: float, dt: float,
                  seed: np.random.SeedSequence) -> dict[str, Any]:  # fmt: skip
    """Statistics of an (in)complete erasure with tilt ``A``."""
    res = simulate_cycle(tau, n_runs, kind="erasure", E_b=E_b, A=A, dt=dt, seed=seed)
    return cycle_statistics(res).as_dict()


def work_vs_tau(mode: str = "full", **overrides: Any) -> Sweep:
    """Erasure and control over cycle times tau (4000 runs per point in full mode)."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 101)
    if mode == "full":
        taus = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0]
        n_runs = 4000
    else:
        taus = [1.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0]
        n_runs = 600
    base = {"grid": {"kind": ["erasure", "control"], "tau": taus},
            "fixed": {"n_runs": n_runs, "E_b": 13.0, "A": 0.5, "dt": 2e-4}}  # fmt: skip
    grid, fixed = apply_overrides(base["grid"], base["fixed"], overrides)
    desc = "Landauer erasure and control: work statistics against the cycle time"
    return Sweep(CHAPTER, "work-vs-tau", work_point, grid, fixed, seed, _DEPENDS, desc)


def crooks(mode: str = "full", **overrides: Any) -> Sweep:
    """Forward and reversed erasure at tau = 16 for a full (0.5) and a weak (0.02) tilt."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 202)
    n_runs = 8000 if mode == "full" else 1500
    base = {"grid": {"A": [0.5, 0.02], "direction": ["forward", "reverse"]},
            "fixed": {"tau": 16.0, "n_runs": n_runs, "E_b": 13.0, "dt": 2e-4}}  # fmt: skip
    grid, fixed = apply_overrides(base["grid"], base["fixed"], overrides)
    return Sweep(CHAPTER, "crooks", crooks_point, grid, fixed, seed, _DEPENDS,
                 "Crooks: forward and reversed erasure, well-resolved work histograms")  # fmt: skip


def partial_erasure(mode: str = "full", **overrides: Any) -> Sweep:
    """Incomplete erasure for weak tilts (p < 1 needs 8 E_b A of order a few k_B T)."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 303)
    if mode == "full":
        grid_a, taus, n_runs = [0.01, 0.02, 0.04, 0.08], [8.0, 32.0], 4000
    else:
        grid_a, taus, n_runs = [0.02, 0.04], [8.0], 800
    base = {"grid": {"A": grid_a, "tau": taus},
            "fixed": {"n_runs": n_runs, "E_b": 13.0, "dt": 2e-4}}  # fmt: skip
    grid, fixed = apply_overrides(base["grid"], base["fixed"], overrides)
    return Sweep(CHAPTER, "partial-erasure", partial_point, grid, fixed, seed, _DEPENDS,
                 "Incomplete erasure (A < A_c): success probability and work")  # fmt: skip


def timestep(mode: str = "full", **overrides: Any) -> Sweep:
    """The erasure at tau = 16 for time steps 2e-4, 1e-4 and 5e-5."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 404)
    if mode == "full":
        dts, tau, n_runs = [2e-4, 1e-4, 5e-5], 16.0, 4000
    else:
        dts, tau, n_runs = [2e-4, 1e-4], 8.0, 800
    fixed = {"kind": "erasure", "tau": tau, "n_runs": n_runs, "E_b": 13.0, "A": 0.5}
    base = {"grid": {"dt": dts}, "fixed": fixed}
    grid, fixed = apply_overrides(base["grid"], base["fixed"], overrides)
    return Sweep(CHAPTER, "timestep", work_point, grid, fixed, seed, _DEPENDS,
                 "Time-step convergence of the erasure work")  # fmt: skip
