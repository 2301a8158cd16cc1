from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning from cases"

    def ready(self) -> None:
        from cases.casework.child_page import register_child_page_section
        from cases.seeding import register_seed_step
        from cases.web.form_parts import register_record_form_part

        from .seeding import seed_feedback
        from .views import child_feedback_section, feedback_part

        register_seed_step(seed_feedback)
        # Right after the GCP2 section (30), so the two trends are read together.
        register_child_page_section(
            "feedback", 31, "learning/child_feedback.html", child_feedback_section
        )
        # The questionnaire is recorded as part of a visit or a plan review.
        register_record_form_part(
            "feedback", 10, ["visit", "plan_review"], "learning/feedback_part.html", feedback_part
        )
