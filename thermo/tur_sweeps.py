"""Published sweeps of chapter 5 (thermodynamic uncertainty relation).

* ``05-tur/finite-time``: Monte Carlo of the information current J_I and of the
  student's heat current on stationary trajectories of the tracking model; mean and
  variance at the times :data:`TIMES`.
* ``05-tur/blocks``: one long trajectory; variance of block increments per unit time
  for the block lengths :data:`BLOCKS`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermo._validate import check_choice
from thermo.sweep import Sweep, apply_overrides
from thermo.tur import (
    block_variance,
    information_weight,
    simulate_linear_current,
    tracking_matrices,
    tracking_model,
)

__all__ = ["BLOCKS", "TIMES", "block_point", "blocks", "current_weight", "finite_time", "ft_point"]

CHAPTER = "05-tur"
#: Observation times of the finite-time sweep (multiples of 0.1).
TIMES = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)
#: Block lengths of the blocking analysis.
BLOCKS = (0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0)
_DEPENDS = ("thermo.tur", "thermo.theory.tur", "thermo.random")


def current_weight(current: str, gamma: float, kappa: float, k: float) -> np.ndarray:
    """M of the information current (``"info"``) or of the student's heat (``"heat"``)."""
    check_choice("current", current, ("info", "heat"))
    if current == "info":
        return information_weight(tracking_model(gamma, kappa, k).covariance)
    return np.array([[0.0, kappa], [0.0, -k]])


def ft_point(current: str, kappa: float, gamma: float, k: float, t_max: float, n_traj: int,
             dt: float, seed: np.random.SeedSequence) -> dict[str, Any]:  # fmt: skip
    """Mean and variance (with standard errors) of J_t at :data:`TIMES` <= t_max."""
    A, D = tracking_matrices(gamma, kappa, k)
    M = current_weight(current, gamma, kappa, k)
    rec = round(0.1 / dt)
    mc = simulate_linear_current(A, D, M, t_max, n_traj, dt=dt, record_every=rec, seed=seed)
    out: dict[str, Any] = {}
    for i, t in enumerate(TIMES):
        if t > t_max + 1e-9:
            continue
        J = mc.J[round(t / 0.1) - 1]
        n = J.size
        var = J.var(ddof=1)
        kurt = np.mean((J - J.mean()) ** 4)
        out[f"mean{i}"] = float(J.mean())
        out[f"mean{i}_se"] = float(np.sqrt(var / n))
        out[f"var{i}"] = float(var)
        out[f"var{i}_se"] = float(np.sqrt((kurt - var**2 * (n - 3) / (n - 1)) / n))
    return out


def block_point(current: str, kappa: float, gamma: float, k: float, t_total: float, dt: float,
                seed: np.random.SeedSequence) -> dict[str, Any]:  # fmt: skip
    """Block variance per unit time, with its standard error, for :data:`BLOCKS`."""
    A, D = tracking_matrices(gamma, kappa, k)
    M = current_weight(current, gamma, kappa, k)
    rec = round(0.1 / dt)
    mc = simulate_linear_current(A, D, M, t_total, 2, dt=dt, record_every=rec, seed=seed)
    out: dict[str, Any] = {"mean_rate": float(mc.J[-1, 0] / mc.times[-1])}
    for i, tb in enumerate(BLOCKS):
        est, se, nb = block_variance(mc.J[:, 0], mc.times, tb)
        out[f"b{i}"], out[f"b{i}_se"], out[f"n{i}"] = est, se, nb
    return out


def finite_time(mode: str = "full", **overrides: Any) -> Sweep:
    """J_I (kappa = 3) and heat (kappa = 1.5) currents, gamma = 1, k = 2, to t = 20."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 505)
    n_traj, t_max = (20000, 20.0) if mode == "full" else (2000, 5.0)
    base = {"grid": {"current": ["info", "heat"], "kappa": [3.0, 1.5]},
            "fixed": {"gamma": 1.0, "k": 2.0, "t_max": t_max, "n_traj": n_traj,
                      "dt": 2e-3}}  # fmt: skip
    grid, fixed = apply_overrides(base["grid"], base["fixed"], overrides)
    return Sweep(CHAPTER, "finite-time", ft_point, grid, fixed, seed, _DEPENDS,
                 "TUR: Monte Carlo mean and variance of tracking-model currents")  # fmt: skip


def blocks(mode: str = "full", **overrides: Any) -> Sweep:
    """Blocking analysis of one long trajectory (J_I, gamma = 1, kappa = 3, k = 2)."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 606)
    t_total = 100000.0 if mode == "full" else 2000.0
    base = {"grid": {"current": ["info"]},
            "fixed": {"kappa": 3.0, "gamma": 1.0, "k": 2.0, "t_total": t_total,
                      "dt": 2e-3}}  # fmt: skip
    grid, fixed = apply_overrides(base["grid"], base["fixed"], overrides)
    return Sweep(CHAPTER, "blocks", block_point, grid, fixed, seed, _DEPENDS,
                 "TUR: block averages of J_I from one long trajectory")  # fmt: skip
