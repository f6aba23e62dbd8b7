"""The claims ledger: judging, storing, loading."""

from __future__ import annotations

import json

import pytest

from thermo import claims


def test_criteria(tmp_path):
    led = claims.ledger("99-test", "quick", tmp_path)
    assert led.record("a", "within", value=1.02, se=0.01, theory=1.0, tolerance=3).passed
    assert not led.record("b", "outside", value=1.05, se=0.01, theory=1.0, tolerance=3).passed
    assert led.record("c", "abs", value=0.5, theory=0.49, tolerance=0.02, criterion="abs").passed
    assert led.record("d", "rel", value=101, theory=100, tolerance=0.02, criterion="rel").passed
    assert led.record("e", "upper", value=0.99, theory=1.0, tolerance=0, criterion="upper").passed
    assert not led.record(
        "f", "lower", value=0.9, theory=1.0, tolerance=0, criterion="lower"
    ).passed
    assert led.record("g", "true", value=True, criterion="true").passed
    assert not led.record("h", "nan fails", value=float("nan"), se=1, theory=0).passed
    assert [c.id for c in led.failed] == ["b", "f", "h"]
    data = json.loads((tmp_path / "99-test.json").read_text())
    assert len(data["claims"]) == 8
    loaded = claims.load_all(tmp_path)
    assert loaded[1].deviation == pytest.approx(5.0)


def test_bad_usage(tmp_path):
    led = claims.ledger("99-test", "quick", tmp_path)
    led.record("a", "x", value=1, se=1, theory=1)
    with pytest.raises(ValueError, match="already"):
        led.record("a", "x", value=1, se=1, theory=1)
    with pytest.raises(ValueError, match="criterion"):
        led.record("b", "x", value=1, theory=1, criterion="close")
    with pytest.raises(ValueError, match="se"):
        led.record("c", "x", value=1, theory=1)


def test_malformed_ledger_names_the_file(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match=r"bad\.json"):
        claims.load_all(tmp_path)
