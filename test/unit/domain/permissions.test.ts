import { describe, expect, it } from 'vitest';
import { ACTIONS, can, ROLES, rolesAllowed, type Action, type Role } from '../../../shared/roles';
import { authorize, authorizeAssign } from '../../../server/domain/permissions';

/** The matrix as DESIGN §5 states it, written out in full so a change to it is a visible diff. */
const EXPECTED: Record<Action, Role[]> = {
  'alert.view': ['viewer', 'operator', 'supervisor', 'admin'],
  'vehicle.track': ['viewer', 'operator', 'supervisor', 'admin'],
  'alert.comment': ['operator', 'supervisor', 'admin'],
  'alert.claim': ['operator', 'supervisor', 'admin'],
  'alert.photo': ['operator', 'supervisor', 'admin'],
  'vehicle.driver': ['operator', 'supervisor', 'admin'],
  'dispatch.request': ['operator', 'supervisor', 'admin'],
  'alert.ack': ['supervisor', 'admin'],
  'alert.assign': ['supervisor', 'admin'],
  'alert.dispatch': ['supervisor', 'admin'],
  'alert.resolve': ['supervisor', 'admin'],
  'dispatch.approve': ['supervisor', 'admin'],
  'pii.unmask': ['supervisor', 'admin'],
  'audit.view': ['supervisor', 'admin'],
  'export.csv': ['supervisor', 'admin'],
  'users.manage': ['admin'],
  'settings.manage': ['admin'],
};

describe('permission matrix', () => {
  it('lists every action once', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...ACTIONS].sort());
  });

  const cells = ROLES.flatMap((role) => ACTIONS.map((action) => [role, action] as const));
  it.each(cells)('%s × %s', (role, action) => {
    const allowed = EXPECTED[action].includes(role);
    expect(can(role, action)).toBe(allowed);
    const refusal = authorize(role, action);
    if (allowed) {
      expect(refusal).toBeNull();
    } else {
      expect(refusal).toMatchObject({ status: 403, code: 'forbidden' });
      expect(refusal!.message).toContain(role);
      expect(refusal!.message).toContain(action);
    }
  });

  it('names who may when it refuses', () => {
    expect(rolesAllowed('alert.ack')).toEqual(['supervisor', 'admin']);
    expect(authorize('operator', 'alert.ack')!.message).toMatch(/supervisor, admin/);
  });

  it('each role can do everything the role below it can', () => {
    for (let i = 1; i < ROLES.length; i++) {
      for (const action of ACTIONS) {
        if (can(ROLES[i - 1]!, action)) expect(can(ROLES[i]!, action)).toBe(true);
      }
    }
  });
});

describe('assigning', () => {
  const operator = { username: 'op1', role: 'operator' as const };
  const supervisor = { username: 'sup1', role: 'supervisor' as const };
  const viewer = { username: 'wall1', role: 'viewer' as const };

  it('lets an operator claim and release only for themself', () => {
    expect(authorizeAssign(operator, 'op1', null)).toBeNull();
    expect(authorizeAssign(operator, null, 'op1')).toBeNull();
    expect(authorizeAssign(operator, 'op2', null)).toMatchObject({ status: 403 });
    expect(authorizeAssign(operator, null, 'op2')).toMatchObject({ status: 403 });
    expect(authorizeAssign(operator, 'op1', 'op2')).toBeNull();
  });

  it('lets a supervisor assign anyone, and a viewer no one', () => {
    expect(authorizeAssign(supervisor, 'op2', 'op1')).toBeNull();
    expect(authorizeAssign(supervisor, null, 'op1')).toBeNull();
    expect(authorizeAssign(viewer, 'wall1', null)).toMatchObject({ status: 403 });
  });
});
