"""What the ``import`` and ``export`` commands share: who acts, and the
progress line."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError, OutputWrapper
from django.utils.translation import gettext as _


def acting_user(username: str | None, permission: str | tuple[str, ...]) -> Any:
    """The user named by ``--as`` (``None`` without it), who must hold
    ``permission`` (every one of a tuple); refused with a ``CommandError``
    otherwise."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(
            _("No active account is named %(name)s.") % {"name": username}, returncode=1
        )
    needed = (permission,) if isinstance(permission, str) else permission
    if not user.has_perms(needed):
        raise CommandError(
            _("%(name)s may not do this (%(perm)s is needed).")
            % {"name": username, "perm": ", ".join(needed)},
            returncode=1,
        )
    return user


class ProgressLine:
    """``progress(done, total)`` as one line redrawn in place on a terminal,
    or a line at every tenth of the way when the output is a file or a pipe."""

    def __init__(self, out: OutputWrapper, label: str) -> None:
        self.out = out
        self.label = label
        self.tty = out.isatty()
        self.next_step = 0
        self.drawn = False

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total == 0 else done * 100 // total
        text = f"{self.label} {percent:3d}% ({done:,}/{total:,})"
        if self.tty:
            self.out.write("\r" + text, ending="")
            self.out.flush()
            self.drawn = True
        elif percent >= self.next_step:
            self.out.write(text)
            self.next_step = (percent // 10 + 1) * 10

    def close(self) -> None:
        if self.drawn:
            self.out.write("")
