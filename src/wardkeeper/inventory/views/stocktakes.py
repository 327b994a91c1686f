"""Stocktake pages: the list, opening a count, the count's page (results,
upload of a scanner's file, reconcile, close) and its reports.

The camera page lives in ``stocktake_scan``. Every action calls a function of
``inventory.services.stocktakes``, the same one the API calls.
"""

from __future__ import annotations

import functools
import operator
import re
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wardkeeper.core.errors import DomainError
from wardkeeper.core.views.generic import Column, ObjectDetail, ObjectList, style_form
from wardkeeper.inventory.choices import LocationKind, Reconciliation
from wardkeeper.inventory.filters import StocktakeFilter
from wardkeeper.inventory.models import Location, Stocktake, StocktakeLine
from wardkeeper.inventory.services import stocktakes as service
from wardkeeper.inventory.services.stocktake_reports import REPORT_ORDER

LINES_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class StocktakeList(ObjectList):
    """Every stocktake, newest first, filterable by status and name."""

    model = Stocktake
    queryset = Stocktake.objects.select_related("opened_by", "closed_by")
    filterset_class = StocktakeFilter
    columns = [
        Column(gettext_lazy("Name"), "name", link=True, css="fw-semibold"),
        Column(gettext_lazy("Status"), "status", badge=True),
        Column(gettext_lazy("Opened"), "opened_at"),
        Column(gettext_lazy("Opened by"), "opened_by"),
        Column(gettext_lazy("Closed"), "closed_at"),
    ]


class OpenStocktakeForm(forms.Form):
    """A name, and the places to count: chosen from the list or typed as codes."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=150)
    places = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Places to count"),
        queryset=Location.objects.exclude(kind=LocationKind.ROOM).order_by("full_name"),
        required=False,
        help_text=gettext_lazy(
            "A campus, building or floor includes every room inside it."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    rooms = forms.CharField(
        label=gettext_lazy("Room codes"),
        required=False,
        help_text=gettext_lazy(
            "To count single rooms: their codes, separated by spaces or commas."
        ),
    )

    def clean_rooms(self) -> list[Location]:
        codes = {
            c.upper() for c in re.split(r"[\s,;]+", self.cleaned_data["rooms"]) if c
        }
        if not codes:
            return []
        # Codes as typed may differ in case from the stored ones.
        query = functools.reduce(operator.or_, (Q(code__iexact=c) for c in codes))
        found = {place.code.upper(): place for place in Location.objects.filter(query)}
        unknown = sorted(codes - found.keys())
        if unknown:
            raise forms.ValidationError(
                _("No place has the code %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        return list(found.values())

    def locations(self) -> list[Location]:
        return [*self.cleaned_data["places"], *self.cleaned_data["rooms"]]


@login_required
@permission_required("inventory.add_stocktake", raise_exception=True)
def stocktake_open(request: HttpRequest) -> HttpResponse:
    """The form that opens a stocktake of some places."""
    form = style_form(OpenStocktakeForm(request.POST or None))
    if request.method == "POST" and form.is_valid():
        assert isinstance(form, OpenStocktakeForm)
        try:
            stocktake = service.open_stocktake(
                name=form.cleaned_data["name"],
                locations=form.locations(),
                actor=request.user,
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Stocktake opened."))
            return redirect("inventory:stocktake-detail", pk=stocktake.pk)
    return render(
        request,
        "inventory/stocktake_open.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


class UploadForm(forms.Form):
    """A scanner's CSV file."""

    file = forms.FileField(label=gettext_lazy("Scan file (CSV)"))


def lines_page(request: HttpRequest, stocktake: Stocktake) -> dict[str, Any]:
    """The page of result lines asked for, filtered by result and tag."""
    # What needs action first: missing, then wrong place, unexpected, found.
    order = Case(
        *(When(result=r, then=Value(i)) for i, r in enumerate(REPORT_ORDER)),
        output_field=IntegerField(),
    )
    lines = (
        StocktakeLine.objects.filter(stocktake=stocktake)
        .select_related("asset", "expected_location", "found_location")
        .order_by(order, "tag", "pk")
    )
    result = request.GET.get("result", "")
    if result in Reconciliation.values:
        lines = lines.filter(result=result)
    tag = request.GET.get("tag", "").strip()
    if tag:
        lines = lines.filter(tag__icontains=tag)
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page,
        "lines": page.object_list,
        "result": result,
        "tag": tag,
        "querystring": query.urlencode(),
    }


