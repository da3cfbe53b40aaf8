from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Callers and handoffs"

    def ready(self) -> None:
        from django.core import checks

        from cases.checks import text_sender_check

        checks.register(text_sender_check)
