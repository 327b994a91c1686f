"""The asset pages: the working list, the asset's page with its lifecycle
panel and attachments, and the record's form."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wardkeeper.core.models import Attachment
from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
    style_form,
)
from wardkeeper.inventory.asset_rows import with_row_relations
from wardkeeper.inventory.choices import Criticality, FieldType
from wardkeeper.inventory.filters import AssetFilter
from wardkeeper.inventory.forms import (
    AssetForm,
    AttachmentForm,
    ExtraFieldsForm,
    MoveForm,
)
from wardkeeper.inventory.models import Asset, AssetType, Location
from wardkeeper.inventory.models.assets import LifecycleRefused
from wardkeeper.inventory.models.locations import SEPARATOR
from wardkeeper.inventory.services.lifecycle import move_asset

COMPONENTS_SHOWN = 20
# Refusals about these inputs are also shown beside the input at fault.
MOVE_FIELDS = frozenset({"reason", "wipe_method", "wipe_performed_by"})


class AssetList(ObjectList):
    """The main working page: find equipment by what is known about it."""

    model = Asset
    queryset = with_row_relations(Asset.objects.all())
    filterset_class = AssetFilter
    template_name = "inventory/asset_list.html"
    filter_fields = ("q", "status", "asset_type", "department", "campus")
    filter_more = (
        "category",
        "model",
        "manufacturer",
        "vendor",
        "condition",
        "warranty_before",
        "purchased_after",
        "purchased_before",
    )
    columns = [
        Column(gettext_lazy("Tag"), "tag", link=True, css="fw-semibold"),
        Column(gettext_lazy("Name"), "name", css="wk-wrap wk-wide"),
        Column(
            gettext_lazy("Type"), "asset_type.display_name", css="wk-wrap wk-phone-hide"
        ),
        Column(gettext_lazy("Model"), "model", css="wk-wrap"),
        Column(gettext_lazy("Status"), "status", badge=True),
        Column(
            gettext_lazy("Location"),
            "location",
            css="wk-wrap",
            template="inventory/cells/asset_place.html",
        ),
        Column(gettext_lazy("Department"), "department", css="wk-wrap"),
        Column(gettext_lazy("IP address"), "ip_address"),
    ]

    def get_filterset(self, filterset_class: Any) -> Any:
        filterset = super().get_filterset(filterset_class)
        status = filterset.form.fields["status"]
        # Toggle chips instead of a multiple select: one tap per state on a phone.
        status.widget = forms.CheckboxSelectMultiple(choices=status.choices)
        return filterset

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        place = self.request.GET.get("location", "")
        parent = self.request.GET.get("parent", "")
        for asset in context["object_list"]:
            asset.place_path = place_path(asset.location)
        query = self.request.GET.copy()
        for key in ("page", "location"):
            query.pop(key, None)
        context.update(
            query_without_place=query.urlencode(),
            within_place=Location.objects.filter(pk=place).first()
            if place.isdigit()
            else None,
            parent_asset=Asset.objects.filter(pk=parent).first()
            if parent.isdigit()
            else None,
        )
        return context


class AssetDetail(ObjectDetail):
    """An asset's page: facts, parts, cover, lifecycle, attachments, history."""

    model = Asset
    queryset = Asset.objects.select_related(
        "model__manufacturer",
        "asset_type",
        "location",
        "department",
        "vendor",
        "parent",
    )
    move_form: MoveForm | None = None
    attach_form: AttachmentForm | None = None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        asset: Asset = self.object
        context.update(asset_facts(asset))
        context.update(self.panels(asset))
        return context

    def panels(self, asset: Asset) -> dict[str, Any]:
        """Parts, cover, lifecycle and attachments, each a bounded query."""
        user = self.request.user
        has_wipe = asset.wipe_records.exists()
        return {
            "components": asset.components.select_related("asset_type")[
                :COMPONENTS_SHOWN
            ],
            "components_count": asset.components.count(),
            "contracts": asset.contracts.select_related("vendor").order_by("-ends_on"),
            "events": asset.lifecycle_events.select_related("actor")[:50],
            "wipes": asset.wipe_records.all() if has_wipe else [],
            "attachments": attachments_of(asset),
            "allowed_moves": asset.allowed_moves(),
            "move_form": style_form(self.move_form or MoveForm(asset)),
            "attach_form": self.attach_form or style_form(AttachmentForm()),
            "can_move": user.has_perm("inventory.move_asset"),
            "wipe_needed": asset.asset_type.stores_data and not has_wipe,
            "can_wipe": user.has_perm("inventory.add_datawiperecord"),
            "upload_max_mb": settings.UPLOAD_MAX_MB,
        }


def asset_facts(asset: Asset) -> dict[str, Any]:
    """What the facts card shows beyond the asset's own fields."""
    return {
        "today": timezone.localdate(),
        "criticality": Criticality(asset.criticality),
        "criticality_source": criticality_source(asset),
        "book_value": money(asset.book_value()),
        "network": joined(asset.hostname, asset.ip_address, asset.mac_address),
        "purchase": joined(
            asset.purchase_order,
            asset.purchase_date.isoformat() if asset.purchase_date else "",
            money(asset.purchase_cost),
        ),
        "own_fields": own_field_values(asset),
    }


