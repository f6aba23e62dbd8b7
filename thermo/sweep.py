"""Parameter sweeps with per-point seeds, provenance, atomic storage and resumption.

A :class:`Sweep` evaluates a function at every point of a parameter grid::

    values = func(**point, **fixed, seed=SeedSequence)   # -> {"w_mean": .., "w_mean_se": ..}

* **Seeds.** Point ``i`` (in grid order) gets ``SeedSequence(seed, spawn_key=(i,))``,
  i.e. the ``i``-th child of the sweep's seed, so results do not depend on the order of
  execution, the number of workers or the engine.
* **Engines.** Any :class:`concurrent.futures.Executor` runs the points: the default
  is a local process pool; Dask distributed works through ``Client.get_executor()``.
* **Storage.** ``data/<chapter>/<name>/results.csv`` (one row per point, one column
  per parameter and per measured quantity, standard errors in ``<quantity>_se``
  columns) and ``results.json`` (the sweep's specification, seed, code hash,
  package version, git commit, library versions, wall time, date and the CSV's
  SHA-256). Both are written atomically (temporary file, then rename); completed
  points are appended to a journal while the sweep runs, so an interrupted sweep
  leaves the previous results intact and a rerun computes only the missing points.
* **Reuse.** :meth:`Sweep.load_or_run` loads the stored results if they were made with
  the same specification and the same code (a hash of the relevant modules' source,
  docstrings and comments excluded); otherwise it computes them -- or, when
  ``$THERMO_SWEEP_COMPUTE=never`` (as in ``make test``), raises :class:`StaleDataError`
  with the command that regenerates them.
"""

from __future__ import annotations

import ast
import contextlib
import csv
import hashlib
import importlib.util
import io
import itertools
import json
import math
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from thermo.provenance import data_dir, provenance

__all__ = [
    "CodeMismatchError",
    "DataError",
    "StaleDataError",
    "Sweep",
    "SweepResult",
    "apply_overrides",
    "code_hash",
]

RESULTS_CSV = "results.csv"
RESULTS_JSON = "results.json"
JOURNAL = "journal.jsonl"


class DataError(RuntimeError):
    """Stored sweep data are malformed, truncated or inconsistent (names the file)."""


class StaleDataError(RuntimeError):
    """Stored sweep data are missing or stale and computing them is not allowed."""


class CodeMismatchError(StaleDataError):
    """Stored sweep data were made by different code (their code hash differs)."""


# --------------------------------------------------------------------------- helpers


def _jsonable(value: Any) -> Any:
    """Normalise parameters to plain JSON types (tuples -> lists, numpy -> Python)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | np.ndarray):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


def _strip_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):  # fmt: skip
                node.body = body[1:] or [ast.Pass()]
    return tree


def code_hash(modules: Iterable[str]) -> str:
    """SHA-256 (first 16 hex digits) of the given modules' code.

    Docstrings, comments and formatting do not count: the source is parsed,
    docstrings are removed and the tree is unparsed before hashing.
    """
    h = hashlib.sha256()
    for name in sorted(set(modules)):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise ValueError(f"cannot find the source of module {name!r} for the code hash")
        source = Path(spec.origin).read_text()
        h.update(name.encode())
        h.update(ast.unparse(_strip_docstrings(ast.parse(source))).encode())
    return h.hexdigest()[:16]


def apply_overrides(
    grid: dict[str, list], fixed: dict[str, Any], overrides: dict[str, Any]
) -> tuple[dict[str, list], dict[str, Any]]:
    """Replace default ``grid``/``fixed`` values by ``overrides`` (consumed from the dict).

    The published sweep factories take ``**overrides`` so that a reader can rerun a
    sweep with other parameters; a name that is neither a grid axis nor a fixed
    parameter is a typo, not a new parameter.

    Raises
    ------
    ValueError
        If ``overrides`` holds names that are not in ``grid`` or ``fixed``.
    """
    grid = {k: overrides.pop(k, v) for k, v in grid.items()}
    fixed = {k: overrides.pop(k, v) for k, v in fixed.items()}
    if overrides:
        raise ValueError(
            f"unknown sweep parameters: {sorted(overrides)}; "
            f"allowed: {sorted([*grid, *fixed, 'seed'])}"
        )
    return grid, fixed


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _evaluate(func: Callable, point: dict, fixed: dict, seed: int, index: int) -> tuple[int, dict]:
    """Evaluate one point (module level so that process pools can pickle it)."""
    ss = np.random.SeedSequence(seed, spawn_key=(index,))
    out = func(**point, **fixed, seed=ss)
    if not isinstance(out, Mapping):
        raise TypeError(f"sweep function must return a mapping of measured values; got {type(out)}")
    return index, {str(k): _jsonable(v) for k, v in out.items()}


def _evaluate_timed(
    func: Callable, point: dict, fixed: dict, seed: int, index: int
) -> tuple[int, dict, float]:
    """:func:`_evaluate` plus the point's compute time in seconds (for the journal)."""
    start = time.perf_counter()
    index, values = _evaluate(func, point, fixed, seed, index)
    return index, values, time.perf_counter() - start


