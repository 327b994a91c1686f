"""Sign-in, second factor, own profile and tokens; accounts and roles admin.

(Foundation version: the accounts helper completes profile, tokens, users and
roles pages.)"""

from __future__ import annotations

from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "core/form_page.html"
    success_url = reverse_lazy("core:profile")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("core:login")


@login_required
def mfa(request: HttpRequest) -> HttpResponse:
    return render(request, "core/mfa.html", {})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return render(request, "core/profile.html", {})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    return render(request, "core/tokens.html", {})


@permission_required("core.manage_accounts", raise_exception=True)
def user_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/user_list.html", {})


@permission_required("core.manage_roles", raise_exception=True)
def role_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/role_list.html", {})
