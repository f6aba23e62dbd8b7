"""Exact results of the dragged trap and the Gaussian theory of the discrete chain."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thermo.theory import drag


def test_mean_work_limits():
    v, k = 0.7, 2.0
    t = np.array([1e-6, 50.0])
    w = drag.mean_work(t, v, k)
    assert w[0] == pytest.approx(0.5 * k * v**2 * t[0] ** 2, rel=1e-5)  # early: ballistic lag
    assert w[1] == pytest.approx(v**2 * (t[1] - 1 / k), rel=1e-12)  # late: friction v^2 per time


def test_mean_heat_is_work_minus_potential_energy():
    t = np.linspace(0, 5, 11)
    lag = drag.mean_lag(t, 0.5, 1.5)
    np.testing.assert_allclose(drag.mean_work(t, 0.5, 1.5) - drag.mean_heat(t, 0.5, 1.5),
                               0.75 * lag**2, rtol=1e-13)  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(
    kappa=st.floats(0.2, 5), dt=st.floats(0.01, 0.5), n=st.integers(1, 40),
    seed=st.integers(0, 2**31),
)  # fmt: skip
def test_exact_step_chain_satisfies_jarzynski_exactly(kappa, dt, n, seed):
    """With the Boltzmann-preserving step, <exp(-W)> = 1 for ANY protocol (Delta F = 0)."""
    centres = np.random.default_rng(seed).normal(size=n + 1).cumsum()
    assert drag.chain_work_moments(centres, kappa, dt, "exact").jarzynski == pytest.approx(
        1, abs=1e-10
    )


def test_euler_chain_value_at_the_conventions_test_case():
    """Trap 0 -> 1 in 5 steps of dt = 0.3 (note 00 section 4): exact chain value."""
    cw = drag.chain_work_moments(np.linspace(0, 1, 6), 1.0, 0.3, "euler")
    assert cw.jarzynski == pytest.approx(1.0275568, abs=1e-7)


def test_chain_moments_against_brute_force_monte_carlo():
    rng = np.random.default_rng(0)
    lam, kappa, dt, M = np.linspace(0, 1, 6), 1.0, 0.3, 400_000
    x = rng.normal(0, 1 / np.sqrt(kappa), M)
    W = np.zeros(M)
    for k in range(5):
        W += 0.5 * kappa * ((x - lam[k + 1]) ** 2 - (x - lam[k]) ** 2)
        x = x - kappa * (x - lam[k + 1]) * dt + np.sqrt(2 * dt) * rng.normal(size=M)
    cw = drag.chain_work_moments(lam, kappa, dt, "euler")
    assert W.mean() == pytest.approx(cw.mean, abs=4 * W.std() / np.sqrt(M))
    assert W.var() == pytest.approx(cw.variance, rel=0.01)


def test_chain_converges_to_continuum_as_dt_shrinks():
    v, kappa, T = 0.5, 1.0, 5.0
    errs = []
    for n in (500, 1000, 2000):
        lam = np.linspace(0, v * T, n + 1)
        errs.append(
            abs(drag.chain_work_moments(lam, kappa, T / n).mean - drag.mean_work(T, v, kappa))
        )
    assert errs[0] > errs[1] > errs[2]
    assert errs[0] / errs[1] == pytest.approx(2, rel=0.1)


def test_euler_stationary_variance():
    assert drag.euler_stationary_variance(1.0, 0.1) == pytest.approx(1 / 0.95)
    with pytest.raises(ValueError, match="kappa"):
        drag.euler_stationary_variance(1.0, 2.0)
    with pytest.raises(ValueError, match="method"):
        drag.chain_work_moments([0, 1], 1.0, 0.1, "midpoint")
