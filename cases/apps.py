from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from cases.drift.rules import register_cases_rules
        from cases.seeding import register_seed_step
        from cases.seeding.concerns import seed_concerns
        from cases.seeding.plans import seed_plans_visits_and_meetings

        register_cases_rules()
        register_seed_step(seed_concerns)
        register_seed_step(seed_plans_visits_and_meetings)
