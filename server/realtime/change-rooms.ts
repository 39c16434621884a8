/**
 * The Socket.IO rooms of the change feed: one per role, because a change is masked per role and a
 * room's broadcast is encoded once. A socket joins its role's room once its catch-up is sent.
 */
import { ROLES, type Role } from '../../shared/roles';

export const changeRoom = (role: Role): string => `changes:${role}`;

/** Every change room: the sockets that get changes (and alert comments). */
export const CHANGE_ROOMS: readonly string[] = ROLES.map(changeRoom);