class AssetMove(AssetDetail):
    """A lifecycle move from the asset's page; a refusal shows its reason."""

    permission_required = "inventory.move_asset"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = asset = self.get_object()
        form = self.move_form = MoveForm(asset, request.POST)
        if form.is_valid() and self.move(asset, form):
            return redirect("inventory:asset-detail", pk=asset.pk)
        context = self.get_context_data(object=asset)
        return self.render_to_response(context, status=400)

    def move(self, asset: Asset, form: MoveForm) -> bool:
        """Call the lifecycle service; a refusal lands on the page and the form."""
        wipe = form.wipe()
        if wipe is not None and not self.request.user.has_perm(
            "inventory.add_datawiperecord"
        ):
            raise PermissionDenied
        previous = asset.get_status_display()
        try:
            move_asset(
                asset,
                form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                actor=self.request.user,
                wipe=wipe,
            )
        except LifecycleRefused as exc:
            messages.error(self.request, exc.message)
            if exc.field in MOVE_FIELDS:
                form.add_error(exc.field, exc.message)
            return False
        messages.success(
            self.request,
            _("%(asset)s moved from %(old)s to %(new)s.")
            % {"asset": asset.tag, "old": previous, "new": asset.get_status_display()},
        )
        return True


class AssetAttach(AssetDetail):
    """Upload a file kept with the asset (an invoice, a repair report)."""

    permission_required = "inventory.change_asset"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = asset = self.get_object()
        form = self.attach_form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            attachment = form.save(commit=False)
            attachment.target = asset
            attachment.uploaded_by = request.user
            attachment.save()
            messages.success(request, _("Attached %(file)s.") % {"file": attachment})
            return redirect("inventory:asset-detail", pk=asset.pk)
        style_form(form)
        context = self.get_context_data(object=asset)
        return self.render_to_response(context, status=400)


@login_required
@permission_required("inventory.view_asset", raise_exception=True)
def asset_attachment(request: HttpRequest, pk: int, attachment: int) -> FileResponse:
    """Download a file kept with an asset (always as a download, never inline)."""
    found = get_object_or_404(Attachment.objects.of(Asset, pk), pk=attachment)
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=str(found))


class AssetCreate(ObjectCreate):
    model = Asset
    form_class = AssetForm
    template_name = "inventory/asset_form.html"

    def get_initial(self) -> dict[str, Any]:
        # "Add a component" and similar links pre-fill the form from the query.
        wanted = ("model", "location", "department", "parent", "status", "vendor")
        return {key: self.request.GET[key] for key in wanted if key in self.request.GET}


class AssetUpdate(ObjectUpdate):
    model = Asset
    form_class = AssetForm
    template_name = "inventory/asset_form.html"


class AssetDelete(ObjectDelete):
    model = Asset


@login_required
@permission_required("inventory.view_asset", raise_exception=True)
def asset_lookup(request: HttpRequest) -> JsonResponse:
    """Suggestions for an asset-tag input: tags starting with, names containing."""
    text = request.GET.get("q", "").strip()
    rows = (
        Asset.objects.filter(Q(tag__istartswith=text) | Q(name__icontains=text))
        .order_by("tag")
        .values_list("tag", "name")[:15]
        if len(text) >= 2
        else []
    )
    return JsonResponse(
        {"results": [{"value": tag, "label": name} for tag, name in rows]}
    )


@login_required
def asset_extra_fields(request: HttpRequest) -> HttpResponse:
    """The own fields of the type of the model picked in the asset form."""
    if not (
        request.user.has_perm("inventory.add_asset")
        or request.user.has_perm("inventory.change_asset")
    ):
        raise PermissionDenied
    model, asset = request.GET.get("model", ""), request.GET.get("asset", "")
    asset_type = (
        AssetType.objects.filter(models__pk=model).first() if model.isdigit() else None
    )
    extra = (
        Asset.objects.filter(pk=asset).values_list("extra", flat=True).first()
        if asset.isdigit()
        else None
    )
    form = style_form(ExtraFieldsForm(asset_type, extra=extra))
    return render(
        request,
        "inventory/includes/asset_extra_fields.html",
        {"fields": list(form), "asset_type": asset_type},
    )


def joined(*parts: Any) -> str:
    return " · ".join(str(part) for part in parts if part)


def money(amount: Decimal | None) -> str:
    return "" if amount is None else number_format(amount, 2, force_grouping=True)


def place_path(place: Location | None) -> str:
    """Where a room is below its campus, as in "Surgery Building · 3F"."""
    if place is None:
        return ""
    return " · ".join(place.full_name.split(SEPARATOR)[1:-1])


def criticality_source(asset: Asset) -> str:
    if asset.criticality_override is not None:
        return "override"
    return "room" if asset.location_id else "default"


def own_field_values(asset: Asset) -> list[tuple[str, Any]]:
    """(label, shown value) of each of the type's own fields."""
    values = []
    for spec in asset.asset_type.extra_fields or []:
        value = (asset.extra or {}).get(spec["key"])
        if spec.get("type") == FieldType.BOOLEAN and value is not None:
            value = _("yes") if value else _("no")
        values.append((spec.get("label") or spec["key"], value))
    return values


def attachments_of(asset: Asset) -> list[Attachment]:
    return list(Attachment.objects.of(Asset, asset.pk))
