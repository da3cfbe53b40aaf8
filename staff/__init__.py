"""Pieces every app's staff surface shares: API rules, roles, pagination, history admin.

The bottom layer: it imports no app of this project (docs/architecture.md).
"""
