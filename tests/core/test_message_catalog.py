"""The catalog holds every message, whichever name the code calls gettext by."""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext

import wardkeeper

SOURCE = Path(wardkeeper.__file__).parent


def immediate_messages() -> set[str]:
    """Every literal message passed to ``_t(…)`` in the source: the name a
    module gives ``gettext`` when it also needs the lazy one as ``_``."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_t"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def test_messages_given_through_t_are_translated():
    messages = immediate_messages()
    assert len(messages) > 50  # the views' flash messages, among others
    with translation.override("zh-hans"):
        english = sorted(text for text in messages if gettext(text) == text)
    assert english == []
