"""Synthetic demo records of the training domain."""


def seed(rng, scale):
    """Add demo records; return {"what": count added}."""
    return {}
