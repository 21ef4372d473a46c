"""Recipients as the outbox list and the worker's log show them: masked, so no one learns a citizen's contact."""

from __future__ import annotations

import re


def masked(recipient: str) -> str:
    """`jane@example.org` as `j***@example.org`, `082 555 1111` as `082 *** 1111`; anything else as `***`."""
    local, at, domain = recipient.strip().partition("@")
    if at:
        return f"{local[:1]}***@{domain}"
    digits = re.sub(r"\D", "", recipient)
    if len(digits) < 8:  # too short to keep both ends without giving most of it away
        return "***"
    plus = "+" if recipient.strip().startswith("+") else ""
    return f"{plus}{digits[:3]} *** {digits[-4:]}"


def without_recipient(text: str, recipient: str) -> str:
    """`text` (a mail server's refusal often names the address) with the recipient masked."""
    return text.replace(recipient, masked(recipient)) if recipient else text
