import { describe, expect, it } from 'vitest';
import { cleanPlateText, normalizePlate, readPlate } from '../../../shared/plates';

describe('plate normalisation', () => {
  it.each([
    // [as written, normal form, kind, region]
    ['12가3456', '12가3456', 'private', null],
    ['123가4567', '123가4567', 'private', null],
    ['12 가 3456', '12가3456', 'private', null],
    ['12가-3456', '12가3456', 'private', null],
    ['  123 주 4567 ', '123주4567', 'private', null],
    ['１２가３４５６', '12가3456', 'private', null],
    ['서울12가3456', '서울12가3456', 'private', '서울'],
    ['부산 12 가 3456', '부산12가3456', 'private', '부산'],
    ['부산1가1234', '부산1가1234', 'private', '부산'],
    ['부산 70 자 1234', '부산70자1234', 'commercial', '부산'],
    ['12바3456', '12바3456', 'commercial', null],
    ['34사 5678', '34사5678', 'commercial', null],
    ['80아1234', '80아1234', 'commercial', null],
    ['85배1234', '85배1234', 'delivery', null],
    ['12하3456', '12하3456', 'rental', null],
    ['외교 005-003', '외교005003', 'diplomatic', null],
    ['영사 012·001', '영사012001', 'diplomatic', null],
    ['임시 123-4567', '임시1234567', 'temporary', null],
    ['부산 임시 123456', '부산임시123456', 'temporary', '부산'],
  ] as const)('%s → %s (%s)', (text, normal, kind, region) => {
    expect(readPlate(text)).toEqual({ ok: true, normal, kind, region });
    expect(normalizePlate(text)).toBe(normal);
  });

  it('reads decomposed Hangul (NFD, as some OCR engines emit) the same as composed', () => {
    expect(normalizePlate('12가3456'.normalize('NFD'))).toBe('12가3456');
  });

  it.each([
    [null, 'empty'],
    [undefined, 'empty'],
    ['', 'empty'],
    ['  - ', 'empty'],
    ['12가', 'partial'],
    ['가3456', 'partial'],
    ['12가345', 'partial'],
    ['부산', 'partial'],
    ['12똠3456', 'misread'],
    ['12가34567', 'misread'],
    ['12A3456', 'misread'],
    ['ABC-123', 'misread'],
    ['12?3456', 'misread'],
    ['12ㄱ3456', 'misread'],
    ['뉴욕12가3456', 'misread'],
  ] as const)('%s is not a plate (%s)', (text, reason) => {
    expect(readPlate(text)).toEqual({ ok: false, reason });
    expect(normalizePlate(text)).toBeNull();
  });

  it('keeps the region: a business plate of another city is another car', () => {
    expect(normalizePlate('부산12바3456')).not.toBe(normalizePlate('서울12바3456'));
    expect(normalizePlate('부산12가3456')).not.toBe(normalizePlate('12가3456'));
  });

  it('cleans without judging', () => {
    expect(cleanPlateText(' 12-가 3456 ')).toBe('12가3456');
    expect(cleanPlateText(null)).toBe('');
  });
});
