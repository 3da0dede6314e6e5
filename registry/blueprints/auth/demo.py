"""Demo accounts, one per role plus focal points for the priority countries."""

from registry.blueprints.auth.services import create_user, find_user
from registry.core import audit

DEMO_PASSWORD = "demo-password-2026"

DEMO_USERS = [
    ("admin@registry.example.org", "admin", None, "Demo Administrator"),
    ("unodc@registry.example.org", "unodc", None, "Demo UNODC Programme Officer"),
    ("focal.khm@registry.example.org", "focal_point", "KHM", "Demo Focal Point, Cambodia"),
    ("focal.tha@registry.example.org", "focal_point", "THA", "Demo Focal Point, Thailand"),
    ("focal.idn@registry.example.org", "focal_point", "IDN", "Demo Focal Point, Indonesia"),
    ("focal.mys@registry.example.org", "focal_point", "MYS", "Demo Focal Point, Malaysia"),
    ("focal.vnm@registry.example.org", "focal_point", "VNM", "Demo Focal Point, Viet Nam"),
    ("official@registry.example.org", "official", None, "Demo Senior Official (regional)"),
    ("official.tha@registry.example.org", "official", "THA", "Demo Senior Official, Thailand"),
    ("auditor@registry.example.org", "auditor", None, "Demo Auditor"),
]


def seed_users():
    """Create the demo accounts that are missing."""
    for email, role, country, name in DEMO_USERS:
        if find_user(email) is None:
            create_user(
                audit.SYSTEM,
                email=email,
                password=DEMO_PASSWORD,
                role=role,
                country_code=country,
                name=name,
            )
