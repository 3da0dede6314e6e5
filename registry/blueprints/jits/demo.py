"""Synthetic demo records of the jits domain."""


def seed(rng, scale):
    """Add demo records; return {"what": count added}."""
    return {}
