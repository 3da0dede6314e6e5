"""The record types that can be imported from spreadsheets."""

from registry.blueprints.jits.importer import JitImporter
from registry.blueprints.meetings.importer import MeetingImporter
from registry.blueprints.mla.importer import MlaImporter
from registry.blueprints.prosecutions.importer import CaseImporter, StatisticsImporter
from registry.blueprints.workplan.importer import WorkPlanImporter

IMPORTERS = {
    importer.kind: importer
    for importer in (
        MlaImporter(),
        JitImporter(),
        MeetingImporter(),
        CaseImporter(),
        StatisticsImporter(),
        WorkPlanImporter(),
    )
}
