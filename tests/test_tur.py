"""Thermodynamic uncertainty relation (chapter 5): closed forms, exact numerics, Monte Carlo."""

from __future__ import annotations

import numpy as np
import pytest

from thermo.theory.tur import biased_walk_quality, tracking_closed_form
from thermo.tur import (
    block_variance,
    information_weight,
    linear_current_finite_time,
    linear_current_statistics,
    ring_rates,
    simulate_linear_current,
    tilted_generator_statistics,
    tracking_matrices,
    tracking_model,
)

FIELDS = ("sigma", "l_w", "D_I", "Q_TUR", "sigma_w", "Q_part", "I_ss")


def _random_params(n, seed=7):
    rng = np.random.default_rng(seed)
    g, k, DB, Dw = np.exp(rng.uniform(-2.5, 2.5, (4, n)))
    kappa = rng.choice([-1, 1], n) * np.exp(rng.uniform(-3, 3, n))
    return zip(g, kappa, k, DB, Dw, strict=True)


def test_closed_forms_match_numerics_on_random_parameters():
    worst = 0.0
    for p in _random_params(200):
        c = tracking_model(*p)
        n = tracking_model(*p, method="numeric")
        for f in FIELDS:
            worst = max(worst, abs(getattr(n, f) / getattr(c, f) - 1))
        np.testing.assert_allclose(n.covariance, c.covariance, rtol=1e-10)
        assert c.Q_TUR >= 2.0
    assert worst < 1e-10


def test_example_values():
    m = tracking_model(1.0, 3.0, 2.0)
    assert (m.sigma, m.l_w, 2 * m.D_I, m.Q_TUR) == pytest.approx((3.0, 1.0, 4 / 3, 4.0), rel=1e-12)
    assert m.I_ss == pytest.approx(0.5 * np.log(2.0), rel=1e-12)
    assert tracking_model(1.0, 0.1, 2.0).Q_TUR == pytest.approx(2.002, abs=5e-4)
    assert tracking_model(0.1, 0.1, 2.0).Q_part == pytest.approx(0.0998, abs=1e-4)
    assert tracking_model(0.1, 0.1, 0.5).Q_part == pytest.approx(0.3889, abs=1e-4)


def test_identities():
    for g, ka, k, DB, Dw in _random_params(50, seed=3):
        m = tracking_model(g, ka, k, DB, Dw)
        assert m.eta * m.Q_TUR / 2 == pytest.approx(k / (k + g), rel=1e-12)
        assert m.reliability * m.l_w**2 == pytest.approx(
            m.sigma / (2 * (1 + m.sigma / (k + g))), rel=1e-12
        )
        # sigma_tot equals the student's heat flow: current int (-k w + kappa B) o dw / D_w
        A, D = tracking_matrices(g, ka, k, DB, Dw)
        heat = linear_current_statistics(A, D, np.array([[0, ka], [0, -k]]) / Dw)
        assert heat.mean == pytest.approx(m.sigma, rel=1e-10)
        assert heat.Q_TUR == pytest.approx(m.Q_TUR, rel=1e-9)


def test_drifted_diffusion_and_biased_walk():
    for f in (1.0, 10.0):
        s = tilted_generator_statistics(*ring_rates(300, 0.0, f))
        assert s.Q_TUR == pytest.approx(biased_walk_quality(np.exp(f / 300)), rel=1e-8)
        assert abs(s.Q_TUR - 2) < 1e-3
    for r in (1.01, 2.0, 10.0, 100.0):
        W = np.array([[0, r, 1.0], [1.0, 0, r], [r, 1.0, 0]])
        d = np.array([[0, 1, -1], [-1, 0, 1], [1, -1, 0]], dtype=float)
        s = tilted_generator_statistics(W, d)
        a = np.log(r)
        assert s.mean == pytest.approx(r - 1, rel=1e-10)
        assert s.D_J == pytest.approx((r + 1) / 2, rel=1e-10)
        assert s.Q_TUR == pytest.approx(a / np.tanh(a / 2), rel=1e-8)
    assert biased_walk_quality(2.0) == pytest.approx(2.0794, abs=1e-4)


def test_ring_values_and_convergence():
    for V0, f, ref in ((2, 1, 2.14), (2, 5, 4.23), (2, 15, 4.59)):
        q = tilted_generator_statistics(*ring_rates(300, V0, f)).Q_TUR
        q2 = tilted_generator_statistics(*ring_rates(600, V0, f)).Q_TUR
        assert q == pytest.approx(ref, abs=0.01)
        assert abs(q2 - q) < 0.01
        assert q >= 2


