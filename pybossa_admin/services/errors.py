"""The error every service raises when a rule is broken: a message safe to show, plus the HTTP
status the web pages and the API answer with (ProjectError in projects.py has the same shape)."""
from __future__ import annotations


class ServiceError(ValueError):
    def __init__(self, message: str, status: int = 400, field: str | None = None):
        super().__init__(message)
        self.status, self.field = status, field
