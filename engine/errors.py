"""Domain errors; the web layer maps each class to one HTTP status in one place."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user can cause; the message is a sentence for that user."""


class NotFound(DomainError):
    """The thing asked for does not exist (or the user may not know it exists)."""


class Forbidden(DomainError):
    """The user is known but may not do this."""


class Conflict(DomainError):
    """The state changed under the user: retry or reload."""


class TaskNotReady(Conflict):
    """The task was completed or cancelled meanwhile."""


class StaleInstance(Conflict):
    """Someone else saved the same process instance first."""


class ValidationFailed(DomainError):
    """Submitted values are wrong; `errors` maps each field id to a sentence, `confirm` each unclear amount
    (`45,000`) to the reading the form offers back for the person to confirm (`45000.00`)."""

    def __init__(self, errors: dict[str, str], message: str = "Some values need correcting.",
                 confirm: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors
        self.confirm = confirm or {}


def _naming_file(problem: dict[str, str]) -> str:
    """A deploy problem's sentence with its file in front (the lint's own sentences mostly name it already)."""
    file, message = problem.get("file") or "", problem["message"]
    return f"{file}: {message}" if file and file not in message else message


class DeploymentError(DomainError):
    """A diagram or decision table cannot be deployed; `problems` lists what is wrong."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__("; ".join(_naming_file(p) for p in problems) or "The diagram cannot be deployed.")
        self.problems = problems
