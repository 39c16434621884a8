/**
 * Korean licence plates: one normal form to match on, whatever the camera, the OCR or the master
 * list wrote. Lists and detections are matched on `normal`; the text as it arrived is kept beside it
 * (stored and shown as read), so an operator always sees what the camera saw.
 *
 * Normal form: NFC, no spaces, hyphens, dots or middle dots, ASCII digits. A region prefix is kept:
 * `부산12바3456` and `서울12바3456` are two business vehicles, and an older regional plate is unique
 * only with its region. So a read without the region does not match a listed plate with one — the
 * rule prefers a missed hit to flagging the wrong car.
 */

/** The 17 metropolitan cities and provinces that older and business plates name. */
export const PLATE_REGIONS = [
  '서울',
  '부산',
  '대구',
  '인천',
  '광주',
  '대전',
  '울산',
  '세종',
  '경기',
  '강원',
  '충북',
  '충남',
  '전북',
  '전남',
  '경북',
  '경남',
  '제주',
] as const;

/** Usage syllables of private cars (가–마, 거–저, 고–조, 구–주). */
const PRIVATE_SYLLABLES = '가나다라마거너더러머버서어저고노도로모보소오조구누두루무부수우주';
/** Business (사업용) vehicles: buses, taxis, lorries. */
const COMMERCIAL_SYLLABLES = '바사아자';
/** Parcel delivery lorries (택배). */
const DELIVERY_SYLLABLE = '배';
/** Rental cars (렌터카). */
const RENTAL_SYLLABLES = '하허호';

/** Mission kinds printed on diplomatic plates (외교 005003 = 5th country to register, 3rd car). */
const DIPLOMATIC_KINDS = ['외교', '영사', '준외', '준영', '국기', '협정', '대표'] as const;

export type PlateKind =
  'private' | 'commercial' | 'delivery' | 'rental' | 'diplomatic' | 'temporary';

export type PlateReading =
  | {
      ok: true;
      /** The form to match and index on. */
      normal: string;
      kind: PlateKind;
      /** The region printed on older and business plates, null on national ones. */
      region: string | null;
    }
  | {
      ok: false;
      /**
       * `empty`: nothing readable; `partial`: plate characters, but not a whole plate (the OCR
       * missed some); `misread`: characters no plate carries.
       */
      reason: 'empty' | 'partial' | 'misread';
    };

/** Separators people and OCR put between the parts: spaces, hyphens, dots, middle dots. */
const SEPARATORS = /[\s\-‐‑‒–—―.·・]+/gu;
const FULL_WIDTH_DIGIT = /[０-９]/gu;
const FULL_WIDTH_DIGIT_OFFSET = 0xff10 - 0x30;

const REGION = `(?<region>${PLATE_REGIONS.join('|')})`;
const USAGE = `(?<usage>[${PRIVATE_SYLLABLES}${COMMERCIAL_SYLLABLES}${DELIVERY_SYLLABLE}${RENTAL_SYLLABLES}])`;
/** National plates since 2004 (`12가3456`), 3-digit class since 2019 (`123가4567`). */
const NATIONAL = new RegExp(`^\\d{2,3}${USAGE}\\d{4}$`, 'u');
/** Older regional plates (`서울12가3456`, `부산1가1234`) and today's business plates (`부산70자1234`). */
const REGIONAL = new RegExp(`^${REGION}\\d{1,2}${USAGE}\\d{4}$`, 'u');
const DIPLOMATIC = new RegExp(`^(?<region>${DIPLOMATIC_KINDS.join('|')})\\d{6}$`, 'u');
/** Temporary operation permits (임시운행): `임시` and a serial, sometimes after a region. */
const TEMPORARY = new RegExp(`^${REGION}?임시\\d{4,7}$`, 'u');
/** What a plate can be made of; text of only these that matches no form is a partial read. */
const PLATE_CHARACTERS = /^[0-9가-힣]+$/u;
/** A plate holds at least this many digits; a read with fewer is partial, not a plate. */
const MIN_PLATE_DIGITS = 4;

/** The text without separators, in NFC with ASCII digits; '' for null, undefined or blank. */
export function cleanPlateText(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  return text
    .normalize('NFC')
    .replace(FULL_WIDTH_DIGIT, (d) =>
      String.fromCharCode(d.charCodeAt(0) - FULL_WIDTH_DIGIT_OFFSET),
    )
    .replace(SEPARATORS, '');
}

/** Reads a plate as written anywhere (list row, OCR, user search); never throws. */
export function readPlate(text: string | null | undefined): PlateReading {
  const cleaned = cleanPlateText(text);
  if (cleaned === '') return { ok: false, reason: 'empty' };
  const national = NATIONAL.exec(cleaned);
  if (national) return { ok: true, normal: cleaned, kind: usageKind(national), region: null };
  const regional = REGIONAL.exec(cleaned);
  if (regional) {
    return {
      ok: true,
      normal: cleaned,
      kind: usageKind(regional),
      region: regional.groups?.region ?? null,
    };
  }
  const diplomatic = DIPLOMATIC.exec(cleaned);
  if (diplomatic) {
    return { ok: true, normal: cleaned, kind: 'diplomatic', region: null };
  }
  const temporary = TEMPORARY.exec(cleaned);
  if (temporary) {
    return {
      ok: true,
      normal: cleaned,
      kind: 'temporary',
      region: temporary.groups?.region ?? null,
    };
  }
  if (!PLATE_CHARACTERS.test(cleaned)) return { ok: false, reason: 'misread' };
  const digits = cleaned.replace(/\D/gu, '').length;
  // Plate characters but too few digits: the camera caught part of the plate. Enough digits with
  // a syllable no plate uses (`12똠3456`): the OCR misread a character.
  return { ok: false, reason: digits < MIN_PLATE_DIGITS + 2 ? 'partial' : 'misread' };
}

/** The normal form, or null when the text is not a plate. */
export function normalizePlate(text: string | null | undefined): string | null {
  const reading = readPlate(text);
  return reading.ok ? reading.normal : null;
}

function usageKind(match: RegExpExecArray): PlateKind {
  const usage = match.groups?.usage ?? '';
  if (COMMERCIAL_SYLLABLES.includes(usage)) return 'commercial';
  if (usage === DELIVERY_SYLLABLE) return 'delivery';
  if (RENTAL_SYLLABLES.includes(usage)) return 'rental';
  return 'private';
}
