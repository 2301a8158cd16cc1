from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from cases.db_roles import app_role_grants_after_migrate

        # After every migrate (test databases too): the app role may only append to the logs.
        post_migrate.connect(app_role_grants_after_migrate, sender=self)
        from cases.drift.rules import register_cases_rules
        from cases.seeding import register_seed_step
        from cases.seeding.concerns import seed_concerns
        from cases.seeding.plans import seed_plans_visits_and_meetings

        register_cases_rules()
        register_seed_step(seed_concerns)
        register_seed_step(seed_plans_visits_and_meetings)
