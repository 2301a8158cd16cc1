from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandParser

from cases.accounts.demo import demo_recovery_codes, demo_second_factor_ensure, demo_secret
from cases.models import Agency, Practitioner
from cases.seeding.partnership import demo_accounts_ensure
from cases.seeding.synthetic import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Print the service address and one synthetic demo login per role, with its second "
        "factor: single-use recovery codes (a new set once used up) and the authenticator key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args: object, **options: object) -> None:
        if Agency.objects.exists():
            demo_accounts_ensure(password=make_password(DEMO_PASSWORD), only_missing=True)
        self.stdout.write(f"\nNeglect Tracker is running at {options['url']}\n")
        self.stdout.write(f"Demo logins (synthetic data only), password for all: {DEMO_PASSWORD}")
        self.stdout.write(
            "Then a second factor: type one of the account's single-use recovery codes, or add\n"
            "its key to an authenticator app (TOTP, 6 digits, 30 seconds) and type the app's code."
        )
        for username, *_ in DEMO_ACCOUNTS:
            person = Practitioner.objects.select_related("agency").get(username=username)
            agency = person.agency.name if person.agency else "no agency"
            device = demo_second_factor_ensure(person)
            codes = " ".join(demo_recovery_codes(person))
            self.stdout.write(f"  {username:<14} {person.get_role_display()} — {agency}")
            self.stdout.write(f"  {'':<14} recovery codes: {codes}")
            self.stdout.write(f"  {'':<14} authenticator key: {demo_secret(device)}")
        self.stdout.write(
            "Run `.venv/bin/python manage.py demo_logins` again for the codes left (a new set once all are used)."
        )
        self.stdout.write("Stop everything with: make stop\n")
