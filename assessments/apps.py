from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "GCP2 assessments"

    def ready(self) -> None:
        from cases.casework.child_page import register_child_page_section
        from cases.drift import register_drift_rule
        from cases.seeding import register_seed_step
        from cases.web.home import register_home_panel

        from .drift_rules import GCP2_NOT_IMPROVING, GCP2_OVERDUE
        from .seeding import seed_gcp2_assessments
        from .views import child_gcp2_section, home_gcp2_panel

        register_drift_rule(GCP2_OVERDUE)
        register_drift_rule(GCP2_NOT_IMPROVING)
        register_seed_step(seed_gcp2_assessments)
        register_child_page_section(
            "gcp2", 30, "assessments/child_section.html", child_gcp2_section
        )
        register_home_panel(
            "gcp2", 20, "assessments/includes/home_panel_content.html", home_gcp2_panel
        )
