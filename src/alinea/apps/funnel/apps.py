from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FunnelConfig(AppConfig):
    name = "alinea.apps.funnel"
    label = "funnel"
    verbose_name = _("Funnel")
