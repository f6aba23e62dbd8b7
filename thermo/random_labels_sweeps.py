"""Published sweeps of chapter 2 (perceptron memorising random labels).

* ``02-random-labels/toy-ramp``: Langevin simulation of the toy model N = P = 1 under the
  linear force ramp; mean heat, final weight statistics and p_C (averaged and sampled) with
  standard errors, at a few (nu, tau) and two time steps.
* ``02-random-labels/hebb``: Hebbian batch learning with fixed +-1 inputs and random labels
  (exact stationary sampling), p_C, <w^2> and the Gaussian-fit entropy change per repetition.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermo._validate import check_choice
from thermo.perceptron.random_labels import simulate_hebb, simulate_toy_ramp
from thermo.stats import mean_se
from thermo.sweep import Sweep, apply_overrides

__all__ = ["hebb", "hebb_point", "toy_point", "toy_ramp"]

CHAPTER = "02-random-labels"
_DEPENDS = ("thermo.perceptron.random_labels", "thermo.random", "thermo.stats")


def toy_point(nu: float, tau: float, dt: float, n_traj: int, t_relax: float,
              seed: np.random.SeedSequence) -> dict[str, Any]:  # fmt: skip
    """Mean heat, <F w>, Var(F w), p_C (averaged, sampled), each with its standard error."""
    r = simulate_toy_ramp(nu, tau, n_traj=n_traj, dt=dt, t_relax=t_relax, seed=seed)
    x = r.label * r.w_final
    var = x.var(ddof=1)
    return {
        "heat": float(r.heat.mean()), "heat_se": mean_se(r.heat).se,
        "m": float(x.mean()), "m_se": mean_se(x).se,
        "var": float(var), "var_se": float(np.sqrt(2.0 / (x.size - 1)) * var),
        "pc_avg": float(r.pc_averaged.mean()), "pc_avg_se": mean_se(r.pc_averaged).se,
        "pc_smp": float(r.pc_sampled.mean()), "pc_smp_se": mean_se(r.pc_sampled).se,
    }  # fmt: skip


def hebb_point(alpha: float, nu: float, n_weights: int, n_rep: int,
               seed: np.random.SeedSequence) -> dict[str, Any]:  # fmt: skip
    """p_C, <w^2>, Gaussian-fit Delta S and stability variance: mean and SE over repetitions."""
    h = simulate_hebb(alpha, nu, n_weights=n_weights, n_rep=n_rep, seed=seed)
    out: dict[str, Any] = {"n_patterns": h.n_patterns}
    for key, arr in (("pc", h.pc), ("w2", h.w2), ("ds", h.entropy_change),
                     ("svar", h.stability_var)):  # fmt: skip
        out[key] = float(arr.mean())
        out[f"{key}_se"] = mean_se(arr).se
    return out


def toy_ramp(mode: str = "full", **overrides: Any) -> Sweep:
    """Toy-model ramps at (nu, tau) in {1, 2, 3} x {0.5, 2, 8}, two time steps."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 202)
    n_traj = 50_000 if mode == "full" else 10_000
    base = {"grid": {"nu": [1.0, 2.0, 3.0], "tau": [0.5, 2.0, 8.0], "dt": [2e-2, 2e-3]},
            "fixed": {"n_traj": n_traj, "t_relax": 12.0}}  # fmt: skip
    if mode == "quick":
        base["grid"] = {"nu": [2.0, 3.0], "tau": [0.5, 2.0], "dt": [2e-2, 5e-3]}
    grid, fixed = apply_overrides(base["grid"], base["fixed"], overrides)
    return Sweep(CHAPTER, "toy-ramp", toy_point, grid, fixed, seed, _DEPENDS,
                 "Random labels: Langevin heat and p_C of the toy-model ramp")  # fmt: skip


def hebb(mode: str = "full", **overrides: Any) -> Sweep:
    """Hebbian Monte Carlo: N = 10^4, 10 repetitions (full); N = 500, 4 repetitions (quick)."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 303)
    if mode == "full":
        base = {"grid": {"nu": [0.5, 1.0, 2.0, 4.0], "alpha": [0.1, 0.25, 0.5, 1.0, 2.0]},
                "fixed": {"n_weights": 10_000, "n_rep": 10}}  # fmt: skip
    else:
        base = {"grid": {"nu": [1.0, 2.0], "alpha": [0.25, 1.0, 2.0]},
                "fixed": {"n_weights": 500, "n_rep": 4}}  # fmt: skip
    grid, fixed = apply_overrides(base["grid"], base["fixed"], overrides)
    return Sweep(CHAPTER, "hebb", hebb_point, grid, fixed, seed, _DEPENDS,
                 "Random labels: Hebbian p_C and weight statistics at finite N")  # fmt: skip
