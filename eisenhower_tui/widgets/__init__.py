"""Widgets of the matrix."""
