"""The ASEAN members as the code refers to them (the rows come from a data migration)."""

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