def test_finite_time_exact_mean_and_long_time_limit():
    A, D = tracking_matrices(1.0, 3.0, 2.0)
    m = tracking_model(1.0, 3.0, 2.0)
    M = information_weight(m.covariance)
    t = np.array([0.1, 1.0, 100.0])
    mean, var = linear_current_finite_time(A, D, M, t)
    np.testing.assert_allclose(mean, m.l_w * t, rtol=1e-9)
    assert var[-1] / t[-1] == pytest.approx(2 * m.D_I, rel=2e-3)
    assert np.all(var * m.sigma * t / mean**2 >= 2)


def test_monte_carlo_within_error_and_reproducible():
    A, D = tracking_matrices(1.0, 3.0, 2.0)
    m = tracking_model(1.0, 3.0, 2.0)
    M = information_weight(m.covariance)
    kw = dict(duration=1.0, n_traj=600, dt=2e-3, record_every=100, seed=11)
    mc = simulate_linear_current(A, D, M, **kw)
    mean, var = linear_current_finite_time(A, D, M, mc.times)
    se_mean = np.sqrt(mc.var / mc.J.shape[1])
    assert np.all(np.abs(mc.mean - mean) < 4 * se_mean + 0.01 * mean)
    assert np.all(np.abs(mc.var - var) < 4 * var * np.sqrt(2 / mc.J.shape[1]))
    again = simulate_linear_current(A, D, M, **kw)
    np.testing.assert_array_equal(mc.J, again.J)
    est, se, nb = block_variance(mc.J[:, 0], mc.times, 0.2)
    assert nb == 5 and se > 0 and est > 0


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((-1.0, 1.0, 1.0), "gamma"),
        ((1.0, 1.0, 0.0), "k"),
        ((1.0, 0.0, 1.0), "kappa"),
        ((1.0, 1.0, 1.0, 0.0), "D_B"),
        ((1.0, 1.0, 1.0, 1.0, -1.0), "D_w"),
    ],
)
def test_bad_tracking_inputs(args, name):
    with pytest.raises(ValueError, match=name):
        tracking_model(*args)
    with pytest.raises(ValueError, match=name):
        tracking_closed_form(*args)


def test_bad_linear_and_jump_inputs():
    A = -np.eye(2)
    with pytest.raises(ValueError, match="D"):
        linear_current_statistics(A, np.diag([1.0, 0.0]), np.eye(2))
    with pytest.raises(ValueError, match="stable"):
        linear_current_statistics(np.eye(2), np.eye(2), np.eye(2))
    d = np.array([[0, 1.0], [-1.0, 0]])
    with pytest.raises(ValueError, match="rates"):
        tilted_generator_statistics(np.array([[0, -1.0], [1.0, 0]]), d)
    with pytest.raises(ValueError, match="reverse"):
        tilted_generator_statistics(np.array([[0, 1.0], [0.0, 0]]), d)
    with pytest.raises(ValueError, match="antisymmetric"):
        tilted_generator_statistics(np.array([[0, 1.0], [1.0, 0]]), np.ones((2, 2)))
    with pytest.raises(ValueError, match="method"):
        tracking_model(1, 1, 1, method="bogus")
    with pytest.raises(ValueError, match="seed"):
        simulate_linear_current(A, np.eye(2), np.eye(2), 0.1, 4, dt=0.01, seed=-1)


def test_scheme_mean_rate_tends_to_continuum_at_first_order():
    from thermo.tur import (
        information_weight,
        linear_current_statistics,
        scheme_mean_rate,
        tracking_matrices,
        tracking_model,
    )

    A, D = tracking_matrices(1.0, 3.0, 2.0)
    M = information_weight(tracking_model(1.0, 3.0, 2.0).covariance)
    j = linear_current_statistics(A, D, M).mean
    e1 = scheme_mean_rate(A, D, M, 1e-3) - j
    e2 = scheme_mean_rate(A, D, M, 5e-4) - j
    assert abs(e1) < 1e-2 * abs(j)
    assert abs(e1 / e2 - 2.0) < 0.01  # first order in dt
    with pytest.raises(ValueError):
        scheme_mean_rate(A, D, M, 0.0)
