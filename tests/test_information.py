"""Binary entropy, channel information and Gaussian entropies (00 table, rows 6)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from thermo.information import (
    LN2,
    binary_entropy,
    bsc_information,
    gaussian_entropy,
    gaussian_entropy_change,
    gaussian_mutual_information,
)


def test_binary_entropy_special_values():
    assert binary_entropy(0.5) == pytest.approx(np.log(2), abs=1e-15)
    assert binary_entropy(0.0) == 0.0
    assert binary_entropy(1.0) == 0.0
    assert binary_entropy(1e-300) < 1e-295


@given(st.floats(0, 1))
def test_binary_entropy_symmetric_and_bounded(p):
    assert binary_entropy(p) == pytest.approx(binary_entropy(1 - p), abs=1e-12)
    assert -1e-15 <= binary_entropy(p) <= LN2 + 1e-15


@given(st.floats(0, 1))
def test_channel_information_closed_form(p):
    expected = LN2 + (p * np.log(p) if p > 0 else 0) + ((1 - p) * np.log(1 - p) if p < 1 else 0)
    assert bsc_information(p) == pytest.approx(expected, abs=1e-12)


def test_channel_information_limits():
    assert bsc_information(0.5) == pytest.approx(0.0, abs=1e-15)
    assert bsc_information(1.0) == LN2
    assert bsc_information(0.0) == LN2


def test_vectorised():
    p = np.linspace(0, 1, 11)
    assert binary_entropy(p).shape == (11,)
    np.testing.assert_allclose(bsc_information(p), LN2 - binary_entropy(p), atol=1e-15)


@pytest.mark.parametrize("bad", [-0.1, 1.1, np.nan])
def test_probability_outside_unit_interval(bad):
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        binary_entropy(bad)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        bsc_information(bad)


def test_gaussian_entropies():
    assert gaussian_entropy(1.0) == pytest.approx(0.5 * np.log(2 * np.pi * np.e))
    assert gaussian_entropy_change(1.0, np.e**2) == pytest.approx(1.0)
    assert gaussian_mutual_information(0.0) == 0.0
    assert gaussian_mutual_information(0.6) == pytest.approx(-0.5 * np.log(0.64))
    with pytest.raises(ValueError, match="variance"):
        gaussian_entropy(0.0)
    with pytest.raises(ValueError, match="rho"):
        gaussian_mutual_information(1.5)
