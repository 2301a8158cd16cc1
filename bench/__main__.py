"""make bench: python -m bench [--seed-children N] [--scale-children N]

Figures are measured on bench databases of their own (never the demo database), each beside a
baseline measured in the same run, and printed as numbers and ratios.
"""

from __future__ import annotations

import argparse
import functools
import os

import psycopg2

from .drift import bench_drift, bench_queue_page
from .gcp2 import bench_gcp2_page
from .harness import RESULTS, ensure_scale_database
from .practitioner import bench_practitioner
from .reporting import bench_reporting
from .seeding import bench_seeding


def connect_to(database: str) -> psycopg2.extensions.connection:
    return psycopg2.connect(
        host=os.environ["NT_DB_HOST"],
        port=os.environ["NT_DB_PORT"],
        user=os.environ["NT_DB_USER"],
        password=os.environ["NT_DB_PASSWORD"],
        dbname=database,
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--seed-children", type=int, default=10_000)
    parser.add_argument(
        "--scale-children",
        type=int,
        default=100_000,
        help="size of the partnership the page and build benchmarks run on (seeded once, reused)",
    )
    args = parser.parse_args()

    print(f"Seeding benchmark ({args.seed_children:,} children, fresh database)", flush=True)
    database = f"{os.environ['NT_DB_NAME']}_bench_seed"
    bench_seeding(database, args.seed_children, functools.partial(connect_to, database))

    print(f"\nScale database ({args.scale_children:,} children)", flush=True)
    ensure_scale_database(args.scale_children)

    print(f"\nDashboards ({args.scale_children:,} children)", flush=True)
    bench_reporting(args.scale_children)

    print(f"\nPractitioner pages ({args.scale_children:,} children)", flush=True)
    bench_practitioner(args.scale_children)

    print(f"\nGCP2 page ({args.scale_children:,}-child partnership)", flush=True)
    bench_gcp2_page(args.scale_children)

    print(f"\nDrift evaluation ({args.scale_children:,} children)", flush=True)
    scale = ensure_scale_database(args.scale_children)
    bench_drift(scale, args.scale_children, functools.partial(connect_to, scale))
    bench_queue_page(scale, args.scale_children)

    print(f"\n{len(RESULTS)} figures measured.")


if __name__ == "__main__":
    main()
