"""The import and export page's URLs; ``patterns_for`` gives another area's
page (the network's) the same five URLs in its own namespace."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from wardkeeper.inventory.views import transfer
from wardkeeper.inventory.views.transfer import INVENTORY, TransferPage


def patterns_for(page: TransferPage, prefix: str = "transfer/") -> list[URLPattern]:
    """The page, confirm, cancel, export and template URLs of ``page``."""
    kinds = "|".join(page.kinds())
    file = rf"(?P<kind>{kinds})\.(?P<fmt>csv|xlsx)"
    extra = {"page": page}
    return [
        path(prefix, transfer.transfer, extra, name="transfer"),
        path(f"{prefix}confirm/", transfer.confirm, extra, name="transfer-confirm"),
        path(f"{prefix}cancel/", transfer.cancel, extra, name="transfer-cancel"),
        re_path(
            rf"^{prefix}export/{file}$", transfer.export, extra, name="transfer-export"
        ),
        re_path(
            rf"^{prefix}template/{file}$",
            transfer.template,
            extra,
            name="transfer-template",
        ),
    ]


urlpatterns = patterns_for(INVENTORY)
