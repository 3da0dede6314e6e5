"""The words shown for codes: one catalogue keyed by kind, one lookup and its Jinja filter.

Pages, exports, briefs and the API's optional labels all read from here, so a code is named the
same way everywhere, and a translation later has one place to start from. Keep it plain data.
"""

LABELS = {
    "mla_status": {
        "draft": "Draft",
        "sent": "Sent",
        "received": "Received",
        "acknowledged": "Acknowledged",
        "in_execution": "In execution",
        "executed": "Executed",
        "partially_executed": "Partially executed",
        "refused": "Refused",
        "withdrawn": "Withdrawn",
        "lapsed": "Lapsed",
    },
    "mla_step": {
        "sent": "Sent",
        "received": "Received",
        "acknowledged": "Acknowledged",
        "in_execution": "In execution",
        "final": "Final response",
    },
    "legal_basis": {
        "asean_mlat": "ASEAN MLAT (2004)",
        "untoc": "UNTOC (2000), art. 18",
        "actip": "ACTIP (2015)",
        "bilateral_treaty": "Bilateral treaty",
        "reciprocity": "Reciprocity",
        "domestic_law": "Domestic law",
        "other": "Other",
    },
    "assistance_type": {
        "evidence": "Taking of evidence",
        "witness_statement": "Witness statement",
        "bank_records": "Bank or financial records",
        "digital_evidence": "Digital evidence",
        "search_seizure": "Search and seizure",
        "asset_tracing": "Asset tracing",
        "asset_freezing": "Asset freezing",
        "service_of_documents": "Service of documents",
        "locate_persons": "Locating persons",
        "transfer_of_persons": "Transfer of persons",
        "other": "Other",
    },
    "crime_type": {
        "thb": "Trafficking in persons (THB)",
        "som": "Smuggling of migrants (SOM)",
        "related": "Related offence",
    },
    "channel": {
        "central_authority": "Central authority",
        "diplomatic": "Diplomatic channel",
        "direct": "Direct (agency to agency)",
        "sea_just": "SEA-Just facilitated",
    },
    "urgency": {"routine": "Routine", "urgent": "Urgent"},
    "refusal_ground": {
        "dual_criminality": "No dual criminality",
        "insufficient_information": "Insufficient information",
        "sovereignty_security": "Sovereignty, security or public order",
        "political_offence": "Political offence",
        "double_jeopardy": "Double jeopardy",
        "death_penalty": "Death penalty assurance not given",
        "other": "Other",
    },
    "authority_role": {
        "central_authority": "Central authority for MLA",
        "competent_authority": "Other competent authority",
    },
    "language": {
        "en": "English",
        "ms": "Malay",
        "km": "Khmer",
        "id": "Indonesian",
        "lo": "Lao",
        "my": "Burmese",
        "fil": "Filipino",
        "zh": "Chinese",
        "ta": "Tamil",
        "th": "Thai",
        "tet": "Tetum",
        "pt": "Portuguese",
        "vi": "Vietnamese",
    },
}


def label(kind, code):
    """The words for `code` of `kind`; an unknown code reads as itself, underscores spaced."""
    if code is None:
        return "—"
    return LABELS.get(kind, {}).get(code) or str(code).replace("_", " ")
