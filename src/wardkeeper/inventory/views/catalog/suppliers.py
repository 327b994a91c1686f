"""Pages of vendors and their contracts (warranty, maintenance, support)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)
from wardkeeper.inventory.filters import ContractFilter, VendorFilter
from wardkeeper.inventory.forms import ContractForm, VendorForm
from wardkeeper.inventory.models import Contract, Vendor
from wardkeeper.inventory.services.coverage import set_covered_assets

COVERED_PER_PAGE = 25
EXPIRY_WINDOWS = (30, 60, 90)


class VendorList(ObjectList):
    model = Vendor
    queryset = Vendor.objects.annotate(contract_count=Count("contracts")).order_by(
        "name"
    )
    filterset_class = VendorFilter
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Contact"), "contact_name"),
        Column(_("Phone"), "phone"),
        Column(_("E-mail"), "email"),
        Column(_("Contracts"), "contract_count", css="text-end"),
    ]


class VendorDetail(ObjectDetail):
    model = Vendor

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        vendor: Vendor = self.object
        context.update(
            contracts=vendor.contracts.annotate(asset_count=Count("assets")).order_by(
                "-ends_on"
            ),
            supplied_count=vendor.assets.count(),
            today=timezone.localdate(),
        )
        return context


class VendorCreate(ObjectCreate):
    model = Vendor
    form_class = VendorForm


class VendorUpdate(ObjectUpdate):
    model = Vendor
    form_class = VendorForm


class VendorDelete(ObjectDelete):
    model = Vendor


class ContractList(ObjectList):
    model = Contract
    queryset = (
        Contract.objects.select_related("vendor")
        .annotate(asset_count=Count("assets"))
        .order_by("ends_on", "number")
    )
    filterset_class = ContractFilter
    template_name = "inventory/contract_list.html"
    columns = [
        Column(_("Number"), "number", link=True, css="wk-code"),
        Column(_("Title"), "title", css="wk-wrap"),
        Column(_("Vendor"), "vendor"),
        Column(_("Kind"), "kind"),
        Column(_("Starts"), "starts_on"),
        Column(_("Ends"), "ends_on"),
        Column(_("Days left"), "days_left", template="inventory/cells/days_left.html"),
        Column(_("Assets"), "asset_count", css="text-end"),
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(
            expiry_windows=EXPIRY_WINDOWS,
            expiring_within=self.request.GET.get("expiring_within", ""),
        )
        return context


class ContractDetail(ObjectDetail):
    model = Contract
    queryset = Contract.objects.select_related("vendor")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        covered = self.object.assets.with_related().order_by("tag")
        page = Paginator(covered, COVERED_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        context.update(covered_page=page, today=timezone.localdate())
        return context


class ContractFormMixin:
    request: HttpRequest

    def form_valid(self, form: ContractForm) -> HttpResponse:
        # The contract and the assets it covers change together or not at all.
        with transaction.atomic():
            response: HttpResponse = super().form_valid(form)  # type: ignore[misc]
            if response.status_code == 302:
                set_covered_assets(form.instance, form.covered, actor=self.request.user)
        return response


class ContractCreate(ContractFormMixin, ObjectCreate):
    model = Contract
    form_class = ContractForm

    def get_initial(self) -> dict[str, Any]:
        vendor = self.request.GET.get("vendor", "")
        return {"vendor": vendor} if vendor.isdigit() else {}


class ContractUpdate(ContractFormMixin, ObjectUpdate):
    model = Contract
    form_class = ContractForm


class ContractDelete(ObjectDelete):
    model = Contract
