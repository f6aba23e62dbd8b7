import numpy as np
import pytest

from thermo.fluctuation import hebbian_conditional, ift_estimate, ift_gaussian_exact


def test_gaussian_log_ratio_is_exactly_one():
    # Sigma = ln p(z)/p~(z) with p = N(0,1), p~ = N(mu, s^2): <e^{-Sigma}> = 1 exactly.
    mu, s = 0.3, 1.4
    # Sigma = -z^2/2 + (z-mu)^2/(2 s^2) + ln s
    H = np.array([[-0.5 + 0.5 / s**2]])
    h = np.array([-mu / s**2])
    c = mu**2 / (2 * s**2) + np.log(s)
    assert abs(ift_gaussian_exact(H, h, c) - 1.0) < 1e-12


def test_gaussian_exact_matches_monte_carlo():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(3, 3)) * 0.1
    H = (A + A.T) / 2
    h = rng.normal(size=3) * 0.2
    z = rng.normal(size=(200000, 3))
    sig = np.einsum("ni,ij,nj->n", z, H, z) + z @ h + 0.1
    est = ift_estimate(sig)
    assert abs(est.value - ift_gaussian_exact(H, h, 0.1)) < 4 * est.stderr


def test_divergent_case_returns_inf():
    assert ift_gaussian_exact([[-0.6]], [0.0]) == float("inf")


def test_hebbian_conditional_equilibrium_variance():
    m, _decay, c = hebbian_conditional([0.0, 1.0, 10.0], k=1.0, nu=0.7, T=1.0)
    assert np.allclose(c, 1.0)
    assert np.isclose(m[-1], 0.7 * (1 - np.exp(-10)))


@pytest.mark.parametrize("kw", [{"k": 0.0}, {"nu": -1.0}, {"T": 0.0}, {"c0": -1.0}])
def test_hebbian_bad_inputs(kw):
    with pytest.raises(ValueError):
        hebbian_conditional(1.0, **kw)


def test_bad_inputs():
    with pytest.raises(ValueError):
        ift_gaussian_exact([[1.0, 2.0], [0.0, 1.0]], [0.0, 0.0])
    with pytest.raises(ValueError):
        ift_gaussian_exact([[1.0]], [0.0, 1.0])
    with pytest.raises(ValueError):
        ift_estimate([1.0])
    with pytest.raises(ValueError):
        ift_estimate([1.0, np.nan])


def test_gaussian_model_note_values():
    from thermo.fluctuation import GaussianLearningModel as G

    for a in (0.0, 0.2, 0.8):
        assert abs(G(a=a).ift("generalised") - 1.0) < 1e-10
    assert abs(G(a=0.0).ift("plain") - 1.0) < 1e-10
    assert abs(G(a=0.2).ift("no_transfer") - 0.787) < 1e-3
    assert abs(G(a=0.2).ift("plain") - 0.807) < 1e-3
    assert abs(G(a=0.8).ift("no_transfer") - 0.451) < 1e-3
    assert abs(G(a=0.8).ift("plain") - 0.451) < 1e-3
    m = G(a=0.0).means()
    assert m["cost"] >= m["I_wD"] >= m["I_wB"] >= 0
    assert abs(m["cost"] - 0.585) < 1e-3
    assert abs(m["I_wD"] - 0.166) < 1e-3
    assert abs(m["I_wB"] - 0.152) < 1e-3
    with pytest.raises(ValueError):
        G(dt=0.0)
    with pytest.raises(ValueError):
        G().sigma([0.0] * 10, "bogus")


def test_hebbian_ift_monte_carlo():
    from thermo.fluctuation import hebbian_ift_samples

    for tau in (0.1, 1.0):
        r = hebbian_ift_samples(tau, 20000, seed=7)
        est = ift_estimate(r["sigma"])
        assert abs(est.value - 1.0) < 4 * est.stderr
        cost = np.mean(r["ds"] + r["q"])
        assert cost >= np.mean(r["i"]) >= 0
    with pytest.raises(ValueError):
        hebbian_ift_samples(-1.0, 100)
    with pytest.raises(ValueError):
        hebbian_ift_samples(1.0, 100, P=20)
