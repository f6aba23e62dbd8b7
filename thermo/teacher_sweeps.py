"""Published sweeps of chapter 3 (learning a teacher's rule), registered in :mod:`thermo._registry`.

* ``03-teacher/dynamics``: finite-N simulation of the sample-averaged (MF) model (exact
  reduced chain), order parameters and heat at a grid of times, for each rule and two
  learning rates; to compare with the ODEs at the same times.
* ``03-teacher/network``: the full N-weight simulation at two times, with the pooled
  weight-histogram entropy change.
* ``03-teacher/gamma``: the sample-by-sample process at sample rate ``gamma N``,
  against the finite-gamma ODE and its gamma -> infinity limit (MF).

Every point returns means and standard errors over runs (``<q>`` and ``<q>_se``) of
``R, Q, heat, entropy, information, weight_information, cost`` and the ratio of means
``eta`` (see :func:`thermo.perceptron.teacher.summarize_runs`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermo._validate import check_choice
from thermo.perceptron.teacher import (
    pooled_entropy_change,
    simulate_mean_field,
    simulate_samples,
    summarize_runs,
)
from thermo.sweep import Sweep, apply_overrides

__all__ = ["dynamics", "gamma", "gamma_point", "mf_point", "network", "network_point"]

CHAPTER = "03-teacher"
_DEPENDS = ("thermo.perceptron.teacher", "thermo.theory.teacher", "thermo.random",
            "thermo.parallel")  # fmt: skip


def mf_point(rule: str, nu: float, t: float, k: float, n_weights: int, n_runs: int, dt: float,
             seed: np.random.SeedSequence) -> dict[str, Any]:  # fmt: skip
    """MF model (reduced chain) at time ``t`` after the switch-on."""
    runs = simulate_mean_field(rule, nu, k, [t], n_weights, n_runs, dt=dt, seed=seed)
    return summarize_runs(runs)


def network_point(rule: str, t: float, nu: float, k: float, n_weights: int, n_runs: int,
                  dt: float, seed: np.random.SeedSequence) -> dict[str, Any]:  # fmt: skip
    """Full N-weight MF simulation; adds the pooled-histogram ``Delta S(w_n)``."""
    runs = simulate_mean_field(rule, nu, k, [t], n_weights, n_runs, dt=dt, method="network",
                               seed=seed)  # fmt: skip
    out = summarize_runs(runs)
    out["entropy_pooled"] = pooled_entropy_change(runs.weights, k)
    out["entropy_of_mean_q"] = float(0.5 * np.log(k * runs.Q[:, -1].mean()))
    return out


def gamma_point(rule: str, gamma: float, nu: float, k: float, t: float, n_weights: int,
                n_runs: int, seed: np.random.SeedSequence) -> dict[str, Any]:  # fmt: skip
    """Sample-by-sample process at rate ``gamma N`` (exact reduced chain)."""
    runs = simulate_samples(rule, nu, k, [t], n_weights, n_runs, gamma=gamma, seed=seed)
    return summarize_runs(runs)


RULES = ["hebb", "perceptron", "adatron"]


def dynamics(mode: str = "full", **overrides: Any) -> Sweep:
    """MF model at N = 1000: 500 runs per point (full), 40 (quick)."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 3031)
    full = mode == "full"
    times = [0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0] if full else [0.5, 2.0, 6.0, 12.0]
    base = {"grid": {"rule": RULES, "nu": [1.0, 2.0], "t": times},
            "fixed": {"k": 0.5, "n_weights": 1000, "n_runs": 500 if full else 40,
                      "dt": 0.002}}  # fmt: skip
    grid, fixed = apply_overrides(base["grid"], base["fixed"], overrides)
    return Sweep(CHAPTER, "dynamics", mf_point, grid, fixed, seed, _DEPENDS,
                 "Teacher-student MF model, finite N: order parameters, heat vs time")  # fmt: skip


def network(mode: str = "full", **overrides: Any) -> Sweep:
    """Full N-weight MF simulation: N = 1000, 24 runs (full); N = 200, 8 runs (quick)."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 3032)
    full = mode == "full"
    base = {"grid": {"rule": RULES, "t": [2.0, 12.0]},
            "fixed": {"nu": 2.0, "k": 0.5, "n_weights": 1000 if full else 200,
                      "n_runs": 24 if full else 8, "dt": 0.002}}  # fmt: skip
    grid, fixed = apply_overrides(base["grid"], base["fixed"], overrides)
    return Sweep(CHAPTER, "network", network_point, grid, fixed, seed, _DEPENDS,
                 "Teacher-student MF model, all N weights: pooled-histogram entropy")  # fmt: skip


def gamma(mode: str = "full", **overrides: Any) -> Sweep:
    """Sample-by-sample process, gamma = 1 ... 64 (full; 1 ... 16 quick), N = 500, t = 4."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 3033)
    full = mode == "full"
    gammas = [1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0] if full else [1.0, 4.0, 16.0]
    base = {"grid": {"rule": RULES, "gamma": gammas},
            "fixed": {"nu": 2.0, "k": 0.5, "t": 4.0, "n_weights": 500 if full else 200,
                      "n_runs": 150 if full else 40}}  # fmt: skip
    grid, fixed = apply_overrides(base["grid"], base["fixed"], overrides)
    return Sweep(CHAPTER, "gamma", gamma_point, grid, fixed, seed, _DEPENDS,
                 "Sample-by-sample learning at sample rate gamma N: convergence to MF")  # fmt: skip
