"""What the ticket page's restore and problem panels show."""

from __future__ import annotations

from typing import Any

from django import template

from wardkeeper.core.views.generic import style_form

register = template.Library()


@register.simple_tag
def restore_panel(ticket: Any, user: Any) -> dict[str, Any]:
    """The spare a swap would take (or why none) and past swaps and RMAs."""
    from wardkeeper.servicedesk.views.restore import swap_panel

    return swap_panel(ticket, user)


@register.simple_tag
def problem_link_form(ticket: Any) -> Any:
    from wardkeeper.servicedesk.views.restore_forms import LinkProblemForm

    return style_form(
        LinkProblemForm(initial={"problem": ticket.problem_id}), small=True
    )
