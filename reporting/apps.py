from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self) -> None:
        from cases.seeding import register_seed_step
        from cases.web.home import register_home_panel
        from learning.follow_ups import register_learning_action_follow_up

        from .seeding import seed_delivery_plan
        from .views import delivery_plan_follow_ups, home_headlines_panel

        register_seed_step(seed_delivery_plan)
        register_home_panel(
            "headlines", 10, "reporting/includes/home_panels.html", home_headlines_panel
        )
        register_learning_action_follow_up(delivery_plan_follow_ups)
