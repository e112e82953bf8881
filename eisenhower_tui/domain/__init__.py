"""The rulebook: every change to a task, escalation, the filter grammar and undo history.

Pure: no file I/O, no Textual, no Rich (an import-linter contract keeps it so). The CLI, capture,
the matrix, import and merge call these functions; none keeps a copy of a rule.
"""
