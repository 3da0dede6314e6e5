"""Synthetic demo records of the mla domain."""


def seed(rng, scale):
    """Add demo records; return {"what": count added}."""
    return {}
