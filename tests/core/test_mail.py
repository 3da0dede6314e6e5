"""Mail goes out over real SMTP; a server that is down or missing is an error the caller sees."""

import pytest

from registry.core import mail
from tests.fixtures.smtp import free_port, smtp_server  # noqa: F401 (fixture)


def test_a_message_arrives_with_its_text_and_html_parts(app, smtp_server):  # noqa: F811
    with app.test_request_context():
        message = mail.build(
            "focal@ctu.example.gov.kh", "Two reminders", "MLA KHM-1 is overdue.", "<p>KHM-1</p>"
        )
        mail.send(message)
    [received] = smtp_server.to("focal@ctu.example.gov.kh")
    assert received["Subject"] == "Two reminders"
    assert received["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert received.get_body(("plain",)).get_content().strip() == "MLA KHM-1 is overdue."
    assert received.get_body(("html",)).get_content().strip() == "<p>KHM-1</p>"


def test_a_server_that_is_down_raises_mail_not_sent(app):
    saved = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT_SECONDS=2)
    try:
        with app.test_request_context(), pytest.raises(mail.MailNotSent):
            mail.send(mail.build("a@example.org", "s", "t"))
    finally:
        app.config.update(MAIL_SERVER=saved[0], MAIL_PORT=saved[1], MAIL_TIMEOUT_SECONDS=10)


def test_without_a_server_nothing_is_configured_and_sending_says_so(app):
    with app.test_request_context():
        assert not mail.configured()
        with pytest.raises(mail.MailNotSent, match="REGISTRY_MAIL_SERVER"):
            mail.send(mail.build("a@example.org", "s", "t"))
