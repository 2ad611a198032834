"""Deliver one stored email: over SMTP when MAIL_SERVER is set, else into the outbox folder."""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app
from flask_mail import Message

from schoolsafe.extensions import mail
from schoolsafe.models import OutboxMessage


def recipients(message: OutboxMessage) -> list[str]:
    """The stored To: addresses as a list."""
    return [a for a in re.split(r"[,\s;]+", message.to_addresses) if a]


def new_message_id() -> str:
    """A Message-ID in the sending address's domain, for a message's every copy."""
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2] or "schoolsafe.local"
    return make_msgid(domain=domain)


def deliver(message: OutboxMessage) -> None:
    """Send the stored subject, body and recipients exactly; raise on any failure."""
    if current_app.config.get("MAIL_SERVER"):
        _send_smtp(message)
    else:
        _write_eml(message)


def _send_smtp(message: OutboxMessage) -> None:
    email = Message(
        subject=message.subject,
        recipients=recipients(message),
        body=message.body,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers={"X-Schoolsafe-Message": str(message.id)},
    )
    email.msgId = message.message_id or new_message_id()
    mail.send(email)


def _write_eml(message: OutboxMessage) -> None:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = ", ".join(recipients(message))
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message.message_id or new_message_id()
    email["X-Schoolsafe-Message"] = str(message.id)
    email.set_content(message.body)
    folder = Path(current_app.config["OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{message.id:08d}-{message.purpose}.eml"
    path.write_bytes(bytes(email))
