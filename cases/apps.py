from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from cases.db_roles import app_role_grants_after_migrate

        # After every migrate (test databases too): the app role may only append to the logs.
        post_migrate.connect(app_role_grants_after_migrate, sender=self)
        import cases.clients.schema
        import cases.notifications.tasks  # noqa: F401 - the worker finds the import task
        from cases.casework import views as casework
        from cases.casework.child_page import register_child_page_section
        from cases.census.seeding import seed_census_facts
        from cases.drift.rules import register_cases_rules
        from cases.notifications.drift_rules import register_notification_rules
        from cases.notifications.seeding import seed_was_not_brought
        from cases.oversight import views as oversight
        from cases.plans import views as plans
        from cases.seeding import register_seed_step
        from cases.seeding.concerns import seed_concerns
        from cases.seeding.plans import seed_plans_visits_and_meetings
        from cases.web.home import register_home_panel

        register_cases_rules()
        register_notification_rules()
        register_seed_step(seed_concerns)
        register_seed_step(seed_plans_visits_and_meetings)
        # After plans: it fills in their referrals.
        register_seed_step(seed_census_facts, reads=("cases_child", "cases_referral"))
        register_seed_step(seed_was_not_brought)
        # The child's page, top to bottom (assessments adds GCP2 at 30).
        register_child_page_section(
            "record", 10, "cases/child_page/record.html", casework.child_record_section
        )
        register_child_page_section(
            "chronology", 20, "cases/child_page/chronology.html", casework.child_chronology_section
        )
        register_child_page_section(
            "drift", 40, "cases/child_page/drift.html", oversight.child_drift_section
        )
        register_child_page_section(
            "plans", 50, "cases/child_page/plans.html", plans.child_plans_section
        )
        register_child_page_section(
            "supervision",
            60,
            "cases/child_page/supervision.html",
            oversight.child_supervision_section,
        )
        # The home page's panels (assessments adds GCP2 at 20, reporting the headline figures).
        register_home_panel(
            "access-grants",
            10,
            "cases/home_panels/access_grants.html",
            casework.home_access_grants_panel,
        )
        register_home_panel(
            "concern-outcomes",
            30,
            "cases/home_panels/concern_outcomes.html",
            oversight.home_concern_outcomes_panel,
        )
        register_home_panel(
            "challenges", 40, "cases/home_panels/challenges.html", oversight.home_challenges_panel
        )
