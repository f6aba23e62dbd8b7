"""Chapter 2: Delta S(w_n) from samples -- closed form, Gaussian fit, KL estimate."""

from __future__ import annotations

import numpy as np
import pytest

from thermo.perceptron.weight_entropy import (
    EntropyCheck,
    entropy_change_check,
    hebb_weight_samples,
    toy_weight_samples,
)
from thermo.theory import random_labels as rl


def test_toy_samples_have_the_relaxed_law():
    w0, w1, label = toy_weight_samples(2.0, 20_000, seed=1)
    assert w0.shape == w1.shape == label.shape == (20_000,)
    x = label * w1
    se = 1 / np.sqrt(20_000)
    assert abs(x.mean() - 2.0) < 4 * se
    assert abs(x.var() - 1.0) < 4 * np.sqrt(2) * se
    assert abs(w0.var() - 1.0) < 4 * np.sqrt(2) * se


def test_hebb_samples_variance_and_reproducibility():
    _w0, w1 = hebb_weight_samples(1.0, 2.0, 50_000, n_weights=400, seed=2)
    # P = 400 = N: Var(w) = 1 + nu^2 P/N = 5 exactly
    assert abs(w1.var() / 5.0 - 1) < 4 * np.sqrt(2 / 50_000) * 1.2
    a, b = hebb_weight_samples(1.0, 2.0, 100, seed=3)
    c, d = hebb_weight_samples(1.0, 2.0, 100, seed=3)
    assert np.array_equal(a, c) and np.array_equal(b, d)


@pytest.mark.parametrize(("model", "nu", "alpha"), [("toy", 2.0, 0.0), ("hebb", 2.0, 1.0)])
def test_check_agrees_with_closed_form(model, nu, alpha):
    c = entropy_change_check(model, nu, alpha, n_samples=20_000, n_rep=4, seed=5)
    closed = rl.toy_entropy(nu) if model == "toy" else rl.hebb_entropy(alpha, nu)
    assert c.closed_form == pytest.approx(closed, abs=1e-12)
    kl, kl_se = c.kl_mean_se
    fit, fit_se = c.fit_mean_se
    assert abs(kl - closed) < max(4 * kl_se, 0.02)
    assert abs(fit - closed) < max(4 * fit_se, 0.01)
    assert np.all(np.abs(c.kl_initial_error) < 0.05)
    assert c.kl_sd > 0
    again = entropy_change_check(model, nu, alpha, n_samples=20_000, n_rep=4, seed=5)
    assert np.array_equal(c.kl, again.kl)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"model": "both", "nu": 1.0}, "model must be"),
        ({"model": "toy", "nu": -1.0}, "nu must be"),
        ({"model": "hebb", "nu": 1.0, "alpha": -1.0}, "alpha must be"),
        ({"model": "toy", "nu": 1.0, "n_rep": 1}, "n_rep must be"),
        ({"model": "toy", "nu": 1.0, "n_samples": 5}, "n_samples must be"),
        ({"model": "toy", "nu": 1.0, "k": 0}, "k must be"),
        ({"model": "toy", "nu": 1.0, "dt": -0.1}, "dt must be"),
    ],
)
def test_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        entropy_change_check(**kwargs)


def test_result_validation():
    one = np.zeros(1)
    with pytest.raises(ValueError, match="equal lengths"):
        EntropyCheck("toy", 0.0, 1.0, 10, 1, 0.3, one, one, one)
    with pytest.raises(ValueError, match="model must be"):
        EntropyCheck("x", 0.0, 1.0, 10, 1, 0.3, np.zeros(2), np.zeros(2), np.zeros(2))
