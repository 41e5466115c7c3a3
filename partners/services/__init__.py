"""Writes for partners: organisations, partnerships and their timeline, the contribution ledger.

Each service is atomic, checks its preconditions and the acting user's right (``by``: see the top of
``ecosystem/permissions.py``), and leaves a record. One module per concern, re-exported here.
"""

from partners.services._common import AdoptedDecision
from partners.services.ledger import correct_contribution, record_contribution
from partners.services.partnerships import (
    admit_to_core,
    affiliate,
    change_status,
    find_or_create_organisation,
    register_organisations,
    register_partner,
    register_partner_by_name,
    update_partnership,
)

__all__ = [
    "AdoptedDecision",
    "admit_to_core",
    "affiliate",
    "change_status",
    "correct_contribution",
    "find_or_create_organisation",
    "record_contribution",
    "register_organisations",
    "register_partner",
    "register_partner_by_name",
    "update_partnership",
]
