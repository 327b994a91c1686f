"""``makemessages`` that also finds ``_t("…")``: modules that need both the
lazy and the immediate gettext import the latter as ``_t``, a name xgettext
does not know; without this their messages never reached the catalog and
showed in English whatever the reader's language."""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_t"]