def _worker_init(threads: int) -> None:
    os.environ["THERMO_THREADS"] = str(threads)


def _progress(total: int, desc: str, enabled: bool | None):
    env = os.environ.get("THERMO_PROGRESS", "").strip().lower()
    if env in ("0", "false", "no", "off"):
        enabled = False
    if enabled is None:
        enabled = sys.stderr.isatty() and not os.environ.get("CI")
        if not enabled:
            try:  # a Jupyter front end with widgets
                from IPython import get_ipython

                ip = get_ipython()
                enabled = ip is not None and "IPKernelApp" in ip.config \
                    and importlib.util.find_spec("ipywidgets") is not None  # fmt: skip
            except ImportError:
                enabled = False
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit="point", disable=not enabled, smoothing=0.1)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class SweepResult:
    """Results of a sweep: one row per grid point.

    Attributes
    ----------
    key : str
        ``"<chapter>/<name>"``.
    columns : dict of str to ndarray
        Parameter and measured columns, in CSV order.
    provenance : dict
        The JSON sidecar (specification, seed, code hash, versions, commit, date).
    """

    key: str
    columns: dict[str, np.ndarray]
    provenance: dict[str, Any]

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self.columns[name]
        except KeyError:
            raise KeyError(
                f"{self.key} has no column {name!r}; columns: {list(self.columns)}"
            ) from None

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def select(self, **criteria: Any) -> SweepResult:
        """Rows where every given column equals the given value."""
        mask = np.ones(len(self), dtype=bool)
        for name, value in criteria.items():
            mask &= self[name] == value
        return SweepResult(self.key, {k: v[mask] for k, v in self.columns.items()}, self.provenance)

    def rows(self) -> list[dict[str, Any]]:
        """The rows as dictionaries."""
        names = list(self.columns)
        return [
            dict(zip(names, vals, strict=True)) for vals in zip(*self.columns.values(), strict=True)
        ]


# --------------------------------------------------------------------------- sweeps


