import { describe, expect, it } from 'vitest';
import {
  MAX_RELAYS,
  parseRelayList,
  RelayRotation,
  relaysForPage,
} from '../../../renderer/src/live/relay-rotation';

const PAGE = 'https://wall.busan.example/kiosk';

describe('parseRelayList', () => {
  it('reads host:port lists with the page scheme, keeps order, drops duplicates and paths', () => {
    expect(
      parseRelayList(' relay-a:8787 , https://relay-b:8787/x?y=1,relay-a:8787,,', PAGE),
    ).toEqual(['https://relay-a:8787', 'https://relay-b:8787']);
    expect(parseRelayList(['http://10.0.0.5:8787'], PAGE)).toEqual(['http://10.0.0.5:8787']);
  });

  it('refuses what is not an http(s) relay', () => {
    expect(
      parseRelayList(
        [
          'javascript:alert(1)',
          'file:///etc/passwd',
          'ws://relay:8787',
          'https://user:pw@relay:8787',
          'https://',
          'http://[bad',
        ],
        PAGE,
      ),
    ).toEqual([]);
    expect(parseRelayList(null, PAGE)).toEqual([]);
  });

  it('takes at most MAX_RELAYS', () => {
    const many = Array.from({ length: MAX_RELAYS + 5 }, (_, i) => `relay-${i}:8787`);
    expect(parseRelayList(many, PAGE)).toHaveLength(MAX_RELAYS);
  });
});

describe('relaysForPage', () => {
  it('prefers ?relays=, then the settings, then the page origin', () => {
    expect(relaysForPage(`${PAGE}?relays=a:1,b:2`, ['https://c:3'])).toEqual([
      'https://a:1',
      'https://b:2',
    ]);
    expect(relaysForPage(PAGE, ['https://c:3'])).toEqual(['https://c:3']);
    expect(relaysForPage(PAGE)).toEqual(['https://wall.busan.example']);
    expect(relaysForPage(`${PAGE}?relays=javascript:x`)).toEqual(['https://wall.busan.example']);
  });
});

describe('RelayRotation', () => {
  it('moves to the next relay on each loss and wraps around', () => {
    const rotation = new RelayRotation(['https://a', 'https://b', 'https://c']);
    expect(rotation.rotates).toBe(true);
    expect(rotation.current()).toBe('https://a');
    expect(rotation.next()).toBe('https://b');
    expect(rotation.next()).toBe('https://c');
    expect(rotation.next()).toBe('https://a');
  });

  it('stays on the relay that holds, and a single relay never rotates', () => {
    const rotation = new RelayRotation(['https://a', 'https://b']);
    rotation.connected('https://b');
    expect(rotation.current()).toBe('https://b');
    rotation.connected('https://elsewhere');
    expect(rotation.current()).toBe('https://b');
    const single = new RelayRotation(['https://a']);
    expect(single.rotates).toBe(false);
    expect(single.next()).toBe('https://a');
    expect(() => new RelayRotation([])).toThrow();
  });
});

describe('desktop settings: relays', () => {
  it('defaults to none and refuses what is not an http(s) relay', async () => {
    const { desktopSettingsSchema, settingsPatchSchema } = await import('../../../shared/ipc');
    expect(desktopSettingsSchema.parse({}).relays).toEqual([]);
    expect(settingsPatchSchema.parse({ relays: ['http://10.0.0.2:8787'] }).relays).toEqual([
      'http://10.0.0.2:8787',
    ]);
    expect(() => settingsPatchSchema.parse({ relays: ['file:///etc/passwd'] })).toThrow();
    expect(() => settingsPatchSchema.parse({ relays: ['https://u:p@relay'] })).toThrow();
  });
});
