import { describe, expect, it } from 'vitest';
import { IPC } from '../../../shared/ipc';
import { registerIpcHandlers, type IpcEventLike } from '../../../main/ipc-handlers';
import { isBlockedInKiosk } from '../../../main/kiosk-guard';
import { EmbeddedRelay, type ChildLike } from '../../../main/relay-launcher';
import { SettingsStore } from '../../../main/settings-store';
import { isRelayUrl } from '../../../main/url-trust';
import { kioskPath, planWallWindows } from '../../../main/wall-layout';

function memoryFiles(initial: string | null = null) {
  const files = new Map<string, string>();
  if (initial !== null) files.set('/s.json', initial);
  return {
    files,
    io: {
      read: (p: string) => files.get(p) ?? null,
      write: (p: string, t: string) => void files.set(p, t),
    },
  };
}

describe('settings store', () => {
  it('starts from defaults, persists valid changes, refuses bad ones', () => {
    const { files, io } = memoryFiles();
    const store = new SettingsStore('/s.json', io);
    expect(store.get()).toMatchObject({
      relayUrl: null,
      language: 'ko',
      kiosk: false,
      sound: true,
      wall: [],
    });
    store.update({ language: 'en', relayUrl: 'http://10.1.2.3:8787/' });
    expect(JSON.parse(files.get('/s.json')!)).toMatchObject({
      language: 'en',
      relayUrl: 'http://10.1.2.3:8787/',
    });
    expect(new SettingsStore('/s.json', io).get().language).toBe('en');
    expect(() => store.update({ language: 'fr' })).toThrow(/language/);
    expect(() => store.update({ relayUrl: 'file:///etc/passwd' })).toThrow(/relayUrl/);
    expect(() => store.update({ relayUrl: 'http://user:pw@host/' })).toThrow(/relayUrl/);
    expect(() => store.update({ deviceToken: 'steal-me' })).toThrow(/invalid settings/);
    expect(() => store.update({ wall: [{ views: ['map'], rotateSeconds: 1 }] })).toThrow(/wall/);
  });

  it('falls back to defaults when the file is damaged', () => {
    const warnings: string[] = [];
    const store = new SettingsStore('/s.json', memoryFiles('{not json').io, (m) =>
      warnings.push(m),
    );
    expect(store.get().language).toBe('ko');
    expect(warnings).toHaveLength(1);
  });
});

describe('IPC handlers', () => {
  const RELAY = 'http://127.0.0.1:8787/';
  function setup() {
    const handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
    const notified: unknown[] = [];
    const counts: number[] = [];
    const store = new SettingsStore('/s.json', memoryFiles().io);
    store.setDeviceToken('secret-device-token');
    registerIpcHandlers(
      { handle: (c, h) => void handlers.set(c, h), on: (c, h) => void handlers.set(c, h) },
      {
        settings: store,
        isTrustedUrl: (url) => isRelayUrl(url, RELAY),
        showNotification: (r) => notified.push(r),
        setUnacknowledgedCount: (n) => counts.push(n),
      },
    );
    const call = (channel: string, url: string, ...args: unknown[]) =>
      handlers.get(channel)!({ senderFrame: { url } }, ...args);
    return { call, notified, counts };
  }

  it('answers the relay page and never hands out the device credential', () => {
    const { call } = setup();
    const settings = call(IPC.getSettings, 'http://127.0.0.1:8787/') as Record<string, unknown>;
    expect(settings.language).toBe('ko');
    expect(settings).not.toHaveProperty('deviceToken');
  });

  it('refuses calls from other pages and invalid payloads', () => {
    const { call, notified, counts } = setup();
    expect(() =>
      call(IPC.getSettings, 'https://evil.example/?next=http://127.0.0.1:8787/'),
    ).toThrow(/untrusted/);
    expect(() =>
      call(IPC.notify, 'http://127.0.0.1:8787/', {
        alertId: 'a1',
        title: 'x',
        body: 'y',
        extra: 1,
      }),
    ).toThrow(/invalid/);
    expect(() => call(IPC.notify, 'http://127.0.0.1:8787/', 'alert')).toThrow(/invalid/);
    call(IPC.notify, 'http://127.0.0.1:8787/', {
      alertId: 'a1',
      title: '실종자 차량',
      body: '12가3456',
    });
    expect(notified).toHaveLength(1);
    call(IPC.setUnacknowledged, 'http://127.0.0.1:8787/', -4);
    call(IPC.setUnacknowledged, 'http://127.0.0.1:8787/', 'lots');
    call(IPC.setUnacknowledged, 'file:///x', 9);
    call(IPC.setUnacknowledged, 'http://127.0.0.1:8787/', 7);
    expect(counts).toEqual([7]);
  });
});

