"""Security headers on every response: what a browser may load, frame and send onwards.

No page carries an inline script, an event-handler attribute or a style attribute (scripts
live in static/), so `script-src 'self'` and `style-src 'self'` hold everywhere. The one
exception is the `<style>` element inside each inline pygal chart (its rules are generated
per chart): the chart macro stamps it with this response's nonce (`csp_nonce` filter), and
only responses that drew a chart allow that nonce. HSTS is sent only in production, where
the registry is served over HTTPS.
"""

import secrets

from flask import g
from markupsafe import Markup

POLICY = (
    "default-src 'self'",
    "img-src 'self' data:",
    "script-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def nonce():
    """This response's nonce for inline chart styles, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def with_nonce(svg):
    """An inline SVG whose <style> elements carry this response's nonce."""
    return Markup(str(svg).replace("<style", f'<style nonce="{nonce()}"'))


def content_security_policy():
    styles = "style-src 'self'" + (f" 'nonce-{g.csp_nonce}'" if "csp_nonce" in g else "")
    return "; ".join((*POLICY, styles))


def init_app(app):
    headers = dict(HEADERS)
    if app.config["ENV"] == "production":
        headers["Strict-Transport-Security"] = HSTS
    app.add_template_filter(with_nonce, "csp_nonce")

    @app.after_request
    def add_security_headers(response):
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
