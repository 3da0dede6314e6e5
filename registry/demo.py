"""Load the synthetic demo data set; each domain adds its own part."""

import importlib
import random

from registry.blueprints.auth import demo as auth_demo
from registry.blueprints.reference import demo as reference_demo
from registry.core import audit
from registry.core.settings import DEMO_MARKER, Setting
from registry.extensions import db

SCALES = ("small", "large")
# Each domain's seeder: seed(rng, scale) -> {"what": count added}; run in this order.
DOMAIN_SEEDERS = (
    "registry.blueprints.mla.demo",
    "registry.blueprints.jits.demo",
    "registry.blueprints.meetings.demo",
    "registry.blueprints.training.demo",
    "registry.blueprints.prosecutions.demo",
    "registry.blueprints.directory.demo",
)


def seed(scale="small", seed_value=2026):
    """Load the demo data; running it again adds nothing that is already there."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}")
    audit.act_as(audit.SYSTEM, f"synthetic demo data ({scale}, seed {seed_value})")
    added = {"agencies": reference_demo.seed_agencies()}
    auth_demo.seed_users()
    for name in DOMAIN_SEEDERS:
        module = importlib.import_module(name)
        added.update(module.seed(random.Random(f"{seed_value}:{name}"), scale))
    if db.session.get(Setting, DEMO_MARKER) is None:
        db.session.add(Setting(key=DEMO_MARKER, value=seed_value))
    db.session.flush()
    return added
