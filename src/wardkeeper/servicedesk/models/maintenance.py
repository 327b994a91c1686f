"""Preventive maintenance plans, inspection rounds, checklists and work orders
(owned by the maintenance work)."""

from __future__ import annotations

__all__ = []
