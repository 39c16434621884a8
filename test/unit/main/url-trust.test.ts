import { describe, expect, it } from 'vitest';
import { isExternalLinkAllowed, isRelayUrl } from '../../../main/url-trust';

const RELAY = 'http://127.0.0.1:8787/';

describe('desktop URL trust', () => {
  it('allows the relay origin only', () => {
    expect(isRelayUrl('http://127.0.0.1:8787/kiosk', RELAY)).toBe(true);
    expect(isRelayUrl('http://127.0.0.1:8787/?q=1#x', RELAY)).toBe(true);
  });

  it.each([
    'https://evil.example/?next=http://127.0.0.1:8787/',
    'http://127.0.0.1:8788/',
    'https://127.0.0.1:8787/',
    'http://127.0.0.1.evil.example:8787/',
    'http://evil@127.0.0.1:8787/',
    'http://127.0.0.1:8787@evil.example/',
    'file:///etc/passwd',
    'javascript:alert(1)//http://127.0.0.1:8787/',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isRelayUrl(url, RELAY)).toBe(false);
  });

  it('opens only plain web links externally', () => {
    expect(isExternalLinkAllowed('https://www.police.go.kr/')).toBe(true);
    expect(isExternalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(isExternalLinkAllowed('smb://host/share')).toBe(false);
    expect(isExternalLinkAllowed('https://user:pw@example.com/')).toBe(false);
  });
});
