/**
 * Roles and the one permission matrix (DESIGN §5). The relay enforces every action with `can`;
 * the client uses the same function only to hide what a person may not do.
 */
import { z } from 'zod';

export const ROLES = ['viewer', 'operator', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const roleSchema = z.enum(ROLES, `must be one of ${ROLES.join(', ')}`);

export const ACTIONS = [
  /** See alerts (list, detail, live updates). Personal data stays masked. */
  'alert.view',
  /** Read a vehicle's recent track on the map. */
  'vehicle.track',
  /**
   * See a vehicle's driver (age band, sex) in the vehicle drawer; every read is audited. Not for
   * walls and viewers: the vehicle table every client gets carries no driver fields.
   */
  'vehicle.driver',
  'alert.comment',
  /** Assign an alert to oneself. */
  'alert.claim',
  /** Assign an alert to anyone (or unassign it). */
  'alert.assign',
  'alert.ack',
  'alert.dispatch',
  'alert.resolve',
  /** Reveal one record's personal data; every use is audited. */
  'pii.unmask',
  /** Open the plate photo of a hit (camera evidence); every opening is audited. Not for walls. */
  'alert.photo',
  'audit.view',
  'export.csv',
  'users.manage',
  'settings.manage',
  /** Ask for a TCS hand-off of an interlock violation. */
  'dispatch.request',
  /** Approve a TCS hand-off. */
  'dispatch.approve',
] as const;
export type Action = (typeof ACTIONS)[number];

const VIEWER: readonly Action[] = ['alert.view', 'vehicle.track'];
const OPERATOR: readonly Action[] = [
  ...VIEWER,
  'alert.comment',
  'alert.claim',
  'alert.photo',
  'vehicle.driver',
  'dispatch.request',
];
const SUPERVISOR: readonly Action[] = [
  ...OPERATOR,
  'alert.ack',
  'alert.assign',
  'alert.dispatch',
  'alert.resolve',
  'dispatch.approve',
  'pii.unmask',
  'audit.view',
  'export.csv',
];
const ADMIN: readonly Action[] = ACTIONS;

/** Each role's allowed actions. Each role includes everything of the role before it. */
export const PERMISSIONS: Readonly<Record<Role, ReadonlySet<Action>>> = {
  viewer: new Set(VIEWER),
  operator: new Set(OPERATOR),
  supervisor: new Set(SUPERVISOR),
  admin: new Set(ADMIN),
};

export function can(role: Role, action: Action): boolean {
  return PERMISSIONS[role].has(action);
}

/** The roles that may do an action, for "needs supervisor or admin" messages. */
export function rolesAllowed(action: Action): Role[] {
  return ROLES.filter((role) => can(role, action));
}
