"""A ledger of every quantitative claim the book makes.

Each chapter opens a :class:`Ledger` and records each claim as it is computed:
the statement, the theory value, the simulated value with its standard error,
the tolerance and whether it passed. The ledger is written (atomically, after
every record) to ``<claims dir>/<chapter>.json`` (:func:`thermo.provenance.claims_dir`);
the book's "Claims" page collects all ledgers into one table, and the test suite
fails if any recorded claim failed.

Criteria
--------
``"sigma"``  ``|value - theory| <= tolerance * se``      (tolerance in standard errors)
``"abs"``    ``|value - theory| <= tolerance``
``"rel"``    ``|value - theory| <= tolerance * |theory|``
``"upper"``  ``value <= theory + tolerance``              (a bound from above, e.g. eta <= 1)
``"lower"``  ``value >= theory - tolerance``              (a bound from below)
``"true"``   ``value`` is a boolean (or 0/1) that must be true, e.g. "at every point of a sweep"
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from thermo._validate import check_choice
from thermo.provenance import claims_dir

__all__ = ["CRITERIA", "Claim", "Ledger", "ledger", "load_all"]

CRITERIA = ("sigma", "abs", "rel", "upper", "lower", "true")


@dataclass(frozen=True)
class Claim:
    """One recorded claim. ``deviation`` is in standard errors for ``"sigma"``, else absolute."""

    chapter: str
    id: str
    statement: str
    value: float
    theory: float | None
    se: float | None
    criterion: str
    tolerance: float
    deviation: float
    passed: bool
    anchor: str | None
    mode: str

    def describe(self) -> str:
        """One line: value, theory, deviation and verdict."""
        val = f"{self.value:.6g}" + (f" ± {self.se:.2g}" if self.se else "")
        ref = "" if self.theory is None else f" vs {self.theory:.6g}"
        verdict = "PASS" if self.passed else "FAIL"
        return f"[{verdict}] {self.id}: {val}{ref} ({self.criterion}, tol {self.tolerance:g})"


def _judge(value: float, theory: float | None, se: float | None, criterion: str,
           tolerance: float) -> tuple[float, bool]:  # fmt: skip
    if criterion == "true":
        return 0.0, bool(value)
    if theory is None:
        raise ValueError(f"criterion {criterion!r} needs a theory value")
    diff = value - theory
    if criterion == "sigma":
        if se is None or not se > 0:
            raise ValueError("criterion 'sigma' needs a positive standard error se")
        dev = diff / se
        return dev, abs(dev) <= tolerance
    if criterion == "abs":
        return diff, abs(diff) <= tolerance
    if criterion == "rel":
        return diff, abs(diff) <= tolerance * abs(theory)
    if criterion == "upper":
        return diff, value <= theory + tolerance
    return diff, value >= theory - tolerance  # "lower"


class Ledger:
    """Claims of one chapter, written to ``<directory>/<chapter>.json``.

    Parameters
    ----------
    chapter : str
        Chapter document name, e.g. ``"01-landauer"``.
    mode : str
        ``"quick"`` or ``"full"`` (recorded with every claim).
    directory : path, optional
        Defaults to :func:`thermo.provenance.claims_dir`.
    """

    def __init__(self, chapter: str, mode: str, directory: str | Path | None = None) -> None:
        self.chapter = chapter
        self.mode = mode
        self.path = Path(directory or claims_dir()) / f"{chapter}.json"
        self.claims: list[Claim] = []
        self._save()

    def record(
        self,
        id: str,
        statement: str,
        *,
        value: float | bool,
        theory: float | None = None,
        se: float | None = None,
        tolerance: float = 3.0,
        criterion: str = "sigma",
        anchor: str | None = None,
    ) -> Claim:
        """Judge and store a claim; returns it (it does not raise if the claim fails).

        Parameters
        ----------
        id : str
            Unique within the chapter (e.g. ``"jarzynski"``).
        statement : str
            What is claimed, in words (Markdown and ``$math$`` allowed).
        value : float or bool
            The computed (usually simulated) value.
        theory : float, optional
            The reference value (theory, bound or identity).
        se : float, optional
            Standard error of ``value``.
        tolerance : float
            See the module docstring for its meaning under each criterion.
        criterion : {"sigma", "abs", "rel", "upper", "lower", "true"}
        anchor : str, optional
            Figure or section label the claim belongs to (for links back).
        """
        check_choice("criterion", criterion, CRITERIA)
        if any(c.id == id for c in self.claims):
            raise ValueError(f"claim id {id!r} is already recorded in chapter {self.chapter!r}")
        value_f = float(value)
        if criterion != "true" and not math.isfinite(value_f):
            deviation, passed = float("nan"), False
        else:
            deviation, passed = _judge(
                value_f, None if theory is None else float(theory),
                None if se is None else float(se), criterion, float(tolerance),
            )  # fmt: skip
        claim = Claim(
            chapter=self.chapter, id=id, statement=statement, value=value_f,
            theory=None if theory is None else float(theory),
            se=None if se is None else float(se), criterion=criterion,
            tolerance=float(tolerance), deviation=float(deviation), passed=bool(passed),
            anchor=anchor, mode=self.mode,
        )  # fmt: skip
        self.claims.append(claim)
        self._save()
        return claim

    @property
    def failed(self) -> list[Claim]:
        """Claims that did not pass."""
        return [c for c in self.claims if not c.passed]

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"chapter": self.chapter, "mode": self.mode,
                   "claims": [asdict(c) for c in self.claims]}  # fmt: skip
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.chapter}.", suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            json.dump(payload, fh, indent=1, allow_nan=True)
        os.replace(tmp, self.path)

    def _repr_markdown_(self) -> str:
        rows = ["| claim | value | reference | criterion | result |", "|---|---|---|---|---|"]
        for c in self.claims:
            val = f"{c.value:.5g}" + (f" ± {c.se:.2g}" if c.se else "")
            ref = "—" if c.theory is None else f"{c.theory:.5g}"
            crit = {"sigma": f"within {c.tolerance:g} SE ({c.deviation:+.2f} SE)",
                    "abs": f"within {c.tolerance:g}", "rel": f"within {c.tolerance:.0e} rel.",
                    "upper": "≤ reference", "lower": "≥ reference",
                    "true": "holds"}[c.criterion]  # fmt: skip
            rows.append(
                f"| {c.statement} | {val} | {ref} | {crit} | {'pass' if c.passed else '**FAIL**'} |"
            )
        return "\n".join(rows)


def ledger(chapter: str, mode: str, directory: str | Path | None = None) -> Ledger:
    """Open (and reset) the ledger of ``chapter``."""
    return Ledger(chapter, mode, directory)


def load_all(directory: str | Path | None = None) -> list[Claim]:
    """All claims in ``directory`` (default :func:`claims_dir`), sorted by chapter.

    Raises
    ------
    ValueError
        If a ledger file is malformed (names the file).
    """
    root = Path(directory or claims_dir())
    out: list[Claim] = []
    for path in sorted(root.glob("*.json")):
        try:
            payload: dict[str, Any] = json.loads(path.read_text())
            out.extend(Claim(**c) for c in payload["claims"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"malformed claims ledger {path}: {exc}") from exc
    return out
