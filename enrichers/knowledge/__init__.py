"""Remediation knowledge as data: one YAML file per failure class (<class-code>.yaml).

Nothing but data lives here; enrichers.remediation loads and validates it. docs/remediation.md describes
the layout and how to add an entry.
"""
