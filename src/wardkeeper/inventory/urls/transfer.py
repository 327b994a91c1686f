from django.urls import path, re_path

from wardkeeper.inventory.transfer.kinds import KINDS
from wardkeeper.inventory.views import transfer

FILE = rf"(?P<kind>{'|'.join(KINDS)})\.(?P<fmt>csv|xlsx)"

urlpatterns = [
    path("transfer/", transfer.transfer, name="transfer"),
    path("transfer/confirm/", transfer.confirm, name="transfer-confirm"),
    path("transfer/cancel/", transfer.cancel, name="transfer-cancel"),
    re_path(rf"^transfer/export/{FILE}$", transfer.export, name="transfer-export"),
    re_path(
        rf"^transfer/template/{FILE}$", transfer.template, name="transfer-template"
    ),
]
