/**
 * The interlock REST commands (DESIGN §6) as the logged-in user. Every answer is a result, never a
 * throw; the relay's refusal (403 role, 409 stale or illegal) comes back for the screen to show.
 * A successful answer is put in the store at once: the socket broadcast brings the same version
 * (or a newer one) and the merge keeps the highest.
 */
import type {
  Dispatch,
  DispatchResponse,
  DispatchStats,
  ManualOutcome,
  RequestDispatchResponse,
  Violation,
  ViolationResponse,
} from '../../../../shared/interlock';
import { api } from '../../auth/api';
import type { RelayResult } from '../../auth/relay-api';
import { useAppStore } from '../../store';

export async function requestDispatch(
  violation: Pick<Violation, 'id' | 'version'>,
  note: string,
): Promise<RelayResult<RequestDispatchResponse>> {
  const result = await api.json<RequestDispatchResponse>(
    `/api/violations/${violation.id}/dispatch`,
    {
      method: 'POST',
      body: { version: violation.version, ...(note.trim() === '' ? {} : { note: note.trim() }) },
    },
  );
  if (result.ok) {
    const state = useAppStore.getState();
    state.upsertDispatch(result.value.dispatch);
    state.upsertViolation(result.value.violation);
  }
  return result;
}

/** The record with its personal data (audited by the relay); never put in the store. */
export function unmaskViolation(id: number): Promise<RelayResult<ViolationResponse>> {
  return api.json<ViolationResponse>(`/api/violations/${id}/unmask`, { method: 'POST' });
}

export interface TakeoverInput {
  outcome: ManualOutcome;
  caseNumber: string;
  note: string;
}

/** approve, retry or take over, against the version on screen. */
export async function dispatchCommand(
  dispatch: Pick<Dispatch, 'id' | 'version'>,
  command: 'approve' | 'retry' | { takeover: TakeoverInput },
): Promise<RelayResult<DispatchResponse>> {
  const name = typeof command === 'string' ? command : 'takeover';
  const body =
    typeof command === 'string'
      ? { version: dispatch.version }
      : {
          version: dispatch.version,
          outcome: command.takeover.outcome,
          note: command.takeover.note.trim(),
          ...(command.takeover.caseNumber.trim() === ''
            ? {}
            : { caseNumber: command.takeover.caseNumber.trim() }),
        };
  const result = await api.json<DispatchResponse>(`/api/dispatches/${dispatch.id}/${name}`, {
    method: 'POST',
    body,
  });
  if (result.ok) useAppStore.getState().upsertDispatch(result.value.dispatch);
  return result;
}

export function fetchDispatchStats(): Promise<RelayResult<DispatchStats>> {
  return api.json<DispatchStats>('/api/dispatches/stats');
}
