"""Writes to the shared network model. Views, commands, tasks and tests all call these.

Each service is atomic and checks its own preconditions and the acting user's rights
(``by``: see the top of ``ecosystem/permissions.py``). One module per concern, re-exported here so
callers write ``services.add_person(...)``.
"""

from ecosystem.services.invitations import accept_invitation, find_invitation, invite_person
from ecosystem.services.logins import link_user, set_login
from ecosystem.services.members import add_person, end_role, give_role
from ecosystem.services.networks import (
    PROFILE_FIELDS,
    change_network_stage,
    create_network,
    set_principles,
    update_network_profile,
)

__all__ = [
    "PROFILE_FIELDS",
    "accept_invitation",
    "add_person",
    "change_network_stage",
    "create_network",
    "end_role",
    "find_invitation",
    "give_role",
    "invite_person",
    "link_user",
    "set_login",
    "set_principles",
    "update_network_profile",
]
