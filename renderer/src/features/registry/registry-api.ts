/** The registry's REST calls (shared/registry.ts) as the logged-in user; results, never throws. */
import type {
  RegistryDeviceListResponse,
  RegistryImportReport,
  RegistryKind,
  RegistryRefreshResult,
  RegistryStatus,
  RegistrySubjectListResponse,
} from '../../../../shared/registry';
import { api } from '../../auth/api';
import type { RelayResult } from '../../auth/relay-api';

export function loadStatus(): Promise<RelayResult<RegistryStatus>> {
  return api.json<RegistryStatus>('/api/registry/status');
}

export function loadSubjects(
  flaggedOnly: boolean,
): Promise<RelayResult<RegistrySubjectListResponse>> {
  return api.json<RegistrySubjectListResponse>(
    `/api/registry/subjects${flaggedOnly ? '?flagged=true' : ''}`,
  );
}

export function loadDevices(): Promise<RelayResult<RegistryDeviceListResponse>> {
  return api.json<RegistryDeviceListResponse>('/api/registry/devices');
}

export function refreshRegistry(): Promise<RelayResult<RegistryRefreshResult>> {
  return api.json<RegistryRefreshResult>('/api/registry/refresh', { method: 'POST' });
}

/** The file goes as text inside JSON (every client call is JSON); the relay parses the CSV. */
export function importRegistryFile(
  kind: RegistryKind,
  fileName: string,
  csv: string,
): Promise<RelayResult<RegistryImportReport>> {
  return api.json<RegistryImportReport>(`/api/registry/import?kind=${kind}`, {
    method: 'POST',
    body: { csv, fileName },
  });
}
