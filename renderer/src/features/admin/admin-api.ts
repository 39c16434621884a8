/** The admin screen's calls to the relay (`/api/users`, `/api/sessions`); admins only there. */
import type {
  CreateUserRequest,
  DeviceTokenResponse,
  SessionListResponse,
  UpdateUserRequest,
  UserListResponse,
  UserResponse,
} from '../../../../shared/auth';
import type { TotpStatus } from '../../../../shared/two-factor';
import { api } from '../../auth/api';

const userPath = (username: string) => `/api/users/${encodeURIComponent(username)}`;

export const adminApi = {
  users: () => api.json<UserListResponse>('/api/users'),
  sessions: () => api.json<SessionListResponse>('/api/sessions'),
  create: (body: CreateUserRequest) =>
    api.json<UserResponse>('/api/users', { method: 'POST', body }),
  update: (username: string, body: UpdateUserRequest) =>
    api.json<UserResponse>(userPath(username), { method: 'PATCH', body }),
  issueDeviceToken: (username: string) =>
    api.json<DeviceTokenResponse>(`${userPath(username)}/device-token`, { method: 'POST' }),
  revokeDeviceTokens: (username: string) =>
    api.json<UserResponse>(`${userPath(username)}/device-token`, { method: 'DELETE' }),
  /** Removes a user's two-factor sign-in (a lost phone); they enrol again at their next sign-in. */
  resetTwoFactor: (username: string) =>
    api.json<TotpStatus>(`${userPath(username)}/totp/reset`, { method: 'POST' }),
};
