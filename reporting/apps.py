from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"

    def ready(self) -> None:
        from cases.seeding import register_seed_step

        from .seeding import seed_delivery_plan

        register_seed_step(seed_delivery_plan)
