from tests.fixtures.smtp import smtp_server  # noqa: F401 (fixture)
