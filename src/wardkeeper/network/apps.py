from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "wardkeeper.network"
    label = "network"
    verbose_name = _("Network")

    def ready(self) -> None:
        # Flow rules and pollers keep their segmentation checks in step.
        from wardkeeper.network.services import segmentation  # noqa: F401
