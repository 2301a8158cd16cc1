from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from . import drift_rules, seeding_drift
        from .seeding import register_seed_step
        from .seeding_concerns import seed_concerns

        drift_rules.register_cases_rules()
        register_seed_step(seed_concerns)
        register_seed_step(seeding_drift.seed_plans_visits_and_meetings)
