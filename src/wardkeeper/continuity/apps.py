from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "wardkeeper.continuity"
    label = "continuity"
    verbose_name = _("Backup and recovery")
