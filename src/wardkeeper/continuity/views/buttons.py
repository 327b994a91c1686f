"""What the buttons of the backup and recovery pages share: a POST that one
permission allows, one service call, a message saying what it did or why
not, and a redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from wardkeeper.core.errors import DomainError

T = TypeVar("T")
View = Callable[..., HttpResponse]


def button(permission: str) -> Callable[[View], View]:
    """A view behind a form's button: signed in, holding ``permission``,
    POST only."""

    def wrap(view: View) -> View:
        allowed = permission_required(permission, raise_exception=True)
        return login_required(allowed(require_POST(view)))

    return wrap


def act(
    request: HttpRequest,
    call: Callable[[], T],
    back: str,
    done: str | Callable[[T], str] = "",
    onward: Callable[[T], str] | None = None,
) -> HttpResponse:
    """Run one service call for a button; say what it did (``done``, or
    ``done(result)``) and go ``onward(result)`` (else ``back``), or say why
    not and go ``back``."""
    try:
        result = call()
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    said: Any = done(result) if callable(done) else done
    if said:
        messages.success(request, said)
    return redirect(onward(result) if onward else back)