def progress(counts: dict[str, int]) -> dict[str, Any]:
    """How much of what the books expect has been seen."""
    expected = sum(counts[r] for r in ("found", "wrong_place", "missing"))
    seen = counts["found"] + counts["wrong_place"]
    return {
        "expected": expected,
        "seen": seen,
        "percent": round(100 * seen / expected) if expected else 0,
    }


class StocktakeDetail(ObjectDetail):
    """A stocktake's page: scope, counts by result, lines, and its actions."""

    model = Stocktake
    queryset = Stocktake.objects.select_related("opened_by", "closed_by")
    upload_form: forms.BaseForm | None = None
    upload_errors: list[str] = []

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        stocktake: Stocktake = self.object
        counts = service.result_counts(stocktake)
        scans = stocktake.scans.all()
        scan_count = scans.count()
        # Scans recorded since the last reconciliation are not in the results yet.
        stale = scan_count > 0 and (
            stocktake.reconciled_at is None
            or scans.filter(scanned_at__gt=stocktake.reconciled_at).exists()
        )
        context.update(
            scope=stocktake.locations.all(),
            results=[(choice, counts[choice.value]) for choice in Reconciliation],
            progress=progress(counts),
            scan_count=scan_count,
            stale=stale,
            upload_form=self.upload_form or style_form(UploadForm()),
            upload_errors=self.upload_errors,
            **lines_page(self.request, stocktake),
        )
        return context


class StocktakeUpload(StocktakeDetail):
    """Record the scans of a scanner's CSV file; bad lines are listed, and then
    nothing is recorded."""

    permission_required = "inventory.change_stocktake"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = stocktake = self.get_object()
        form = self.upload_form = style_form(UploadForm(request.POST, request.FILES))
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                count = service.record_scan_file(
                    stocktake, upload, filename=upload.name, actor=request.user
                )
            except service.ScanFileError as exc:
                self.upload_errors = exc.errors
            except DomainError as exc:
                self.upload_errors = [exc.message]
            else:
                messages.success(
                    request,
                    _(
                        "Recorded %(n)d scans from %(file)s. Reconcile to update the results."
                    )
                    % {"n": count, "file": upload.name},
                )
                return redirect("inventory:stocktake-detail", pk=stocktake.pk)
        return self.render_to_response(self.get_context_data(), status=400)


@login_required
@permission_required("inventory.change_stocktake", raise_exception=True)
def stocktake_reconcile(request: HttpRequest, pk: int) -> HttpResponse:
    """Compare the scans with the books now (POST)."""
    stocktake = get_object_or_404(Stocktake, pk=pk)
    if request.method != "POST":
        return redirect("inventory:stocktake-detail", pk=pk)
    try:
        counts = service.reconcile(stocktake)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _(
                "Reconciled: %(found)d found, %(missing)d missing, %(wrong)d in the wrong place, %(unexpected)d unexpected."
            )
            % {
                "found": counts["found"],
                "missing": counts["missing"],
                "wrong": counts["wrong_place"],
                "unexpected": counts["unexpected"],
            },
        )
    return redirect("inventory:stocktake-detail", pk=pk)


@login_required
@permission_required("inventory.change_stocktake", raise_exception=True)
def stocktake_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for confirmation (GET), then reconcile a last time and close (POST)."""
    stocktake = get_object_or_404(Stocktake, pk=pk)
    if request.method == "POST":
        try:
            service.close_stocktake(stocktake, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Stocktake closed."))
        return redirect("inventory:stocktake-detail", pk=pk)
    context = {
        "object": stocktake,
        "scan_count": stocktake.scans.count(),
    }
    return render(request, "inventory/stocktake_close.html", context)


def _report(
    stocktake: Stocktake, content: bytes, kind: str, suffix: str
) -> HttpResponse:
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = (
        f'attachment; filename="stocktake-{stocktake.pk}-{stamp}.{suffix}"'
    )
    return response


@login_required
@permission_required("inventory.view_stocktake", raise_exception=True)
def stocktake_report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The stocktake report as PDF."""
    stocktake = get_object_or_404(Stocktake, pk=pk)
    pdf = service.stocktake_report_pdf(stocktake)
    return _report(stocktake, pdf, "application/pdf", "pdf")


@login_required
@permission_required("inventory.view_stocktake", raise_exception=True)
def stocktake_report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The stocktake report as an Excel workbook."""
    stocktake = get_object_or_404(Stocktake, pk=pk)
    return _report(stocktake, service.stocktake_report_xlsx(stocktake), XLSX, "xlsx")
