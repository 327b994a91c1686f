"""Signing in and out: the password step, the second-factor step (checking a
code, or enrolling an authenticator the first time), replacing or removing
one's own authenticator, and the person's language applied at sign-in.

After a correct password, a person who needs a second factor is not signed in
yet: the session only remembers, for a few minutes, who passed the password
step. Only a correct code completes the sign-in, so no session ever exists
that has passed the password but not the code.
"""

from __future__ import annotations

import time
from typing import Any

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from wardkeeper.core import mfa
from wardkeeper.core.forms import CodeForm, PasswordChangeForm
from wardkeeper.core.models import User

PENDING = "wk_pending_sign_in"
PENDING_SECONDS = 300  # time allowed between the password and the code


def current_user(request: HttpRequest) -> User:
    """The signed-in person (the views using this require a sign-in)."""
    user = request.user
    assert isinstance(user, User)
    return user


def apply_language(response: HttpResponse, code: str) -> HttpResponse:
    """Make the next pages speak the person's chosen language."""
    if code and code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
    return response


def complete_sign_in(
    request: HttpRequest, user: Any, next_url: str, device: TOTPDevice | None = None
) -> HttpResponse:
    """Sign ``user`` in (with the device that verified them, if any)."""
    if not request.user.is_authenticated:
        auth.login(request, user, backend=getattr(user, "backend", None))
    if device is not None:
        django_otp.login(request, device)
    request.session.pop(PENDING, None)
    if user.language:
        translation.activate(user.language)
    if user.is_break_glass:
        messages.warning(
            request,
            _(
                "You are using the break-glass emergency account. Everything you do "
                "is flagged in the audit trail; have it resealed when you are done."
            ),
        )
    return apply_language(redirect(next_url), user.language)


class LoginView(auth_views.LoginView):
    """The password step; a second factor, when needed, follows."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        next_url = self.get_success_url()
        if not mfa.needs_second_factor(user):
            return complete_sign_in(self.request, user, next_url)
        session = self.request.session
        session.cycle_key()  # a new session id once the password is proven
        session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": next_url,
            "at": time.time(),
        }
        return redirect("core:mfa")


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password (forced after an administrator set it)."""

    template_name = "core/form_page.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("core:profile")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(title=_("Change password"), submit_label=_("Change password"))
        if current_user(self.request).must_change_password:
            context.update(
                intro=_(
                    "An administrator set your password. Choose your own before you "
                    "continue."
                ),
                intro_level="warning",
            )
        else:
            context["cancel_url"] = reverse("core:profile")
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password was changed."))
        return response


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("core:login")


def _subject(request: HttpRequest) -> tuple[User | None, str]:
    """Who is taking the second-factor step, and where they go next."""
    home = reverse("core:home")
    if request.user.is_authenticated:
        wanted = request.GET.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            wanted,
            allowed_hosts={request.get_host()},
            require_https=request.is_secure(),
        )
        return current_user(request), wanted if safe else home
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        return None, home
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is not None:
        user.backend = pending["backend"]  # type: ignore[attr-defined]
    return user, pending["next"]


def _refusal(outcome: mfa.Check) -> str:
    if outcome is mfa.Check.THROTTLED:
        return _("Too many wrong codes. Wait a minute, then try the newest code.")
    return _(
        "That code is not right. Type the six digits your authenticator app shows "
        "now, and check that the phone's clock is correct."
    )


@never_cache
@sensitive_post_parameters("code")
def mfa_step(request: HttpRequest) -> HttpResponse:
    """Second factor at sign-in: check a code, or enrol a first authenticator."""
    user, next_url = _subject(request)
    if user is None:
        messages.info(request, _("The sign-in took too long. Sign in again."))
        return redirect("core:login")
    if request.user.is_authenticated and mfa.is_verified(request.user):
        return redirect(next_url)
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return get_lockout_response(request, None, credentials)
    device = mfa.confirmed_device(user)
    enrolling = device is None
    if device is None:
        device = mfa.pending_device(user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        outcome = mfa.check(device, form.cleaned_data["code"])
        if outcome is mfa.Check.ACCEPTED:
            if enrolling:
                mfa.confirm_enrolment(device, actor=user)
            return complete_sign_in(request, user, next_url, device)
        form.add_error("code", _refusal(outcome))
        # Wrong codes count towards the same lockout as wrong passwords.
        user_login_failed.send(__name__, credentials=credentials, request=request)
    context = {"form": form, "enrolling": enrolling, "subject": user}
    if enrolling:
        context.update(qr=mfa.provisioning_svg(device), secret=mfa.secret_text(device))
    return render(request, "core/mfa.html", context)


@never_cache
@login_required
@sensitive_post_parameters("code")
def mfa_enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator from the profile, or replace the current one;
    the old one keeps working until the new one has shown a correct code."""
    user = current_user(request)
    if mfa.confirmed_device(user) is not None and not mfa.is_verified(user):
        return redirect(f"{reverse('core:mfa')}?next={reverse('core:mfa-enrol')}")
    device = mfa.pending_device(user, fresh=request.method == "GET")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        outcome = mfa.check(device, form.cleaned_data["code"])
        if outcome is mfa.Check.ACCEPTED:
            mfa.confirm_enrolment(device, actor=user)
            django_otp.login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect("core:profile")
        form.add_error("code", _refusal(outcome))
    context = {
        "form": form,
        "enrolling": True,
        "replacing": mfa.confirmed_device(user) is not None,
        "subject": user,
        "qr": mfa.provisioning_svg(device),
        "secret": mfa.secret_text(device),
    }
    return render(request, "core/mfa.html", context)


@require_POST
@login_required
def mfa_remove(request: HttpRequest) -> HttpResponse:
    """Stop using a second factor, for people whose roles do not demand one."""
    if mfa.is_required(request.user):
        messages.error(request, _("Your roles require a second factor."))
    else:
        mfa.reset(request.user, actor=current_user(request))
        messages.success(request, _("The second factor was removed."))
    return redirect("core:profile")
