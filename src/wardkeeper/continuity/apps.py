from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContinuityConfig(AppConfig):
    name = "wardkeeper.continuity"
    label = "continuity"
    verbose_name = _("Backup and recovery")

    def ready(self) -> None:
        # The request, development-server and gunicorn access loggers write
        # webhook addresses: mask their tokens (settings.LOGGING does the rest).
        from wardkeeper.continuity.logging import install
        from wardkeeper.continuity.own_backup import report_run
        from wardkeeper.core.backup.signals import backup_finished

        install()
        backup_finished.connect(report_run, dispatch_uid="continuity.own_backup")
