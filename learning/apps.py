from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning from cases"

    def ready(self) -> None:
        from cases.casework.child_page import register_child_page_section
        from cases.seeding import register_seed_step

        from .seeding import seed_feedback
        from .views import child_feedback_section

        register_seed_step(seed_feedback)
        # Right after the GCP2 section (30), so the two trends are read together.
        register_child_page_section(
            "feedback", 31, "learning/child_feedback.html", child_feedback_section
        )
