"""Synthetic demo records of the prosecutions domain."""


def seed(rng, scale):
    """Add demo records; return {"what": count added}."""
    return {}
