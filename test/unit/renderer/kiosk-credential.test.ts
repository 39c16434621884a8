import { describe, expect, it } from 'vitest';
import type { MeResponse } from '../../../shared/auth';
import type { RelayResult } from '../../../renderer/src/auth/relay-api';
import {
  classifyVerification,
  DEVICE_TOKEN_STORAGE_KEY,
  takeDeviceCredential,
  tokenFromFragment,
} from '../../../renderer/src/kiosk/device-credential';

const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ3YWxsLTEifQ.c2lnbmF0dXJl';

function memoryStorage(initial: Record<string, string> = {}) {
  const items = new Map(Object.entries(initial));
  return {
    items,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  };
}

function environment(hash: string, storage = memoryStorage()) {
  const replaced: string[] = [];
  return {
    replaced,
    storage,
    env: {
      location: { hash, pathname: '/kiosk', search: '?views=map&rotate=30' },
      replaceUrl: (url: string) => void replaced.push(url),
      storage,
    },
  };
}

describe('tokenFromFragment', () => {
  it('reads the device parameter of the fragment, with or without its #', () => {
    expect(tokenFromFragment(`#device=${TOKEN}`)).toBe(TOKEN);
    expect(tokenFromFragment(`device=${TOKEN}&views=map`)).toBe(TOKEN);
    expect(tokenFromFragment(`#x=1&device=${TOKEN}`)).toBe(TOKEN);
  });

  it('finds nothing in an empty, unrelated or implausible fragment', () => {
    expect(tokenFromFragment('')).toBeNull();
    expect(tokenFromFragment('#')).toBeNull();
    expect(tokenFromFragment('#device=')).toBeNull();
    expect(tokenFromFragment('#token=abc')).toBeNull();
    expect(tokenFromFragment('#device=<script>alert(1)</script>')).toBeNull();
    expect(tokenFromFragment(`#device=${'a'.repeat(5000)}`)).toBeNull();
  });
});

describe('takeDeviceCredential', () => {
  it('takes the fragment’s credential, keeps it, and clears the address bar keeping the query', () => {
    const { env, replaced, storage } = environment(`#device=${TOKEN}`);
    expect(takeDeviceCredential(env)).toBe(TOKEN);
    expect(storage.items.get(DEVICE_TOKEN_STORAGE_KEY)).toBe(TOKEN);
    expect(replaced).toEqual(['/kiosk?views=map&rotate=30']);
  });

  it('uses the kept credential after a reboot (no fragment), touching no address', () => {
    const storage = memoryStorage({ [DEVICE_TOKEN_STORAGE_KEY]: TOKEN });
    const { env, replaced } = environment('', storage);
    expect(takeDeviceCredential(env)).toBe(TOKEN);
    expect(replaced).toEqual([]);
  });

  it('lets a new credential in the fragment replace the kept one', () => {
    const storage = memoryStorage({ [DEVICE_TOKEN_STORAGE_KEY]: 'old.token.value' });
    const { env } = environment(`#device=${TOKEN}`, storage);
    expect(takeDeviceCredential(env)).toBe(TOKEN);
    expect(storage.items.get(DEVICE_TOKEN_STORAGE_KEY)).toBe(TOKEN);
  });

  it('has none without fragment or storage, and clears a fragment that carried none', () => {
    const { env, replaced } = environment('#views=map');
    expect(takeDeviceCredential(env)).toBeNull();
    expect(replaced).toEqual(['/kiosk?views=map&rotate=30']);
  });

  it('still works for this page load where storage is blocked', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    };
    const { env } = environment(`#device=${TOKEN}`);
    expect(takeDeviceCredential({ ...env, storage: blocked })).toBe(TOKEN);
    expect(
      takeDeviceCredential({ ...env, location: { ...env.location, hash: '' }, storage: blocked }),
    ).toBeNull();
    expect(takeDeviceCredential({ ...env, storage: null })).toBe(TOKEN);
  });

  it('ignores a corrupt kept value', () => {
    const storage = memoryStorage({ [DEVICE_TOKEN_STORAGE_KEY]: 'not a token' });
    expect(takeDeviceCredential(environment('', storage).env)).toBeNull();
  });
});

describe('classifyVerification', () => {
  const me = (role: MeResponse['user']['role']): RelayResult<MeResponse> => ({
    ok: true,
    value: { user: { username: 'wall-1', role } },
  });
  const failed = (status: number, code = 'internal_error' as const): RelayResult<MeResponse> => ({
    ok: false,
    error: { status, code, message: `HTTP ${status}` },
  });

  it('accepts a viewer account', () => {
    expect(classifyVerification(me('viewer'))).toEqual({
      kind: 'valid',
      user: { username: 'wall-1', role: 'viewer' },
    });
  });

  it('refuses any other role: walls show what a viewer may see, nothing more', () => {
    for (const role of ['operator', 'supervisor', 'admin'] as const) {
      expect(classifyVerification(me(role))).toEqual({ kind: 'problem', problem: 'notViewer' });
    }
  });

  it('calls a 401 or 403 a refused credential', () => {
    expect(classifyVerification(failed(401))).toEqual({ kind: 'problem', problem: 'refused' });
    expect(classifyVerification(failed(403))).toEqual({ kind: 'problem', problem: 'refused' });
  });

  it('calls no answer, a server error or a rate limit an unreachable relay (try again)', () => {
    expect(classifyVerification(failed(0)).kind).toBe('unreachable');
    expect(classifyVerification(failed(500)).kind).toBe('unreachable');
    expect(classifyVerification(failed(502)).kind).toBe('unreachable');
    expect(classifyVerification(failed(429)).kind).toBe('unreachable');
  });
});