@dataclass(frozen=True)
class Sweep:
    """A function evaluated over a parameter grid.

    Parameters
    ----------
    chapter : str
        Chapter the data belong to (directory under ``data/``), e.g. ``"01-landauer"``.
    name : str
        Sweep name (sub-directory), e.g. ``"work-vs-tau"``.
    func : callable
        Module-level function ``func(**point, **fixed, seed=SeedSequence) -> mapping``
        of measured values (floats; standard errors under ``<name>_se``).
    grid : mapping of str to sequence
        Grid axes; the points are their Cartesian product in the given order.
    fixed : mapping
        Parameters shared by all points.
    seed : int
        Root seed (>= 0).
    depends : sequence of str
        Modules (besides ``func``'s own) whose code determines the results.
    description : str
        One line for ``python -m thermo sweep list``.
    """

    chapter: str
    name: str
    func: Callable[..., Mapping[str, Any]]
    grid: Mapping[str, Sequence[Any]]
    fixed: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0
    depends: tuple[str, ...] = ()
    description: str = ""

    def __post_init__(self) -> None:
        for label, text in (("chapter", self.chapter), ("name", self.name)):
            if not text or "/" in text or text.startswith("."):
                raise ValueError(f"{label} must be a non-empty name without '/'; got {text!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed must be a non-negative int; got {self.seed!r}")
        if not self.grid:
            raise ValueError("grid must have at least one axis")
        for axis, values in self.grid.items():
            if isinstance(values, str) or len(values) == 0:
                raise ValueError(f"grid axis {axis!r} must be a non-empty sequence")
        overlap = set(self.grid) & set(self.fixed)
        if overlap:
            raise ValueError(f"parameters both in grid and fixed: {sorted(overlap)}")
        if "seed" in self.grid or "seed" in self.fixed:
            raise ValueError("'seed' is set per point by the sweep; do not pass it as a parameter")
        if not callable(self.func) or self.func.__name__ == "<lambda>" \
                or "<locals>" in self.func.__qualname__:  # fmt: skip
            raise ValueError("func must be a module-level function (process pools pickle it)")

    # ---- specification
    @property
    def key(self) -> str:
        """``"<chapter>/<name>"``."""
        return f"{self.chapter}/{self.name}"

    def points(self) -> list[dict[str, Any]]:
        """Grid points in order (the index of a point fixes its seed)."""
        axes = list(self.grid)
        return [
            dict(zip(axes, combo, strict=True)) for combo in itertools.product(*self.grid.values())
        ]

    def code_hash(self) -> str:
        """Hash of ``func``'s module and of :attr:`depends` (see :func:`code_hash`)."""
        return code_hash([self.func.__module__, *self.depends])

    def spec(self) -> dict[str, Any]:
        """What the stored results must match to be reused."""
        return {
            "key": self.key,
            "function": f"{self.func.__module__}:{self.func.__qualname__}",
            "grid": _jsonable(self.grid),
            "fixed": _jsonable(self.fixed),
            "seed": self.seed,
            "code_hash": self.code_hash(),
        }

    def directory(self, root: str | Path | None = None) -> Path:
        """``<data dir>/<chapter>/<name>``."""
        return Path(root or data_dir()) / self.chapter / self.name

    # ---- storage
    def load(self, root: str | Path | None = None) -> SweepResult | None:
        """Stored results, or ``None`` if there are none.

        Raises
        ------
        DataError
            If the CSV or JSON is malformed, truncated or inconsistent.
        """
        d = self.directory(root)
        jpath, cpath = d / RESULTS_JSON, d / RESULTS_CSV
        if not jpath.exists() and not cpath.exists():
            return None
        regen = f"regenerate with: python -m thermo sweep run {self.key}"
        if not jpath.exists():
            raise DataError(f"{cpath} has no provenance file {jpath.name}; {regen}")
        if not cpath.exists():
            raise DataError(f"{jpath} has no data file {cpath.name}; {regen}")
        try:
            meta = json.loads(jpath.read_text())
            columns_meta: dict[str, str] = meta["columns"]
            digest = meta["csv_sha256"]
            n_points = int(meta["n_points"])
        except (ValueError, KeyError, TypeError) as exc:
            raise DataError(f"{jpath} is malformed ({exc}); {regen}") from exc
        raw = cpath.read_bytes()
        if hashlib.sha256(raw).hexdigest() != digest:
            raise DataError(f"{cpath} does not match the checksum in {jpath.name} "
                            f"(truncated or edited); {regen}")  # fmt: skip
        rows = list(csv.reader(io.StringIO(raw.decode())))
        if not rows or rows[0] != list(columns_meta):
            raise DataError(f"{cpath} header does not match {jpath.name}; {regen}")
        body = rows[1:]
        if len(body) != n_points or any(len(r) != len(columns_meta) for r in body):
            raise DataError(f"{cpath} has {len(body)} rows of varying width; expected "
                            f"{n_points} rows of {len(columns_meta)}; {regen}")  # fmt: skip
        columns: dict[str, np.ndarray] = {}
        try:
            for j, (name, kind) in enumerate(columns_meta.items()):
                cells = [r[j] for r in body]
                if kind == "float":
                    columns[name] = np.array([float(c) for c in cells])
                elif kind == "int":
                    columns[name] = np.array([int(c) for c in cells])
                elif kind == "bool":
                    columns[name] = np.array([c == "True" for c in cells])
                else:
                    columns[name] = np.array(cells, dtype=object)
        except ValueError as exc:
            raise DataError(f"{cpath} has an unreadable value ({exc}); {regen}") from exc
        return SweepResult(self.key, columns, meta)

    def status(self, root: str | Path | None = None) -> str:
        """``"fresh"``, ``"missing"`` or ``"stale: <reason>"`` (bad files raise DataError)."""
        result = self.load(root)
        if result is None:
            return "missing"
        stored = result.provenance.get("spec", {})
        wanted = self.spec()
        for field_name in ("function", "grid", "fixed", "seed", "code_hash"):
            if stored.get(field_name) != wanted[field_name]:
                return f"stale: {field_name} differs"
        return "fresh"

    def _save(self, results: list[dict], wall: float, root: str | Path | None,
              extra: Mapping[str, Any]) -> SweepResult:  # fmt: skip
        points = self.points()
        measured: list[str] = []
        for r in results:
            measured.extend(k for k in r if k not in measured)
        names = list(self.grid) + [m for m in measured if m not in self.grid]

        def kind(values: list[Any]) -> str:
            if all(isinstance(v, bool) for v in values):
                return "bool"
            if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
                return "int"
            if all((isinstance(v, int | float) and not isinstance(v, bool)) or v is None
                   for v in values):  # fmt: skip
                return "float"
            return "str"

        table = [{**p, **r} for p, r in zip(points, results, strict=True)]
        kinds = {n: kind([row.get(n) for row in table]) for n in names}
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(names)
        for row in table:
            cells = []
            for n in names:
                v = row.get(n)
                if kinds[n] == "float":
                    v = repr(float("nan") if v is None else float(v))
                cells.append(v)
            writer.writerow(cells)
        text = buf.getvalue()
        meta = provenance(
            spec=self.spec(), description=self.description, n_points=len(points),
            columns=kinds, csv_sha256=hashlib.sha256(text.encode()).hexdigest(),
            wall_time_s=round(wall, 3), **extra,
        )  # fmt: skip
        d = self.directory(root)
        _atomic_write(d / RESULTS_CSV, text)
        _atomic_write(d / RESULTS_JSON, json.dumps(meta, indent=2) + "\n")
        with contextlib.suppress(FileNotFoundError):
            (d / JOURNAL).unlink()
        loaded = self.load(root)
        assert loaded is not None
        return loaded

    # ---- execution
    def run(
        self,
        *,
        executor: Executor | None = None,
        workers: int | None = None,
        progress: bool | None = None,
        root: str | Path | None = None,
        save: bool = True,
        resume: bool = True,
    ) -> SweepResult:
        """Evaluate every point (skipping those already in the journal) and store the results.

        Parameters
        ----------
        executor : concurrent.futures.Executor, optional
            Engine to run points on (e.g. ``dask.distributed.Client(...).get_executor()``).
            Default: a local process pool of ``workers`` processes (in-process if ``workers == 1``).
        workers : int, optional
            Processes of the default pool (default: CPU count).
        progress : bool, optional
            Show a progress bar (default: in a terminal or a Jupyter front end, never in CI).
        root : path, optional
            Data directory (default :func:`thermo.provenance.data_dir`).
        save : bool
            Write ``results.csv``/``results.json`` (and the journal while running).
        resume : bool
            Reuse points completed by an interrupted run with the same specification.
        """
        if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                    or workers < 1):  # fmt: skip
            raise ValueError(f"workers must be a positive int; got {workers!r}")
        points = self.points()
        spec = self.spec()
        d = self.directory(root)
        journal = d / JOURNAL
        done: dict[int, dict] = {}
        if save and resume and journal.exists():
            for line in journal.read_text().splitlines():
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line cut by an interruption
                if entry.get("spec") == spec and 0 <= entry.get("index", -1) < len(points):
                    done[int(entry["index"])] = entry["values"]
        elif save and journal.exists():
            journal.unlink()

        todo = [i for i in range(len(points)) if i not in done]
        fixed = dict(self.fixed)
        start = time.perf_counter()
        bar = _progress(len(points), self.key, progress)
        bar.update(len(done))

        def record(index: int, values: dict, seconds: float | None = None) -> None:
            done[index] = values
            if save:
                d.mkdir(parents=True, exist_ok=True)
                entry = {"spec": spec, "index": index, "values": values}
                if seconds is not None:
                    entry["seconds"] = round(seconds, 4)
                with journal.open("a") as fh:
                    fh.write(json.dumps(entry) + "\n")
                    fh.flush()
                    os.fsync(fh.fileno())
            bar.update(1)

        try:
            n_workers = workers or os.cpu_count() or 1
            if executor is None and (n_workers == 1 or len(todo) <= 1):
                for i in todo:
                    record(*_evaluate_timed(self.func, points[i], fixed, self.seed, i))
            else:
                own = executor is None
                if own:
                    import multiprocessing as mp

                    threads = max(1, (os.cpu_count() or 1) // n_workers)
                    executor = ProcessPoolExecutor(
                        max_workers=n_workers, mp_context=mp.get_context("spawn"),
                        initializer=_worker_init, initargs=(threads,),
                    )  # fmt: skip
                try:
                    pending: set[Future] = {
                        executor.submit(_evaluate_timed, self.func, points[i], fixed, self.seed, i)
                        for i in todo
                    }
                    error: BaseException | None = None
                    while pending:
                        finished, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for fut in finished:
                            try:
                                record(*fut.result())
                            except BaseException as exc:  # keep completed points, then re-raise
                                error = error or exc
                                for other in pending:
                                    other.cancel()
                    if error is not None:
                        raise error
                finally:
                    if own:
                        executor.shutdown(wait=True, cancel_futures=True)
        finally:
            bar.close()

        wall = time.perf_counter() - start
        ordered = [done[i] for i in range(len(points))]
        if not save:
            cols: dict[str, list] = {k: [p[k] for p in points] for k in self.grid}
            for r in ordered:
                for k in r:
                    cols.setdefault(k, [])
            for k in cols:
                if k not in self.grid:
                    cols[k] = [r.get(k) for r in ordered]
            return SweepResult(self.key, {k: np.asarray(v) for k, v in cols.items()},
                               {"spec": spec, "wall_time_s": wall})  # fmt: skip
        return self._save(ordered, wall, root, {"engine": type(executor).__name__ if executor
                                                 else "serial"})  # fmt: skip

    def estimate(self, root: str | Path | None = None, *, calibrate: bool = True,
                 workers: int = 1) -> float | None:  # fmt: skip
        """Estimated wall time (s) of a full run on ``workers`` workers.

        From the stored run's wall time per point when there is one (even if stale),
        otherwise (``calibrate=True``) by timing the first point in this process;
        ``None`` when neither is available.
        """
        n = len(self.points())
        per_point = None
        try:
            stored = self.load(root)
        except DataError:
            stored = None
        if stored is not None:
            wall = stored.provenance.get("wall_time_s")
            n_old = stored.provenance.get("n_points") or len(stored)
            if isinstance(wall, int | float) and n_old:
                per_point = float(wall) / n_old
        if per_point is None and calibrate:
            per_point = self.calibrate()
        if per_point is None:
            return None
        return per_point * n / max(1, min(workers, n))

    def calibrate(self) -> float:
        """Seconds to evaluate the first grid point here (results discarded)."""
        start = time.perf_counter()
        _evaluate(self.func, self.points()[0], dict(self.fixed), self.seed, 0)
        return time.perf_counter() - start

    def load_or_run(self, compute: str | None = None, **run_kwargs: Any) -> SweepResult:
        """Load fresh stored results, or compute them.

        Parameters
        ----------
        compute : {"auto", "never", "always"}, optional
            ``"auto"`` (default, or ``$THERMO_SWEEP_COMPUTE``): compute when missing or
            stale; ``"never"``: raise :class:`StaleDataError` instead; ``"always"``: recompute.
        **run_kwargs
            Passed to :meth:`run`.
        """
        compute = compute or os.environ.get("THERMO_SWEEP_COMPUTE") or "auto"
        if compute not in ("auto", "never", "always"):
            raise ValueError(f"compute must be 'auto', 'never' or 'always'; got {compute!r}")
        root = run_kwargs.get("root")
        if compute != "always":
            state = self.status(root)
            if state == "fresh":
                result = self.load(root)
                assert result is not None
                return result
            if compute == "never":
                cls = CodeMismatchError if state == "stale: code_hash differs" else StaleDataError
                raise cls(
                    f"sweep {self.key} in {self.directory(root)} is {state} for these parameters "
                    f"and this code. Regenerate it with\n    python -m thermo sweep run {self.key}"
                    f"\n(or `make data` for every published sweep), then commit the data."
                )
        return self.run(**run_kwargs)
