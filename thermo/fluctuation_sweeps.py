"""Published sweep of chapter 4 (integral fluctuation theorem for learning).

* ``04-fluctuation-theorem/perceptron-ift``: the Langevin Hebbian perceptron (N = 10,
  P = 5, quenched inputs from ``xi_seed``, random labels, equilibrium start) at several
  learning times ``tau``: the IFT average ``<e^{-Sigma}>`` (generalised and plain), Var Sigma,
  the mean entropy change, heat and information with standard errors, the training error,
  and the exact heat, label information and training error for comparison.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from thermo._validate import check_choice
from thermo.fluctuation import hebbian_exact, hebbian_ift_samples, hebbian_inputs, ift_estimate
from thermo.stats import mean_se
from thermo.sweep import Sweep, apply_overrides

__all__ = ["TAUS", "ift_point", "perceptron_ift"]

CHAPTER = "04-fluctuation-theorem"
_DEPENDS = ("thermo.fluctuation", "thermo.random", "thermo.stats", "thermo.parallel")
TAUS = (0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)


def ift_point(tau: float, n_runs: int, N: int, P: int, k: float, nu: float, xi_seed: int,
              seed: np.random.SeedSequence) -> dict[str, Any]:  # fmt: skip
    """IFT estimates, Var Sigma, mean cost and information terms, exact references."""
    xi = hebbian_inputs(N, P, xi_seed)  # the same quenched inputs at every tau
    r = hebbian_ift_samples(tau, n_runs, N=N, P=P, k=k, nu=nu, seed=seed, xi=xi)
    gen = ift_estimate(r["sigma"])
    plain = ift_estimate(r["ds"] + r["q"])
    ex = hebbian_exact(tau, xi, k=k, nu=nu)
    out: dict[str, Any] = {
        "ift": gen.value, "ift_se": gen.stderr, "var_sigma": gen.var_sigma,
        "mean_sigma": gen.mean_sigma,
        "ift_plain": plain.value, "ift_plain_se": plain.stderr, "var_plain": plain.var_sigma,
        # heavy-tail diagnostic: the largest single run's share of the sum of e^{-Sigma}
        "max_share": float(np.max(np.exp(-r["sigma"])) / np.sum(np.exp(-r["sigma"]))),
    }  # fmt: skip
    terms = {"ds": r["ds"], "q": r["q"], "i": r["i"], "cost": r["ds"] + r["q"],
             "ds_minus_i": r["ds"] - r["i"], "train_error": r["train_error"]}  # fmt: skip
    for key, arr in terms.items():
        out[key], out[f"{key}_se"] = mean_se(arr)
    out["q_exact"] = ex.heat
    out["info_sum"] = ex.information_sum
    out["train_error_exact"] = ex.train_error
    out["eta"] = ex.information_sum / out["cost"]
    out["eta_se"] = ex.information_sum * out["cost_se"] / out["cost"] ** 2
    return out


def perceptron_ift(mode: str = "full", **overrides: Any) -> Sweep:
    """IFT in the Hebbian perceptron: 2 x 10^5 runs per tau (full), 2 x 10^4 (quick)."""
    check_choice("mode", mode, ("quick", "full"))
    seed = overrides.pop("seed", 2017)
    fixed = {"n_runs": 200_000 if mode == "full" else 20_000, "N": 10, "P": 5, "k": 1.0,
             "nu": 1.0, "xi_seed": 42}  # fmt: skip
    grid = {"tau": list(TAUS) if mode == "full" else [0.1, 1.0, 10.0]}
    grid, fixed = apply_overrides(grid, fixed, overrides)
    return Sweep(CHAPTER, "perceptron-ift", ift_point, grid, fixed, seed, _DEPENDS,
                 "Fluctuation theorem: IFT and bound chain, Hebbian perceptron")  # fmt: skip
