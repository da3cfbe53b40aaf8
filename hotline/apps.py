from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class HotlineConfig(AppConfig):
    default = True
    name = "hotline"
    verbose_name = "Hotline"

    def ready(self) -> None:
        from django.core import checks

        from hotline.checks import twilio_sender_check

        checks.register(twilio_sender_check)


class HotlineAdminConfig(admin_apps.AdminConfig):
    """Django's admin, as the hotline's staff workspace (``hotline.admin_site``)."""

    default = False
    default_site = "hotline.admin_site.HotlineAdminSite"
