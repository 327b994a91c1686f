"""Accounts administration (the system administrator): find, create, edit,
disable and enable accounts, reset passwords. Granting roles is not here: it
is the security administrator's duty (views/roles.py)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from wardkeeper.core import accounts
from wardkeeper.core.errors import DomainError
from wardkeeper.core.forms import AccountCreateForm, AccountForm, UserFilter
from wardkeeper.core.models import User
from wardkeeper.core.views.accounts import current_user

MANAGE = "core.manage_accounts"
View = Callable[..., HttpResponse]


def require_permission(perm: str) -> Callable[[View], View]:
    """Signed-out visitors go to the sign-in page; signed-in people without
    ``perm`` get 403 (Django's own decorator cannot do both)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return guarded

    return decorate


def user_rows(request: HttpRequest) -> dict[str, Any]:
    """The filtered, paginated accounts with their roles and second factor, in
    a fixed number of queries (roles are prefetched, the rest annotated)."""
    queryset = (
        User.objects.prefetch_related("groups")
        .annotate(
            has_mfa=Exists(
                TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
            )
        )
        .order_by("username")
    )
    found = UserFilter(request.GET, queryset=queryset)
    page = Paginator(found.qs.distinct(), _per_page(request)).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter": found,
        "page_obj": page,
        "users": page.object_list,
        "querystring": query.urlencode(),
    }


def _per_page(request: HttpRequest) -> int:
    try:
        return max(10, min(200, int(request.GET.get("per_page", 50))))
    except ValueError:
        return 50


@require_permission(MANAGE)
def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/user_list.html", user_rows(request))


def _show_password(request: HttpRequest, user: User, password: str) -> HttpResponse:
    """The one page that shows a generated password; never cached."""
    return render(
        request, "core/user_password.html", {"account": user, "password": password}
    )


@never_cache
@require_permission(MANAGE)
def user_add(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            user, generated = accounts.create_account(
                actor=current_user(request),
                password=data.pop("password") or None,
                must_change_password=True,
                **data,
            )
        except DomainError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            if generated:
                return _show_password(request, user, generated)
            messages.success(
                request, _("Account %(name)s created.") % {"name": user.username}
            )
            return redirect("core:user-detail", pk=user.pk)
    return render(request, "core/user_form.html", {"form": form, "account": None})


@require_permission(MANAGE)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User.objects.prefetch_related("groups"), pk=pk)
    tokens = account.api_tokens.aggregate(
        active=Count("pk", filter=Q(revoked_at__isnull=True))
    )
    context = {
        "account": account,
        "has_mfa": TOTPDevice.objects.filter(user=account, confirmed=True).exists(),
        "tokens": tokens,
        "used_since_sealed": account.is_break_glass
        and account.last_login is not None
        and (
            account.password_changed_at is None
            or account.last_login > account.password_changed_at
        ),
    }
    return render(request, "core/user_detail.html", context)


@require_permission(MANAGE)
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    form = AccountForm(request.POST or None, instance=User.objects.get(pk=pk))
    if form.is_valid():
        accounts.update_account(
            account, actor=current_user(request), **form.cleaned_data
        )
        messages.success(request, _("Saved %(name)s.") % {"name": account})
        return redirect("core:user-detail", pk=pk)
    return render(request, "core/user_form.html", {"form": form, "account": account})


def _set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    try:
        accounts.set_active(account, active, actor=current_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = (
            _("%(name)s can sign in again.")
            if active
            else _("%(name)s is disabled: signed out everywhere, tokens stopped.")
        )
        messages.success(request, text % {"name": account})
    return redirect("core:user-detail", pk=pk)


@require_POST
@require_permission(MANAGE)
def user_disable(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, False)


@require_POST
@require_permission(MANAGE)
def user_enable(request: HttpRequest, pk: int) -> HttpResponse:
    return _set_active(request, pk, True)


@never_cache
@require_POST
@require_permission(MANAGE)
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(User, pk=pk)
    if account.pk == request.user.pk:
        messages.error(request, _("Change your own password from your profile."))
        return redirect("core:user-detail", pk=pk)
    return _show_password(
        request, account, accounts.reset_password(account, actor=current_user(request))
    )
