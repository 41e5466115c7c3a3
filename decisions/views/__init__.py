"""Pages of consent decisions, one module per page or concern.

Each page names the right it needs (``NetworkMixin``); each action is its own POST that calls one
service. A refusal of the service (``ValidationError``) goes back to the person on the form they
used, with nothing changed; a lacking right (``PermissionDenied``) answers 403.
"""
