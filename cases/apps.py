from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from .concern_seeding import seed_concerns
        from .seeding import register_seed_step

        register_seed_step(seed_concerns)
