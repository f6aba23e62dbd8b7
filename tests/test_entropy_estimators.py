"""Kozachenko-Leonenko entropy estimator against exact Gaussian and uniform entropies."""

from __future__ import annotations

import numpy as np
import pytest

from thermo.entropy_estimators import kl_entropy, kl_entropy_change, log_unit_ball_volume
from thermo.information import gaussian_entropy

H_GAUSS_1D = float(gaussian_entropy(1.0))  # (1/2) ln(2 pi e)


def test_unit_ball_volumes():
    assert log_unit_ball_volume(1) == pytest.approx(np.log(2.0), abs=1e-15)
    assert log_unit_ball_volume(2) == pytest.approx(np.log(np.pi), abs=1e-15)
    assert log_unit_ball_volume(3) == pytest.approx(np.log(4 * np.pi / 3), abs=1e-14)


def test_exact_scale_and_shift_covariance():
    # distances scale with a, so H(a x + b) = H(x) + d ln|a| holds to rounding for any sample
    x = np.random.default_rng(0).standard_normal((500, 2))
    h = kl_entropy(x, 3)
    assert kl_entropy(2.5 * x + 7.0, 3) == pytest.approx(h + 2 * np.log(2.5), abs=1e-12)
    y = np.random.default_rng(1).standard_normal(400)
    assert kl_entropy(y) == pytest.approx(kl_entropy(y[:, None]), abs=1e-15)


def _repeat(draw, exact, k, n, reps, seed):
    rng = np.random.default_rng(seed)
    err = np.array([kl_entropy(draw(rng, n), k) - exact for _ in range(reps)])
    return err.mean(), err.std(ddof=1) / np.sqrt(reps), err.std(ddof=1) * np.sqrt(n)


COV3 = np.array([[1.0, 0.5, 0.2], [0.5, 2.0, -0.3], [0.2, -0.3, 0.7]])
CASES = {  # name: (sampler, exact entropy in nats)
    "gauss-1d": (lambda r, n: r.standard_normal(n), H_GAUSS_1D),
    "gauss-3d": (
        lambda r, n: r.multivariate_normal(np.zeros(3), COV3, n),
        0.5 * np.log((2 * np.pi * np.e) ** 3 * np.linalg.det(COV3)),
    ),
    "uniform-1d": (lambda r, n: 3.0 * r.random(n), np.log(3.0)),
    "uniform-2d": (lambda r, n: r.random((n, 2)) * [1.0, 0.5], np.log(0.5)),
}


@pytest.mark.parametrize("name", ["gauss-1d", "uniform-1d"])
@pytest.mark.parametrize("k", [1, 4])
def test_bias_and_variance_1d_at_n_2000(name, k):
    # 150 independent samples of n = 2000: in one dimension the mean error (bias) is
    # consistent with zero (4 SE, or 2e-3 nats) and the spread is sqrt(c/n) with c of order 1
    draw, exact = CASES[name]
    bias, se, spread = _repeat(draw, exact, k, 2000, 150, seed=[k, len(name)])
    assert abs(bias) < max(4 * se, 2e-3), (bias, se)
    assert 0.2 < spread < 2.0, spread


@pytest.mark.parametrize("name", ["gauss-3d", "uniform-2d"])
@pytest.mark.parametrize("k", [1, 4])
def test_bias_in_higher_dimensions_shrinks_with_n(name, k):
    # in d >= 2 the bias is visible at these sizes (it falls roughly like n^(-2/d) for smooth
    # densities, n^(-1/d) with a boundary, and grows with k): below 0.05 nats at n = 2000,
    # and at least 1.5 times smaller at n = 20000
    draw, exact = CASES[name]
    b_small, se_small, spread = _repeat(draw, exact, k, 2000, 100, seed=[k, len(name), 1])
    b_large, se_large, _ = _repeat(draw, exact, k, 20_000, 30, seed=[k, len(name), 2])
    assert abs(b_small) < 0.05
    assert abs(b_large) + 2 * se_large < abs(b_small) / 1.5 + 2 * se_small, (b_small, b_large)
    assert 0.2 < spread < 3.0, spread


@pytest.mark.parametrize("k", [1, 4])
def test_close_to_closed_form_at_n_1e5(k):
    # at n = 1e5 one estimate has standard deviation ~1.7/sqrt(n) = 0.0054 (k = 1) and
    # ~1.0/sqrt(n) = 0.0031 (k = 4); tolerance 0.02 nats (> 3.5 sd), bias << tolerance
    rng = np.random.default_rng(2017 + k)
    n = 100_000
    assert kl_entropy(rng.standard_normal(n), k) == pytest.approx(H_GAUSS_1D, abs=0.02)
    # the symmetric Gaussian mixture of chapter 2 (nu = 2): entropy change from N(0, 1)
    from thermo.theory.random_labels import toy_entropy

    w0 = rng.standard_normal(n)
    w1 = 2.0 * np.where(rng.random(n) < 0.5, -1.0, 1.0) + rng.standard_normal(n)
    assert kl_entropy_change(w0, w1, k) == pytest.approx(toy_entropy(2.0), abs=0.02)


def test_ties_raise_or_jitter_reproducibly():
    x = np.repeat(np.random.default_rng(3).standard_normal(1000), 2)
    with pytest.raises(ValueError, match="zero distance"):
        kl_entropy(x)
    h1 = kl_entropy(x, 1, ties="jitter", seed=5)
    assert h1 == kl_entropy(x, 1, ties="jitter", seed=5)
    assert np.isfinite(h1)
    # jitter is only used when needed: a tie-free sample is untouched
    y = np.random.default_rng(4).standard_normal(1000)
    assert kl_entropy(y, 2, ties="jitter", seed=1) == kl_entropy(y, 2)


@pytest.mark.parametrize(
    ("args", "kwargs", "match"),
    [
        ((np.zeros((3, 2, 2)),), {}, "shape"),
        ((np.array([0.0, np.nan, 1.0]),), {}, "finite"),
        ((np.array([1.0]),), {}, "at least 2"),
        ((np.arange(5.0), 5), {}, "k must be"),
        ((np.arange(5.0), 0), {}, "k must be"),
        ((np.arange(5.0),), {"ties": "drop"}, "ties must be"),
        ((np.arange(5.0),), {"jitter": 0.0}, "jitter must be"),
    ],
)
def test_validation(args, kwargs, match):
    with pytest.raises(ValueError, match=match):
        kl_entropy(*args, **kwargs)