describe('embedded relay launcher', () => {
  function fakeChild() {
    const listeners: ((code: number | null) => void)[] = [];
    const child: ChildLike & { signals: string[]; exit(code: number): void } = {
      exitCode: null,
      signals: [],
      kill(signal) {
        this.signals.push(signal ?? 'SIGTERM');
        if (signal === 'SIGTERM' || signal === 'SIGKILL') this.exit(0);
        return true;
      },
      once(_event, listener) {
        listeners.push(listener);
      },
      exit(code) {
        (this as { exitCode: number | null }).exitCode = code;
        listeners.splice(0).forEach((l) => l(code));
      },
    };
    return child;
  }

  it('waits for health, then stops the relay on quit', async () => {
    const child = fakeChild();
    let clock = 0;
    let polls = 0;
    const relay = new EmbeddedRelay(
      {
        spawnRelay: () => child,
        fetchHealth: async () => ({ ok: ++polls >= 3 }),
        sleep: async (ms) => void (clock += ms),
        now: () => clock,
      },
      8787,
    );
    await expect(relay.start()).resolves.toBe('http://127.0.0.1:8787/');
    expect(polls).toBe(3);
    await relay.stop();
    expect(child.signals).toEqual(['SIGTERM']);
  });

  it('reports a relay that exits during start', async () => {
    const child = fakeChild();
    const relay = new EmbeddedRelay(
      {
        spawnRelay: () => child,
        fetchHealth: async () => {
          child.exit(1);
          throw new Error('ECONNREFUSED');
        },
        sleep: async () => undefined,
        now: () => 0,
      },
      8787,
    );
    await expect(relay.start()).rejects.toThrow(/exited with code 1/);
  });
});

describe('wall layout', () => {
  const displays = [
    { id: 10, bounds: { x: 0, y: 0, width: 1920, height: 1080 } },
    { id: 11, bounds: { x: 1920, y: 0, width: 1920, height: 1080 } },
  ];
  it('gives named displays first, the rest in order, and drops screens without a display', () => {
    const plans = planWallWindows(
      [
        { views: ['map'], rotateSeconds: 30 },
        { displayId: 11, views: ['alerts', 'kpi'], rotateSeconds: 20 },
        { views: ['heat'], rotateSeconds: 30 },
      ],
      displays,
    );
    expect(plans).toEqual([
      { displayId: 11, bounds: displays[1]!.bounds, path: '/kiosk?views=alerts%2Ckpi&rotate=20' },
      { displayId: 10, bounds: displays[0]!.bounds, path: '/kiosk?views=map&rotate=30' },
    ]);
    expect(kioskPath({ views: ['map'], rotateSeconds: 45 })).toBe('/kiosk?views=map&rotate=45');
  });
});

describe('kiosk key guard', () => {
  const key = (
    k: string,
    mods: Partial<{ control: boolean; meta: boolean; alt: boolean; shift: boolean }> = {},
  ) => ({
    type: 'keyDown',
    key: k,
    control: false,
    meta: false,
    alt: false,
    shift: false,
    ...mods,
  });
  it.each([
    key('F4', { alt: true }),
    key('w', { control: true }),
    key('Q', { meta: true }),
    key('r', { control: true }),
    key('I', { control: true, shift: true }),
    key('F12'),
    key('F11'),
    key('Escape'),
  ])('blocks %o', (input) => expect(isBlockedInKiosk(input)).toBe(true));
  it('lets ordinary keys through', () => {
    expect(isBlockedInKiosk(key('a'))).toBe(false);
    expect(isBlockedInKiosk(key('ArrowLeft'))).toBe(false);
    expect(isBlockedInKiosk({ ...key('w', { control: true }), type: 'keyUp' })).toBe(false);
  });
});
