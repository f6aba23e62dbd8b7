"""Time the two commands on fresh clones: ``make book`` and ``make test`` (install included).

Run ``python benchmarks/build_times.py`` (or ``make bench-build``). Each command runs in its own
fresh ``git clone`` of the current commit in a temporary directory, so the virtual environment,
the MathJax install, numba's cache and the notebook cache all start empty, as on CI. The
results are written to ``benchmarks/results/build.json`` and rendered by the book's
"Performance" page. Uncommitted changes are not included (the clone is of HEAD).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from run import machine  # noqa: E402  (the same machine record as the kernel benchmarks)

TARGETS_S = {"book": 15 * 60.0, "test": 20 * 60.0}


def _timed_make(target: str, log: Path) -> dict:
    """Clone HEAD into a temporary directory and time ``make <target>`` there."""
    with tempfile.TemporaryDirectory(prefix=f"stl-{target}-") as tmp:
        clone = Path(tmp) / "repo"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("THERMO_")}
        start = time.perf_counter()
        with log.open("w") as fh:
            proc = subprocess.run(["make", target], cwd=clone, stdout=fh, stderr=subprocess.STDOUT,
                                  env=env, check=False)  # fmt: skip
        seconds = time.perf_counter() - start
    return {"target": target, "seconds": seconds, "returncode": proc.returncode,
            "limit_s": TARGETS_S[target]}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "results" / "build.json")
    parser.add_argument("--logs", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args(argv)
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True,
                            text=True, check=True).stdout.strip()  # fmt: skip
    info = machine()
    runs = [_timed_make(t, args.logs / f"stl-make-{t}.log") for t in ("book", "test")]
    info["load_average_end"] = os.getloadavg()
    result = {"git_commit": commit, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
              "machine": info, "runs": runs}  # fmt: skip
    for r in runs:
        verdict = "met" if r["returncode"] == 0 and r["seconds"] < r["limit_s"] else "MISSED"
        print(f"make {r['target']:5s} {r['seconds'] / 60:6.2f} min (limit {r['limit_s'] / 60:.0f}, "
              f"exit {r['returncode']})  {verdict}")  # fmt: skip
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0 if all(r["returncode"] == 0 for r in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
