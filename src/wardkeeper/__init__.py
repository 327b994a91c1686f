"""Wardkeeper: the operations platform of a hospital's IT department."""

__version__ = "0.1.0"
