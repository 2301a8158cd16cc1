"""make bench: python -m bench [--seed-children N] [--scale-children N] [--only GROUPS]

Figures are measured on bench databases of their own (never the demo database), each beside a
baseline measured in the same run, and printed as numbers and ratios.
"""

from __future__ import annotations

import argparse
import functools

from .drift import bench_drift, bench_queue_pages
from .gcp2 import bench_gcp2_page
from .harness import DATABASE_PREFIX, RESULTS, connect_to, ensure_scale_database
from .practitioner import bench_practitioner
from .reporting import bench_reporting
from .seeding import bench_seeding

GROUPS = ("seeding", "reporting", "practitioner", "gcp2", "drift")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--seed-children", type=int, default=10_000)
    parser.add_argument(
        "--scale-children",
        type=int,
        default=100_000,
        help="size of the partnership the page and build benchmarks run on (seeded once, reused)",
    )
    parser.add_argument(
        "--only",
        default=",".join(GROUPS),
        help=f"comma-separated groups to run, from {', '.join(GROUPS)} (default: all)",
    )
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    if wanted - set(GROUPS):
        parser.error(f"unknown groups: {', '.join(sorted(wanted - set(GROUPS)))}")
    scale_size = args.scale_children

    if "seeding" in wanted:
        print(f"Seeding benchmark ({args.seed_children:,} children, fresh database)", flush=True)
        database = f"{DATABASE_PREFIX}_bench_seed"
        bench_seeding(database, args.seed_children, functools.partial(connect_to, database))

    if wanted - {"seeding"}:
        print(f"\nScale database ({scale_size:,} children)", flush=True)
        scale = ensure_scale_database(scale_size)

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

    print(f"\n{len(RESULTS)} figures measured.")


if __name__ == "__main__":
    main()
