/**
 * The plate photo of a read (`vehicle_exterior_image.image_base64`) as bytes a browser may show:
 * decoded from base64 (with or without a `data:` prefix), size-limited, its type sniffed from the
 * bytes (the prefix is the upstream's claim, the bytes are the truth), and an ETag for caching.
 * Pure.
 */
import { createHash } from 'node:crypto';

/** A camera still is far smaller; a bigger row is a mistake or an attack, not a photo to serve. */
export const MAX_PLATE_PHOTO_BYTES = 2 * 1024 * 1024;

export const PHOTO_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/svg+xml',
] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

export type PhotoDecode =
  | { ok: true; bytes: Buffer; contentType: PhotoType; etag: string }
  | { ok: false; reason: 'empty' | 'too_large' | 'not_base64' | 'not_an_image' };

const DATA_URL_PREFIX = /^data:[^,]{0,100},/;
const BASE64_TEXT = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;
/** base64 carries 3 bytes in 4 characters. */
const BASE64_RATIO = 3 / 4;
/** How far into an SVG file its root element may start (XML declaration, comments, doctype). */
const SVG_SNIFF_BYTES = 1024;

export function sniffPhotoType(bytes: Uint8Array): PhotoType | null {
  const at = (i: number) => bytes[i];
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return 'image/jpeg';
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return 'image/png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp';
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'image/gif';
  const head = Buffer.from(bytes.subarray(0, SVG_SNIFF_BYTES)).toString('utf8').trimStart();
  if ((head.startsWith('<svg') || head.startsWith('<?xml')) && /<svg[\s>]/.test(head)) {
    return 'image/svg+xml';
  }
  return null;
}

export function decodePlatePhoto(
  imageBase64: string | null,
  maxBytes: number = MAX_PLATE_PHOTO_BYTES,
): PhotoDecode {
  if (imageBase64 === null) return { ok: false, reason: 'empty' };
  const text = imageBase64.trim().replace(DATA_URL_PREFIX, '');
  if (text === '') return { ok: false, reason: 'empty' };
  // Refuse before decoding: a huge row must not cost its size in memory twice.
  if (Math.floor(text.length * BASE64_RATIO) > maxBytes + 2)
    return { ok: false, reason: 'too_large' };
  if (!BASE64_TEXT.test(text)) return { ok: false, reason: 'not_base64' };
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 0) return { ok: false, reason: 'empty' };
  if (bytes.length > maxBytes) return { ok: false, reason: 'too_large' };
  const contentType = sniffPhotoType(bytes);
  if (contentType === null) return { ok: false, reason: 'not_an_image' };
  const etag = `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`;
  return { ok: true, bytes, contentType, etag };
}

/** Whether an `If-None-Match` header names this ETag (a list, or `*`). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === etag);
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}
