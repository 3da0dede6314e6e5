"""The five roles and what each may see and change (docs/architecture.md §4)."""

ADMIN = "admin"
FOCAL_POINT = "focal_point"
UNODC = "unodc"
OFFICIAL = "official"
AUDITOR = "auditor"

ROLES = (ADMIN, FOCAL_POINT, UNODC, OFFICIAL, AUDITOR)

ROLE_LABELS = {
    ADMIN: "Administrator",
    FOCAL_POINT: "CTU focal point",
    UNODC: "UNODC programme staff",
    OFFICIAL: "Senior official",
    AUDITOR: "Auditor",
}

# Roles that see every country's records.
REGIONAL_ROLES = frozenset({ADMIN, UNODC, AUDITOR})
# Roles that read case-level records (officials see aggregates only).
CASE_READERS = frozenset({ADMIN, FOCAL_POINT, UNODC, AUDITOR})
