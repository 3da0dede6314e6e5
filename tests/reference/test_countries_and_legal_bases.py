"""Countries (ASEAN seeded, others from ISO 3166) and legal bases."""

import sqlalchemy as sa

from registry.blueprints.reference.models import Country, LegalBasis


def test_asean_members_are_seeded_with_asean_names(session):
    rows = session.execute(sa.select(Country.iso3, Country.name).where(Country.asean_member))
    members = {row.iso3: row.name for row in rows}
    assert len(members) == 11
    assert members["BRN"] == "Brunei Darussalam" and members["TLS"] == "Timor-Leste"


def test_legal_bases_are_seeded(session):
    codes = set(session.scalars(sa.select(LegalBasis.code)))
    assert codes == {
        "asean_mlat",
        "untoc",
        "actip",
        "bilateral_treaty",
        "reciprocity",
        "domestic_law",
        "other",
    }


def test_admin_adds_a_country_by_iso_code(login, users, session):
    response = login(users["admin"]).post("/reference/countries/add", data={"iso3": "JPN"})
    assert response.status_code == 302
    japan = session.get(Country, "JPN")
    assert (japan.iso2, japan.name, japan.asean_member) == ("JP", "Japan", False)


def test_unknown_or_duplicate_country_code_is_refused(login, users, session):
    admin = login(users["admin"])
    assert admin.post("/reference/countries/add", data={"iso3": "XYZ"}).status_code == 422
    again = admin.post("/reference/countries/add", data={"iso3": "THA"})
    assert again.status_code == 422
    assert session.scalar(sa.select(sa.func.count()).select_from(Country)) == 11


def test_admin_adds_and_renames_legal_basis(login, users, session):
    admin = login(users["admin"])
    admin.post(
        "/reference/legal-bases/save", data={"code": "mou", "name": "Memorandum", "active": "y"}
    )
    admin.post(
        "/reference/legal-bases/save", data={"code": "mou", "name": "Memorandum of understanding"}
    )
    basis = session.get(LegalBasis, "mou")
    assert basis.name == "Memorandum of understanding" and basis.active is False


def test_bad_legal_basis_code_is_refused(login, users, session):
    response = login(users["admin"]).post(
        "/reference/legal-bases/save", data={"code": "Bad Code!", "name": "x"}
    )
    assert response.status_code == 422
    assert "lower-case letters" in response.get_data(as_text=True)
    assert session.get(LegalBasis, "bad code!") is None
