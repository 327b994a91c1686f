"""Backup destinations and jobs: lists, pages and forms. A job's page shows
its runs, the sizes of its recent runs and its open findings; its webhook
token is shown once, when it is issued."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wardkeeper.continuity.choices import FindingState
from wardkeeper.continuity.forms_backups import (
    BackupDestinationFilter,
    BackupDestinationForm,
    BackupJobFilter,
    BackupJobForm,
)
from wardkeeper.continuity.models import (
    BackupDestination,
    BackupJob,
    BackupRun,
    ProtectedSystem,
)
from wardkeeper.continuity.services import jobs as job_service
from wardkeeper.continuity.services import readers
from wardkeeper.continuity.services.criticality import span_text
from wardkeeper.continuity.services.rpo import SUCCESSFUL, last_success_by_job
from wardkeeper.continuity.views.buttons import act, button
from wardkeeper.core.views.generic import (
    Column,
    ObjectCreate,
    ObjectDelete,
    ObjectDetail,
    ObjectList,
    ObjectUpdate,
)

CELLS = "continuity/job_cells"
CHART_RUNS = 60  # the size chart shows this many recent runs


def job_rows(
    jobs: QuerySet[BackupJob], system: ProtectedSystem | None = None
) -> list[BackupJob]:
    """Jobs with their last run, last success and its age, overdue when older
    than the RPO (of ``system``, or each job's own system) or, if longer,
    the destination's stale days."""
    now = timezone.now()
    rows: list[BackupJob] = list(jobs.annotate(last_run_at=Max("runs__started_at")))
    lasts = last_success_by_job(BackupJob.objects.filter(pk__in=[j.pk for j in rows]))
    last_at = {job.pk: getattr(job, "last_run_at", None) for job in rows}
    latest = {
        run.job_id: run
        for run in BackupRun.objects.filter(
            job__in=rows, started_at__in=[at for at in last_at.values() if at]
        )
        if run.started_at == last_at[run.job_id]
    }
    for job in rows:
        owner = system or job.system
        job.last_run = latest.get(job.pk)  # type: ignore[attr-defined]
        job.last_success = lasts.get(job.pk)  # type: ignore[attr-defined]
        last = job.last_success  # type: ignore[attr-defined]
        age = max(now - last, dt.timedelta(0)) if last else None
        job.age_text = span_text(age)  # type: ignore[attr-defined]
        # A tape written weekly is late after its destination's stale days,
        # not after a 15-minute RPO that other jobs of the system meet.
        limit = max(owner.rpo, dt.timedelta(days=job.destination.stale_days))
        job.overdue = job.enabled and (age is None or age > limit)  # type: ignore[attr-defined]
    return rows


class DestinationList(ObjectList):
    model = BackupDestination
    queryset = (
        BackupDestination.objects.select_related("location")
        .order_by("name")
        .annotate(
            job_count=Count("jobs"),
            last_written=Max(
                Coalesce("jobs__runs__finished_at", "jobs__runs__started_at"),
                filter=Q(jobs__runs__status__in=SUCCESSFUL),
            ),
        )
    )
    filterset_class = BackupDestinationFilter
    filter_fields = ("q", "media", "offsite")
    filter_more = ("immutable", "offline")
    columns = [
        Column(_("Name"), "name", link=True),
        Column(_("Medium"), "media"),
        Column(_("Offsite"), "offsite", yesno=True),
        Column(_("Immutable"), "immutable", yesno=True),
        Column(_("Offline"), "offline", yesno=True),
        Column(_("Location"), "location"),
        Column(_("Jobs"), "job_count", css="text-end"),
        Column(_("Last written"), "last_written"),
    ]


class DestinationDetail(ObjectDetail):
    model = BackupDestination
    queryset = BackupDestination.objects.select_related("location", "asset")

    def get_template_names(self) -> list[str]:
        return ["continuity/destination_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        destination = self.object
        jobs = destination.jobs.select_related("system").order_by("system", "name")
        context.update(
            jobs=job_rows(jobs),
            stale_after=span_text(dt.timedelta(days=destination.stale_days)),
            findings=destination.findings.filter(state=FindingState.OPEN)[:20],
        )
        return context


class DestinationCreate(ObjectCreate):
    model = BackupDestination
    form_class = BackupDestinationForm


class DestinationUpdate(ObjectUpdate):
    model = BackupDestination
    form_class = BackupDestinationForm


class DestinationDelete(ObjectDelete):
    model = BackupDestination


class JobList(ObjectList):
    model = BackupJob
    queryset = BackupJob.objects.select_related("system", "destination").order_by(
        "system__criticality", "system__name", "name"
    )
    filterset_class = BackupJobFilter
    filter_fields = ("q", "system", "tool", "destination")
    filter_more = ("enabled",)
    columns = [
        Column(_("System"), "system"),
        Column(_("Name"), "name", link=True),
        # Tool and destination are on the job's page; below 992 px the row
        # keeps to when it runs and how it went.
        Column(_("Tool"), "tool", css="wk-wrap d-none d-lg-table-cell"),
        Column(_("Destination"), "destination", css="wk-wrap d-none d-lg-table-cell"),
        Column(_("Schedule"), "schedule", css="wk-wrap"),
        Column(_("Last run"), "last_run", template=f"{CELLS}/last_run.html"),
        Column(_("Last success"), "age_text", template=f"{CELLS}/age.html"),
    ]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["object_list"] = _in_order(context["object_list"])
        return context


def _in_order(page: Any) -> list[BackupJob]:
    jobs = BackupJob.objects.filter(pk__in=[job.pk for job in page])
    rows = job_rows(jobs.select_related("system", "destination"))
    by_pk = {job.pk: job for job in rows}
    return [by_pk[job.pk] for job in page]


class JobDetail(ObjectDetail):
    model = BackupJob
    queryset = BackupJob.objects.select_related("system", "destination")

    def get_template_names(self) -> list[str]:
        return ["continuity/job_detail.html"]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        job = self.object
        runs = Paginator(job.runs.order_by("-started_at"), 25).get_page(
            self.request.GET.get("page")
        )
        context.update(
            row=job_rows(BackupJob.objects.filter(pk=job.pk))[0],
            runs=runs,
            page_obj=runs,
            chart=size_chart(job),
            findings=job.findings.filter(state=FindingState.OPEN)[:20],
            data_stores=job.data_stores.all(),
            has_password=bool(job.repository_password),
            can_token=self.request.user.has_perm("continuity.change_backupjob"),
            can_read=bool(job.repository) and job.tool in readers.READERS,
        )
        return context


def size_chart(job: BackupJob) -> dict[str, Any]:
    """The recent runs' sizes (GB) and end times for the page's chart, with
    the expected size when one is set."""
    runs = list(
        job.runs.filter(size_bytes__isnull=False).order_by("-started_at")[:CHART_RUNS]
    )
    gb = 1024**3
    points = [
        [run.ended_at.isoformat(), round((run.size_bytes or 0) / gb, 2), run.status]
        for run in reversed(runs)
    ]
    expected = job.expected_size_bytes
    return {
        "points": points,
        "expected": round(expected / gb, 2) if expected else None,
        "labels": {"size": str(_("Size (GB)")), "expected": str(_("Expected"))},
    }


class JobCreate(ObjectCreate):
    """A new job; its webhook token is issued at once and shown once."""

    model = BackupJob
    form_class = BackupJobForm
    initial_from_query = ("system", "destination")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if response.status_code != 302:  # refused: the form again
            return response
        return token_page(self.request, form.instance)


class JobUpdate(ObjectUpdate):
    model = BackupJob
    form_class = BackupJobForm


class JobDelete(ObjectDelete):
    model = BackupJob


def token_page(request: HttpRequest, job: BackupJob) -> HttpResponse:
    """Issue a webhook token and show it, with the address it is used at."""
    token = job_service.issue_webhook_token(job)
    try:
        hook = reverse("continuity:backupjob-hooks")
        in_path = reverse("continuity:backupjob-hook", args=[token])
    except NoReverseMatch:  # the ingest endpoint is not mounted
        hook = in_path = ""
    context = {
        "job": job,
        "token": token,
        "hook": request.build_absolute_uri(hook) if hook else "",
        "hook_in_path": request.build_absolute_uri(in_path) if in_path else "",
    }
    return render(request, "continuity/job_token.html", context)


@button("continuity.change_backupjob")
def regenerate_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a new webhook token; the old one stops working."""
    return token_page(request, get_object_or_404(BackupJob, pk=pk))


@button("continuity.change_backupjob")
def read_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the job's restic or borg repository now, not at the next round."""
    job = get_object_or_404(BackupJob, pk=pk)
    return act(
        request,
        partial(readers.read_now, job, actor=request.user),
        reverse("continuity:backupjob-detail", args=[job.pk]),
        lambda outcome: (
            _t("The repository was read: %(n)d new runs.") % {"n": outcome.created}
        ),
    )
