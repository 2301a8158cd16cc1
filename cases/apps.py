from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from cases.casework import views as casework
        from cases.casework.child_page import register_child_page_section
        from cases.drift.rules import register_cases_rules
        from cases.oversight import views as oversight
        from cases.plans import views as plans
        from cases.seeding import register_seed_step
        from cases.seeding.concerns import seed_concerns
        from cases.seeding.plans import seed_plans_visits_and_meetings

        register_cases_rules()
        register_seed_step(seed_concerns)
        register_seed_step(seed_plans_visits_and_meetings)
        # The child's page, top to bottom; assessments adds GCP2 at 30.
        for key, order, template, context_fn in (
            ("record", 10, "cases/child_page/record.html", casework.child_record_section),
            (
                "chronology",
                20,
                "cases/child_page/chronology.html",
                casework.child_chronology_section,
            ),
            ("drift", 40, "cases/child_page/drift.html", oversight.child_drift_section),
            ("plans", 50, "cases/child_page/plans.html", plans.child_plans_section),
            (
                "supervision",
                60,
                "cases/child_page/supervision.html",
                oversight.child_supervision_section,
            ),
        ):
            register_child_page_section(key, order, template, context_fn)
