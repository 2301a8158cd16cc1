from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser

from cases.models import Agency, Practitioner
from cases.seeding.partnership import demo_accounts_ensure
from cases.seeding.synthetic import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the service address and one synthetic demo login per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: object, **options: object) -> None:
        if Agency.objects.exists():
            demo_accounts_ensure(password=make_password(DEMO_PASSWORD), only_missing=True)
        self.stdout.write(f"\nNeglect Tracker is running at {options['url']}\n")
        self.stdout.write(f"Demo logins (synthetic data only), password for all: {DEMO_PASSWORD}")
        for username, *_ in DEMO_ACCOUNTS:
            person = Practitioner.objects.select_related("agency").get(username=username)
            agency = person.agency.name if person.agency else "no agency"
            self.stdout.write(f"  {username:<14} {person.get_role_display()} — {agency}")
        self.stdout.write("Stop everything with: make stop\n")
