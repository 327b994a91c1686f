"""Roles administration (the security administrator): what each role may do,
who holds it, granting and removing roles, resetting a lost second factor."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import Group
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from wardkeeper.core import accounts, mfa, roles
from wardkeeper.core.errors import DomainError
from wardkeeper.core.forms import RolesForm
from wardkeeper.core.models import User
from wardkeeper.core.views.accounts import current_user
from wardkeeper.core.views.users import require_permission, user_rows

MANAGE = "core.manage_roles"
ROLE_GROUPS = [
    {
        "title": _lazy("Administrator duties"),
        "hint": _lazy(
            "At most one per account. The audit administrator holds no other role."
        ),
        "roles": [role for role in roles.ROLES if role.admin_duty],
    },
    {
        "title": _lazy("Positions"),
        "hint": "",
        "roles": [role for role in roles.ROLES if not role.admin_duty],
    },
]


@require_permission(MANAGE)
def role_list(request: HttpRequest) -> HttpResponse:
    """Every role: what it may do, in words, and how many people hold it."""
    counts = dict(
        Group.objects.annotate(members=Count("user")).values_list("name", "members")
    )
    rows = [
        {
            "role": role,
            "can": roles.describe_permissions(role.permissions),
            "members": counts.get(role.code, 0),
        }
        for role in roles.ROLES
    ]
    return render(request, "core/role_list.html", {"rows": rows})


@require_permission(MANAGE)
def role_user_list(request: HttpRequest) -> HttpResponse:
    """Accounts and the roles they hold, to pick one to change."""
    return render(request, "core/role_user_list.html", user_rows(request))


@require_permission(MANAGE)
def user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant and remove the roles of one account."""
    account = get_object_or_404(User.objects.prefetch_related("groups"), pk=pk)
    is_self = account.pk == request.user.pk
    form = RolesForm(
        request.POST or None, initial={"roles": sorted(account.role_codes())}
    )
    if form.is_valid():
        try:
            accounts.set_roles(
                account, form.cleaned_data["roles"], actor=current_user(request)
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Roles of %(name)s saved.") % {"name": account})
            return redirect("core:user-roles", pk=pk)
    context = {
        "account": account,
        "form": form,
        "is_self": is_self,
        "role_groups": ROLE_GROUPS,
        "checked": set(form["roles"].value() or []),
        "has_mfa": mfa.confirmed_device(account) is not None,
    }
    return render(request, "core/user_roles.html", context)


@require_POST
@require_permission(MANAGE)
def user_mfa_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a person's authenticator (a lost phone): they enrol anew at
    their next sign-in."""
    account = get_object_or_404(User, pk=pk)
    if account.pk == request.user.pk:
        messages.error(request, _("Replace your own authenticator from your profile."))
    else:
        mfa.reset(account, actor=current_user(request))
        messages.success(
            request,
            _(
                "The second factor of %(name)s was reset; they set up a new one at their next sign-in."
            )
            % {"name": account},
        )
    return redirect("core:user-roles", pk=pk)
