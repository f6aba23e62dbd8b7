"""Command line: ``python -m thermo sweep {list,status,run}``.

Examples
--------
::

    python -m thermo sweep list
    python -m thermo sweep run 01-landauer/work-vs-tau --mode full --workers 2
    python -m thermo sweep run 01-landauer/work-vs-tau --scheduler tcp://host:8786
"""

from __future__ import annotations

import argparse
import os
import sys

from thermo import catalog
from thermo.sweep import DataError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m thermo", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sweep = sub.add_parser("sweep", help="parameter sweeps behind the book's figures")
    ssub = sweep.add_subparsers(dest="action", required=True)
    ls = ssub.add_parser("list", help="list the published sweeps")
    ls.add_argument("--mode", choices=catalog.MODES, default="full")
    st = ssub.add_parser("status", help="fresh / stale / missing for each published sweep")
    st.add_argument("--mode", choices=catalog.MODES, default="full")
    st.add_argument("--data-dir", default=None, help="data directory (default: <repo>/data)")
    run = ssub.add_parser("run", help="compute a sweep and store it under data/")
    run.add_argument("name", help="sweep key '<chapter>/<name>', or 'all'")
    run.add_argument("--mode", choices=catalog.MODES, default="full")
    run.add_argument("--workers", type=int, default=None, help="local worker processes")
    run.add_argument("--scheduler", default=None, help="Dask scheduler address (tcp://host:port)")
    run.add_argument("--force", action="store_true", help="recompute even if fresh")
    run.add_argument("--no-progress", action="store_true", help="no progress bar")
    run.add_argument("--dry-run", action="store_true", help="show what would run, compute nothing")
    run.add_argument("--data-dir", default=None, help="data directory (default: <repo>/data)")
    run.add_argument(
        "--no-calibrate", action="store_true", help="estimate time only from stored runs"
    )
    return parser


def _fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def main(argv: list[str] | None = None) -> int:
    """Entry point; exit codes: 0 success, 1 a sweep failed, 2 bad input, 130 interrupted."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted; completed points are kept in the journal and a rerun resumes",
              file=sys.stderr)  # fmt: skip
        return 130


def _main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.action in ("list", "status"):
        for key in catalog.names():
            sweep = catalog.get(key, args.mode)
            n = len(sweep.points())
            if args.action == "list":
                print(f"{key:45s} {n:5d} points  {sweep.description}")
            else:
                try:
                    state = sweep.status(args.data_dir)
                except DataError as exc:
                    state = f"malformed: {exc}"
                print(f"{key:45s} {state}")
        return 0

    if args.workers is not None and args.workers < 1:
        print("error: --workers must be a positive integer", file=sys.stderr)
        return 2
    keys = catalog.names() if args.name == "all" else [args.name]
    try:
        sweeps = [catalog.get(k, args.mode) for k in keys]
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    root = args.data_dir
    workers = args.workers or (os.cpu_count() or 1)
    todo = []
    total = 0.0
    unknown = False
    for sweep in sweeps:
        try:
            state = "forced" if args.force else sweep.status(root)
        except DataError as exc:
            state = f"malformed: {exc}"
        action = "skip" if state == "fresh" else "run"
        est = None
        if action == "run":
            todo.append((sweep, state))
            calibrate = not args.no_calibrate and not args.dry_run
            est = sweep.estimate(root, calibrate=calibrate, workers=workers)
            unknown |= est is None
            total += est or 0.0
        print(f"{sweep.key:45s} {len(sweep.points()):5d} points  {state}  -> {action}"
              + (f" (~{_fmt_seconds(est)})" if action == "run" else ""))  # fmt: skip
    print(f"estimated time: {_fmt_seconds(total)}{' + unknown' if unknown else ''} "
          f"for {len(todo)} sweep(s) on {workers} worker(s)", flush=True)  # fmt: skip
    if args.dry_run:
        return 0
    executor = None
    client = None
    if args.scheduler:
        try:
            from dask.distributed import Client
        except ImportError:
            print("error: --scheduler needs Dask: pip install -e '.[dask]'", file=sys.stderr)
            return 2
        try:
            client = Client(args.scheduler, timeout="20s")
        except (OSError, ValueError, TypeError) as exc:
            print(f"error: cannot connect to the Dask scheduler {args.scheduler!r}: {exc}",
                  file=sys.stderr)  # fmt: skip
            return 2
        executor = client.get_executor()
    try:
        failed = _run_all(todo, executor, args, root)
    finally:
        if client is not None:
            client.close()
    if failed:
        print(f"error: {len(failed)} sweep(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _run_all(todo, executor, args, root) -> list[str]:
    failed = []
    for sweep, state in todo:
        print(f"{sweep.key}: {state}; computing {len(sweep.points())} points ...", flush=True)
        try:
            result = sweep.run(
                executor=executor,
                workers=args.workers,
                root=root,
                progress=False if args.no_progress else None,
            )
        except Exception as exc:
            print(f"error: sweep {sweep.key} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed.append(sweep.key)
            continue
        print(f"{sweep.key}: wrote {sweep.directory(root)} "
              f"({len(result)} points, {result.provenance['wall_time_s']:.1f} s)")  # fmt: skip
    return failed


if __name__ == "__main__":
    sys.exit(main())
