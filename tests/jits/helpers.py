"""Build teams through the service, as users do."""

from registry.blueprints.jits import services

_n = iter(range(1, 10**6))


def jit_data(**overrides):
    return {
        "name": f"Operation Test {next(_n)}",
        "type": "law_enforcement",
        "member_countries": ["KHM", "THA"],
        "lead_country": "KHM",
        "legal_basis": "asean_mlat",
        **overrides,
    }


def make_jit(actor, **overrides):
    return services.create_jit(actor, jit_data(**overrides))
