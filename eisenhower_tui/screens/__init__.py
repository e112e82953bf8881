"""Screens of the matrix and the capture popup."""
