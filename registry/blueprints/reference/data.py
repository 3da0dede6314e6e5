"""Seed values for reference data (DESIGN.md §4, DOMAIN.md §2)."""

# ISO alpha-3 -> name as ASEAN writes it; Timor-Leste joined in 2025.
ASEAN_MEMBERS = {
    "BRN": "Brunei Darussalam",
    "KHM": "Cambodia",
    "IDN": "Indonesia",
    "LAO": "Lao PDR",
    "MYS": "Malaysia",
    "MMR": "Myanmar",
    "PHL": "Philippines",
    "SGP": "Singapore",
    "THA": "Thailand",
    "TLS": "Timor-Leste",
    "VNM": "Viet Nam",
}
PRIORITY = {"KHM", "IDN", "MYS", "THA"}

LEGAL_BASES = [
    ("asean_mlat", "ASEAN Treaty on Mutual Legal Assistance in Criminal Matters (2004)"),
    ("untoc", "UN Convention against Transnational Organized Crime (2000), art. 18"),
    ("actip", "ASEAN Convention against Trafficking in Persons (2015)"),
    ("bilateral_treaty", "Bilateral treaty"),
    ("reciprocity", "Reciprocity"),
    ("domestic_law", "Domestic law"),
    ("other", "Other"),
]
