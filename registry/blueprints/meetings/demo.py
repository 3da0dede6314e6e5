"""Synthetic demo records of the meetings domain."""


def seed(rng, scale):
    """Add demo records; return {"what": count added}."""
    return {}
