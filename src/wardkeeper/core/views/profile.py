"""A person's own account: details and language, sign-in security, API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from wardkeeper.core import accounts, mfa, roles
from wardkeeper.core.errors import DomainError
from wardkeeper.core.forms import ProfileForm, TokenForm
from wardkeeper.core.models import ApiToken, User
from wardkeeper.core.views.accounts import apply_language, current_user


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """Own details, language, password and second-factor status, roles."""
    user = current_user(request)
    # The form edits a copy, so a refused form leaves the page header alone.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=user.pk))
    if form.is_valid():
        accounts.update_account(user, actor=user, **form.cleaned_data)
        messages.success(request, _("Your details were saved."))
        return apply_language(redirect("core:profile"), user.language)
    held = user.role_codes()
    context = {
        "form": form,
        "device": mfa.confirmed_device(user),
        "mfa_required": mfa.is_required(user),
        "roles": [role for role in roles.ROLES if role.code in held],
        "active_tokens": ApiToken.objects.usable().filter(user=user).count(),
    }
    return render(request, "core/profile.html", context)


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """Own API tokens: make one (its secret is shown on this response only),
    see when each was last used, revoke."""
    user = current_user(request)
    form = TokenForm(request.POST or None)
    new_token = None
    if form.is_valid():
        try:
            token, raw = accounts.issue_token(user, actor=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field or None, exc.message)
        else:
            new_token = {"token": token, "raw": raw}
            form = TokenForm()
    page = Paginator(ApiToken.objects.filter(user=user), 25).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "new_token": new_token,
        "page_obj": page,
        "tokens": page.object_list,
        "now": timezone.now(),
    }
    return render(request, "core/tokens.html", context)


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of one's own tokens."""
    token = get_object_or_404(ApiToken, pk=pk, user=current_user(request))
    try:
        accounts.revoke_token(token, actor=current_user(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("core:token-list")
