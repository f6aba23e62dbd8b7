"""Tests of thermo.perceptron.bookkeeping: failing bookkeepings and ramps (chapter 3)."""

import numpy as np
import pytest

from thermo.perceptron import bookkeeping as bk
from thermo.perceptron.teacher import simulate_mean_field, summarize_runs
from thermo.theory import teacher as th


@pytest.mark.parametrize(("rule", "expected"), [("hebb", -0.36), ("perceptron", -0.23)])
def test_coarse_grained_bookkeeping_breaks_bound(rule, expected):
    # physics note 03, section 3(c): gamma = 1, k = nu = 3, t <= 30/k
    m = bk.coarse_grained_margin(rule, 3.0, 3.0, np.linspace(0, 10, 2001), gamma=1.0)
    assert m.margin[0] == pytest.approx(0.0, abs=1e-12)
    assert m.margin.min() == pytest.approx(expected, abs=5e-3)
    np.testing.assert_allclose(m.margin, m.cost - m.information)


def test_coarse_grained_margin_vanishes_as_gamma_grows():
    t = np.linspace(0, 10, 501)
    lo = [bk.coarse_grained_margin("hebb", 3.0, 3.0, t, gamma=g).margin.min() for g in (1.0, 4.0)]
    assert lo[0] < -0.3
    assert lo[1] >= -1e-10


def test_coarse_grained_margin_validation():
    with pytest.raises(ValueError, match="gamma"):
        bk.coarse_grained_margin("hebb", 1.0, 1.0, [1.0], gamma=np.inf)
    with pytest.raises(ValueError, match="gamma"):
        bk.coarse_grained_margin("hebb", 1.0, 1.0, [1.0], gamma=0.0)


def test_literal_heat_prediction():
    # physics note 03, section 3(a): 398.6 at N = 200, nu = 1, k = 1/2, t = 2
    assert bk.literal_heat(1.0, 0.5, [2.0], 200)[0] == pytest.approx(398.6, abs=0.05)
    # the leading term nu**2 N t dominates and scales with N
    h = bk.literal_heat(1.0, 0.5, [2.0], 2000)[0]
    assert h / (2000 * 2.0) == pytest.approx(1.0, abs=1e-3)


def test_literal_simulation_matches_prediction():
    r = bk.simulate_literal("hebb", 1.0, 0.5, [1.0, 2.0], 200, 48, seed=5)
    assert r.heat.shape == (48, 2)
    pred = bk.literal_heat(1.0, 0.5, r.t, 200)
    se = r.heat.std(axis=0, ddof=1) / np.sqrt(48)
    assert np.all(np.abs(r.heat.mean(axis=0) - pred) < 4 * se)
    op = th.order_parameters("hebb", 1.0, 0.5, r.t, gamma=1.0)
    s = summarize_runs(r)
    assert abs(s["Q"] - op.Q[-1]) < 4 * s["Q_se"]


def test_literal_reproducible_across_threads():
    a = bk.simulate_literal("perceptron", 1.0, 0.5, [0.5], 50, 20, seed=7, threads=1)
    b = bk.simulate_literal("perceptron", 1.0, 0.5, [0.5], 50, 20, seed=7, threads=2)
    np.testing.assert_array_equal(a.heat, b.heat)
    np.testing.assert_array_equal(a.R, b.R)


def test_literal_validation():
    with pytest.raises(ValueError, match="gamma"):
        bk.simulate_literal("hebb", 1.0, 0.5, [1.0], 50, 2, gamma=-1.0)
    with pytest.raises(ValueError, match="rule"):
        bk.simulate_literal("oja", 1.0, 0.5, [1.0], 50, 2)


def test_ramp_starts_from_zero_learning_rate():
    # under a ramp the force starts at zero: early on R grows far less than after a sudden switch
    a = simulate_mean_field("hebb", 1.0, 0.5, [0.2], 1000, 64, tau=10.0, seed=3)
    b = simulate_mean_field("hebb", 1.0, 0.5, [0.2], 1000, 64, seed=3)
    assert a.R.mean() < 0.2 * b.R.mean()


def test_ramp_matches_ode():
    t = [2.0, 5.0, 8.0]
    r = simulate_mean_field("hebb", 1.0, 0.5, t, 1000, 64, tau=5.0, seed=11, threads=2)
    op = th.order_parameters("hebb", 1.0, 0.5, t, tau=5.0)
    for i in range(len(t)):
        s = summarize_runs(r, i)
        for key in ("R", "Q", "heat"):
            assert abs(s[key] - getattr(op, key)[i]) < 4 * s[key + "_se"], (key, i)


def test_ramp_validation():
    with pytest.raises(ValueError, match="tau"):
        simulate_mean_field("hebb", 1.0, 0.5, [1.0], 100, 2, tau=-1.0)
    with pytest.raises(ValueError, match="tau"):
        simulate_mean_field("hebb", 1.0, 0.5, [1.0], 100, 2, tau=1.0, method="network")
