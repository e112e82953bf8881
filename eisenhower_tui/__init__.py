"""Keyboard-driven Eisenhower matrix for the terminal."""

__version__ = "0.1.0"
