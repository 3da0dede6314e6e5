"""Security headers on every response: what a browser may load, frame and send onwards.

No page carries an inline script or an event-handler attribute (scripts live in static/), so
`script-src 'self'` holds everywhere. Styles are 'self' plus 'unsafe-inline' for one reason:
the pygal charts are inline SVG whose `<style>` element and `style=` attributes are generated
per chart; a style cannot run code, and the strict script policy is what stops injected
markup from acting. HSTS is sent only in production, where the registry is served over HTTPS.
"""

CSP = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app):
    headers = dict(HEADERS)
    if app.config["ENV"] == "production":
        headers["Strict-Transport-Security"] = HSTS

    @app.after_request
    def add_security_headers(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
