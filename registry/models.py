"""Import every domain's models so that Alembic and create_all see all tables."""

from registry.blueprints.auth.models import (  # noqa: F401
    ApiToken,
    PasswordReset,
    RecoveryCode,
    User,
    UserSession,
)
from registry.blueprints.briefs.models import Brief  # noqa: F401
from registry.blueprints.directory.models import Authority, Requirement  # noqa: F401
from registry.blueprints.imports.models import ImportJob  # noqa: F401
from registry.blueprints.indicators.models import Indicator, IndicatorTarget  # noqa: F401
from registry.blueprints.jits import models as jits_models  # noqa: F401
from registry.blueprints.meetings import models as meetings_models  # noqa: F401
from registry.blueprints.mla import models as mla_models  # noqa: F401
from registry.blueprints.notifications.models import Notification  # noqa: F401
from registry.blueprints.prosecutions import models as prosecutions_models  # noqa: F401
from registry.blueprints.reference.models import Agency, Country, LegalBasis  # noqa: F401
from registry.blueprints.training import models as training_models  # noqa: F401
from registry.blueprints.workplan import models as workplan_models  # noqa: F401
from registry.core.audit import AuditEvent  # noqa: F401
from registry.core.audit_chain import AuditCheckpoint  # noqa: F401
from registry.core.settings import Setting  # noqa: F401
