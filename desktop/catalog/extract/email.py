"""E-mail messages (.eml): subject, sender, date, body text and attachment names."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from pathlib import Path

from .base import Extracted, ExtractionError
from .dates import iso_date
from .html import html_to_text
from .language import guess_language
from .textio import ensure_text, read_capped

_KNOWN_HEADERS = ("from", "to", "subject", "date", "message-id", "received", "mime-version")


def extract_email(path: Path) -> Extracted:
    # Attachments make mails big; the cap still bounds memory, the body comes first.
    data, truncated = read_capped(path)
    ensure_text(data)
    msg = email.message_from_bytes(data, policy=policy.default)
    if not isinstance(msg, EmailMessage) or not any(h in msg for h in _KNOWN_HEADERS):
        raise ExtractionError("not an e-mail message (no mail headers found)")
    item = Extracted(kind="email")
    item.title = _header(msg, "subject")
    item.creator = _header(msg, "from")
    item.created = iso_date(_header(msg, "date"))
    for name in ("to", "cc"):
        if value := _header(msg, name):
            item.extra[name] = value
    item.text = _body(msg)
    attachments = [part.get_filename() or "(unnamed)" for part in msg.iter_attachments()]
    if attachments:
        item.extra["attachments"] = attachments
    if truncated:
        item.extra["truncated"] = True
    item.language = _header(msg, "content-language") or guess_language(item.text)
    return item


def _header(msg: EmailMessage, name: str) -> str | None:
    try:
        value = msg.get(name)
    except (ValueError, IndexError, TypeError):
        # A malformed header should not lose the whole message; fall back to the raw value.
        value = next((v for k, v in msg.raw_items() if k.lower() == name), None)
    if value is None:
        return None
    return " ".join(str(value).split()) or None


def _body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        # An unknown or lying charset: decode the raw payload as best we can.
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return content.strip()
