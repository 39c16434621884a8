import { describe, expect, it } from 'vitest';
import { decodePlatePhoto, etagMatches, sniffPhotoType } from '../../../server/domain/plate-photo';
import { plateSvg, plateSvgBase64 } from '../../../server/plate-image/plate-svg';

const b64 = (bytes: number[] | string) =>
  Buffer.from(typeof bytes === 'string' ? Buffer.from(bytes) : Uint8Array.from(bytes)).toString(
    'base64',
  );

describe('plate photo bytes', () => {
  it.each([
    ['JPEG', [0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'image/jpeg'],
    ['PNG', [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image/png'],
    ['GIF', [...Buffer.from('GIF89a'), 1, 0], 'image/gif'],
    ['WebP', [...Buffer.from('RIFF'), 0, 0, 0, 0, ...Buffer.from('WEBPVP8 ')], 'image/webp'],
  ] as const)('sniffs %s from the bytes whatever the prefix claims', (_, bytes, type) => {
    const decoded = decodePlatePhoto(`data:image/jpeg;base64,${b64([...bytes])}`);
    expect(decoded.ok && decoded.contentType).toBe(type);
    expect(sniffPhotoType(Uint8Array.from(bytes))).toBe(type);
  });

  it('the generated plate is an SVG the sniffer knows, with the plate text escaped', () => {
    const decoded = decodePlatePhoto(plateSvgBase64('부산 12 가 3456'));
    expect(decoded).toMatchObject({ ok: true, contentType: 'image/svg+xml' });
    expect(decoded.ok && decoded.bytes.toString('utf8')).toContain('부산 12 가 3456');
    expect(plateSvg('<script>')).toContain('&lt;script&gt;');
    expect(plateSvg('<script>')).not.toContain('<script>');
  });

  it('refuses what is not a photo, with the reason', () => {
    expect(decodePlatePhoto(null)).toEqual({ ok: false, reason: 'empty' });
    expect(decodePlatePhoto('  ')).toEqual({ ok: false, reason: 'empty' });
    expect(decodePlatePhoto('data:image/png;base64,')).toEqual({ ok: false, reason: 'empty' });
    expect(decodePlatePhoto('not base64 at all!')).toEqual({ ok: false, reason: 'not_base64' });
    expect(decodePlatePhoto(b64('hello, plain text'))).toEqual({
      ok: false,
      reason: 'not_an_image',
    });
    const big = b64([0xff, 0xd8, 0xff, ...new Array<number>(2000).fill(0)]);
    expect(decodePlatePhoto(big, 1000)).toEqual({ ok: false, reason: 'too_large' });
    expect(decodePlatePhoto(big, 4000).ok).toBe(true);
  });

  it('the ETag follows the bytes; If-None-Match lists and weak tags match', () => {
    const a = decodePlatePhoto(plateSvgBase64('12가3456'));
    const b = decodePlatePhoto(plateSvgBase64('12가3457'));
    if (!a.ok || !b.ok) throw new Error('decode failed');
    expect(a.etag).not.toBe(b.etag);
    expect(decodePlatePhoto(plateSvgBase64('12가3456'))).toMatchObject({ etag: a.etag });
    expect(etagMatches(`"x", W/${a.etag}`, a.etag)).toBe(true);
    expect(etagMatches('*', a.etag)).toBe(true);
    expect(etagMatches(b.etag, a.etag)).toBe(false);
    expect(etagMatches(undefined, a.etag)).toBe(false);
  });
});
