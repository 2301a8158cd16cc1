from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from cases.seeding.partnership import partnership_is_empty, seed_partnership


class Command(BaseCommand):
    help = "Generate a synthetic partnership: agencies, families, children, adults, chronologies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=600)
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed, for repeatable data"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has children",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: object, **options: Any) -> None:
        if options["if_empty"] and not partnership_is_empty():
            self.stdout.write("The database already has a partnership; nothing to do.")
            return
        total = int(options["children"])
        with tqdm(total=total, unit="children", disable=bool(options["no_progress"])) as bar:
            made = seed_partnership(children=total, seed=int(options["seed"]), progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"Created {made} synthetic children."))
