"""Who counts as a moderator: the server's chosen roles (or the configured role names) or Manage Server.

Roles are matched by id once a server has chosen them with /club moderators: a role id cannot be
copied, while anyone with Manage Roles can create a role with any name. The configured names are
only the fallback of a server that has not chosen yet, and /club moderators says so.
"""

from __future__ import annotations

from collections.abc import Iterable

SETTING = "moderator_roles"  # guild setting: a list of role ids, replacing the configured names


def is_moderator(
    roles: Iterable[tuple[int, str]],
    manages_server: bool,
    chosen_role_ids: list[int] | None,
    default_role_names: Iterable[str],
) -> bool:
    """`roles` are the member's (id, name) pairs; names compare case-insensitively."""
    if manages_server:
        return True
    roles = list(roles)
    if chosen_role_ids is not None:
        return any(role_id in chosen_role_ids for role_id, _ in roles)
    names = {name.casefold() for name in default_role_names}
    return any(name.casefold() in names for _, name in roles)
