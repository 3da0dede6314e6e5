"""Outgoing mail over SMTP: one message at a time, plain text with an optional HTML part."""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import urlsplit

from flask import current_app


class MailNotSent(RuntimeError):
    """Raised when the mail server cannot be reached or refuses the message."""


def configured():
    """Say whether outgoing mail is set up (REGISTRY_MAIL_SERVER)."""
    return bool(current_app.config["MAIL_SERVER"])


def build(to, subject, text, html=None, sender=None):
    """Return the message: text first, HTML as the alternative mail readers prefer."""
    message = EmailMessage()
    message["From"] = sender or current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=message["From"].rpartition("@")[2] or None)
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def send(message):
    """Hand the message to the configured SMTP server; raise MailNotSent when that fails."""
    cfg = current_app.config
    if not configured():
        raise MailNotSent("no mail server is configured (REGISTRY_MAIL_SERVER)")
    try:
        with smtplib.SMTP(
            cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=cfg["MAIL_TIMEOUT_SECONDS"]
        ) as smtp:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailNotSent(f"the mail server refused or could not be reached: {exc}") from exc


def external_url(endpoint, **values):
    """The full address of a registry page for a message (REGISTRY_BASE_URL), or None when
    the registry's address is not configured."""
    base = urlsplit(current_app.config["BASE_URL"].rstrip("/"))
    if not base.netloc:
        return None
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
