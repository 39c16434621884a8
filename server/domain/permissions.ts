/**
 * Permission checks on top of the one matrix in shared/roles.ts, with the reason a refused person
 * (or the client engineer reading a 403) needs.
 */
import type { AlertCommandName } from '../../shared/alerts';
import { can, rolesAllowed, type Action, type Role } from '../../shared/roles';
import type { ApiError } from '../../shared/errors';
import { HTTP } from './outcome';

export interface Actor {
  username: string;
  role: Role;
}

/** The action each alert command needs; assign needs at least `alert.claim` (see authorizeAssign). */
export const COMMAND_ACTIONS: Readonly<Record<AlertCommandName, Action>> = {
  ack: 'alert.ack',
  assign: 'alert.claim',
  comment: 'alert.comment',
  dispatch: 'alert.dispatch',
  resolve: 'alert.resolve',
};

export function forbidden(role: Role, action: Action): ApiError {
  return {
    status: HTTP.forbidden,
    code: 'forbidden',
    message: `role ${role} may not ${action} (allowed: ${rolesAllowed(action).join(', ')})`,
  };
}

/** null when allowed, else the 403 to answer. */
export function authorize(role: Role, action: Action): ApiError | null {
  return can(role, action) ? null : forbidden(role, action);
}

/**
 * Who may assign whom: `alert.assign` assigns anyone; `alert.claim` only assigns oneself, or
 * unassigns an alert one holds oneself.
 */
export function authorizeAssign(
  actor: Actor,
  username: string | null,
  currentAssignee: string | null,
): ApiError | null {
  if (can(actor.role, 'alert.assign')) return null;
  if (!can(actor.role, 'alert.claim')) return forbidden(actor.role, 'alert.claim');
  if (username === actor.username) return null;
  if (username === null && currentAssignee === actor.username) return null;
  return {
    status: HTTP.forbidden,
    code: 'forbidden',
    message: `role ${actor.role} may only assign alerts to themself (assigning others needs ${rolesAllowed('alert.assign').join(' or ')})`,
  };
}
