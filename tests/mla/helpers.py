"""Build MLA requests through the services, as users do."""

from registry.blueprints.mla import services
from tests.fixtures.clock import TODAY

__all__ = ["TODAY", "make_request", "request_data"]
_counter = iter(range(1, 10**6))


def request_data(**overrides):
    return {
        "reference": f"MLA/TEST/{next(_counter):05d}",
        "requesting_country": "KHM",
        "requested_country": "THA",
        "crime_type": "thb",
        "legal_basis": "asean_mlat",
        "channel": "central_authority",
        "urgency": "routine",
        "assistance_types": ["evidence"],
        **overrides,
    }


def make_request(actor, sent=None, final=None, final_status="executed", **overrides):
    """Create a request sent on `sent` and, if `final` is given, closed on that date."""
    req = services.create_request(actor, request_data(date_sent=sent, **overrides), TODAY)
    if final is not None:
        ground = "other" if final_status == "refused" else None
        services.record_status(actor, req, final_status, final, ground=ground, today=TODAY)
    return req
