"""Monitoring's pages, one module per part."""
