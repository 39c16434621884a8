/**
 * Opening the record an audit row is about: an alert opens the alert detail, a violation the
 * violation detail, a hand-off the TCS panel on it, a user the admin screen. A record the client
 * does not hold (resolved days ago, outside the snapshot) is read from the relay first.
 */
import type { AlertResponse } from '../../../../shared/alerts';
import type { AuditEvent } from '../../../../shared/audit';
import type { ViolationResponse } from '../../../../shared/interlock';
import { can } from '../../../../shared/roles';
import { api } from '../../auth/api';
import type { RelayError } from '../../auth/relay-api';
import { useAppStore } from '../../store';
import { openAdminScreen } from '../admin/admin-screen';
import { selectViolation, showDispatch } from '../interlock/selection';

const NUMERIC_ID = /^\d{1,15}$/u;

/** Whether a row's entity can be opened by this role. */
export function canOpen(event: AuditEvent, role: Parameters<typeof can>[0] | null): boolean {
  if (event.entityId === null || role === null) return false;
  switch (event.entityType) {
    case 'alert':
    case 'violation':
    case 'dispatch':
      return NUMERIC_ID.test(event.entityId);
    case 'user':
      return can(role, 'users.manage');
    default:
      return false;
  }
}

/** Opens the row's entity; resolves with the relay's refusal when it could not be read. */
export async function openAuditEntity(event: AuditEvent): Promise<RelayError | null> {
  const id = event.entityId;
  if (id === null) return null;
  const state = useAppStore.getState();
  switch (event.entityType) {
    case 'alert': {
      const alertId = Number(id);
      if (!state.alertsById[alertId]) {
        const result = await api.json<AlertResponse>(`/api/alerts/${alertId}`);
        if (!result.ok) return result.error;
        useAppStore.getState().upsertAlert(result.value.alert);
      }
      const now = useAppStore.getState();
      now.setAuditOpen(false);
      now.selectViolation(null);
      now.selectVehicle(null);
      now.selectAlert(alertId);
      return null;
    }
    case 'violation': {
      const violationId = Number(id);
      if (!state.violationsById[violationId]) {
        const result = await api.json<ViolationResponse>(`/api/violations/${violationId}`);
        if (!result.ok) return result.error;
        useAppStore.getState().upsertViolation(result.value.violation);
      }
      useAppStore.getState().setAuditOpen(false);
      selectViolation(violationId);
      return null;
    }
    case 'dispatch':
      showDispatch(Number(id));
      return null;
    case 'user':
      openAdminScreen(id);
      return null;
    default:
      return null;
  }
}
