"""make bench: python -m bench [--seed-children N] [--scale-children N] [--only GROUPS]
              python -m bench --sizes 10000,100000,300000 [--only GROUPS]
              python -m bench compare BEFORE.json AFTER.json

Figures are measured on bench databases of their own (never the demo database), each beside a
baseline measured in the same run, printed as numbers and ratios, and written as JSON under the
run folder (run/bench/) so two runs can be compared.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from pathlib import Path

from . import harness
from .census import bench_census, bench_census_rules
from .drift import bench_drift, bench_queue_pages
from .gcp2 import bench_gcp2_page
from .harness import (
    DATABASE_PREFIX,
    RESULTS,
    ROOT,
    connect_to,
    ensure_scale_database,
    results_compare,
    results_write,
)
from .load import bench_load
from .notifications import bench_notifications
from .practitioner import bench_practitioner
from .reporting import bench_reporting
from .seeding import bench_seeding
from .sizes import bench_sizes, parse_sizes

GROUPS = (
    "seeding",
    "reporting",
    "practitioner",
    "gcp2",
    "drift",
    "census",
    "notifications",
    "load",
)
# Run only when named: the Department's rules on the scale census take several minutes.
OPT_IN = ("census_rules",)


def compare(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench compare")
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    print(f"{args.before} -> {args.after}")
    print("\n".join(results_compare(args.before, args.after)))


def main() -> None:
    if sys.argv[1:2] == ["compare"]:
        compare(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--seed-children", type=int, default=10_000)
    parser.add_argument(
        "--scale-children",
        type=int,
        default=100_000,
        help="size of the partnership the page and build benchmarks run on (seeded once, reused)",
    )
    parser.add_argument(
        "--sizes",
        help="comma-separated partnership sizes (say 10000,100000,300000): the heavy figures and "
        "pages at each, with cost per 1,000 children (dashboards, practitioner pages, drift, "
        "census export; narrowed by --only)",
    )
    parser.add_argument(
        "--only",
        default=",".join(GROUPS),
        help=f"comma-separated groups to run, from {', '.join(GROUPS + OPT_IN)} "
        f"(default: all but {', '.join(OPT_IN)})",
    )
    args = parser.parse_args()
    # The practitioner group makes about 60 searches per run on each bench database: a second
    # run within the hour would meet the per-person search limit (the check still runs).
    os.environ.setdefault("NT_SEARCH_LIMIT_PER_HOUR", "1000000")
    wanted = set(args.only.split(","))
    if wanted - set(GROUPS + OPT_IN):
        parser.error(f"unknown groups: {', '.join(sorted(wanted - set(GROUPS + OPT_IN)))}")
    scale_size = args.scale_children
    if args.sizes:
        try:
            sizes = parse_sizes(args.sizes)
        except ValueError as error:
            parser.error(str(error))
        bench_sizes(sizes, wanted)
        folder = Path(os.environ.get("NT_RUN_DIR", ROOT / "run")) / "bench"
        print(f"\n{len(RESULTS)} figures measured; written to {results_write(folder)}")
        return

    if "seeding" in wanted:
        print(f"Seeding benchmark ({args.seed_children:,} children, fresh database)", flush=True)
        database = f"{DATABASE_PREFIX}_bench_seed"
        harness.current_size = args.seed_children
        bench_seeding(
            database,
            args.seed_children,
            functools.partial(connect_to, database),
            f"{database}_floor",
            functools.partial(connect_to, f"{database}_floor"),
        )

    if wanted - {"seeding"}:
        print(f"\nScale database ({scale_size:,} children)", flush=True)
        scale = ensure_scale_database(scale_size)
        harness.current_size = scale_size

    if "reporting" in wanted:
        print(f"\nDashboards ({scale_size:,} children)", flush=True)
        bench_reporting(scale_size)

    if "practitioner" in wanted:
        print(f"\nPractitioner pages ({scale_size:,} children)", flush=True)
        bench_practitioner(scale_size)

    if "gcp2" in wanted:
        print(f"\nGCP2 page ({scale_size:,} children)", flush=True)
        bench_gcp2_page(scale_size)

    if "drift" in wanted:
        print(f"\nDrift evaluation ({scale_size:,} children)", flush=True)
        bench_drift(scale, scale_size, functools.partial(connect_to, scale))
        bench_queue_pages(scale, scale_size)

    if "census" in wanted:
        print(f"\nChildren in need census ({scale_size:,} children)", flush=True)
        bench_census(scale, scale_size)
    if "census_rules" in wanted:
        print(f"\nThe Department's census rules ({scale_size:,} children)", flush=True)
        bench_census_rules(scale, scale_size)

    if "notifications" in wanted:
        print(f"\nNotifications import ({scale_size:,} children)", flush=True)
        bench_notifications(scale_size)
    if "load" in wanted:
        print(f"\nLoad test ({scale_size:,} children)", flush=True)
        bench_load(scale_size)

    folder = Path(os.environ.get("NT_RUN_DIR", ROOT / "run")) / "bench"
    print(f"\n{len(RESULTS)} figures measured; written to {results_write(folder)}")


if __name__ == "__main__":
    main()
