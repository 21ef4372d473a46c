"""SQLAlchemy 2 typed models: identity, process versions and instances, cases, tasks, events."""

from .api import ApiKey, ApiToken, Open311Request
from .base import Base
from .case import Case, CaseEvent, HumanTask, ReferenceCounter
from .casework import CreditHold, Deviation, ScheduledRun, SuggestionSlip
from .decisions import DecisionVersion
from .external import ExternalTaskRow
from .followup import CodeResend, EventWait
from .identity import Department, Role, User
from .metrics import StepSpan, WorkDay
from .modeler import ProcessDraft, VersionChange
from .notification import Notification
from .photos import Photo
from .process import ProcessInstance, ProcessVersion
from .rollups import DailyFigure, RollupMark
from .sessions import UserSession
from .signin import LoginThrottle
from .submissions import FormSubmission
from .whatsapp import WhatsAppConversation, WhatsAppMessage

__all__ = [
    "ApiKey",
    "ApiToken",
    "Notification",
    "Open311Request",
    "Photo",
    "Base",
    "Case",
    "CodeResend",
    "CaseEvent",
    "CreditHold",
    "DailyFigure",
    "DecisionVersion",
    "Department",
    "Deviation",
    "EventWait",
    "ExternalTaskRow",
    "FormSubmission",
    "HumanTask",
    "LoginThrottle",
    "ProcessDraft",
    "ProcessInstance",
    "ProcessVersion",
    "ReferenceCounter",
    "RollupMark",
    "Role",
    "ScheduledRun",
    "SuggestionSlip",
    "StepSpan",
    "User",
    "UserSession",
    "VersionChange",
    "WorkDay",
    "WhatsAppConversation",
    "WhatsAppMessage",
]
