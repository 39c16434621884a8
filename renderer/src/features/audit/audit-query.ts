/** The audit screen's filters as the relay's query (`GET /api/audit`, `/api/audit.csv`). */
import type { AuditAction, AuditEntityType } from '../../../../shared/audit';
import { kstInputToMs } from './kst-input';

export interface AuditFilters {
  actor: string;
  action: AuditAction | null;
  entity: AuditEntityType | null;
  /** `datetime-local` values in KST ('' when unset). */
  from: string;
  to: string;
}

export const NO_AUDIT_FILTERS: AuditFilters = {
  actor: '',
  action: null,
  entity: null,
  from: '',
  to: '',
};

export function auditQuery(
  filters: AuditFilters,
  page: { limit: number; before?: number | null },
): URLSearchParams {
  const params = new URLSearchParams({ limit: String(page.limit) });
  const actor = filters.actor.trim().toLowerCase();
  if (actor !== '') params.set('actor', actor);
  if (filters.action !== null) params.set('action', filters.action);
  if (filters.entity !== null) params.set('entity', filters.entity);
  const from = kstInputToMs(filters.from);
  if (from !== null) params.set('from', String(from));
  const to = kstInputToMs(filters.to);
  if (to !== null) params.set('to', String(to));
  if (page.before !== undefined && page.before !== null) params.set('before', String(page.before));
  return params;
}

export function hasFilters(filters: AuditFilters): boolean {
  return (
    filters.actor.trim() !== '' ||
    filters.action !== null ||
    filters.entity !== null ||
    filters.from !== '' ||
    filters.to !== ''
  );
}
