"""Email, when SMTP is configured (``MAIL_SERVER``); plain ``smtplib``, no queue."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app


class MailError(RuntimeError):
    """The message could not be handed to the mail server."""


def mail_configured() -> bool:
    """True when a mail server and a sender are set."""
    config = current_app.config
    return bool(config.get("MAIL_SERVER") and config.get("MAIL_FROM"))


def links_can_be_emailed() -> bool:
    """Emailed links need ``PUBLIC_BASE_URL`` too, so a forged Host header can never shape them."""
    return mail_configured() and bool(current_app.config.get("PUBLIC_BASE_URL"))


def send(to: str, subject: str, body: str) -> None:
    """Send a plain-text email; raises MailError with the server's reason on failure."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    host, port, timeout = config["MAIL_SERVER"], int(config["MAIL_PORT"]), int(config["MAIL_TIMEOUT"])
    try:
        if config.get("MAIL_USE_SSL"):
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, port, timeout=timeout)
        with client:
            if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
                client.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                client.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(str(error) or error.__class__.__name__) from error
