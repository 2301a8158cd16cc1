from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from .seeding import register_seed_step
        from .seeding_concerns import seed_concerns

        register_seed_step(seed_concerns)
