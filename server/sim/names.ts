/**
 * Realistic-looking Korean vehicle and person data for the simulator: plates, brands, driver
 * demographics, names and missing-person descriptions. Every function draws from the `rng` it is
 * given, so the simulator stays deterministic for a seed.
 */

export type Rng = () => number;

/** Picks an item with probability proportional to its weight. */
export function weightedPick<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let r = rng() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  const last = items[items.length - 1];
  if (!last) throw new Error('weightedPick: no items');
  return last[0];
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error('pick: no items');
  return item;
}

/** Uniform integer in [min, max]. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/**
 * The Hangul letters on private passenger-car plates. 바사아자 are for commercial vehicles,
 * 하허호 for rentals and 배 for delivery, so they are left out.
 */
export const PRIVATE_PLATE_LETTERS = [
  ...'가나다라마',
  ...'거너더러머버서어저',
  ...'고노도로모보소오조',
  ...'구누두루무부수우주',
] as const;

/** Passenger cars use type numbers 01–69 (two-digit plates) and 100–699 (three-digit, 2019+). */
const TWO_DIGIT_TYPE = { min: 1, max: 69 };
const THREE_DIGIT_TYPE = { min: 100, max: 699 };
/** Share of cars registered since three-digit plates began in 2019 (rough fleet turnover). */
const THREE_DIGIT_SHARE = 0.45;
const SERIAL = { min: 1000, max: 9999 };

/** A private-car plate such as `12가3456` or `123가4567`. */
export function randomPlate(rng: Rng): string {
  const threeDigit = rng() < THREE_DIGIT_SHARE;
  const type = threeDigit
    ? intBetween(rng, THREE_DIGIT_TYPE.min, THREE_DIGIT_TYPE.max)
    : intBetween(rng, TWO_DIGIT_TYPE.min, TWO_DIGIT_TYPE.max);
  const letter = pick(rng, PRIVATE_PLATE_LETTERS);
  const serial = intBetween(rng, SERIAL.min, SERIAL.max);
  return `${String(type).padStart(threeDigit ? 3 : 2, '0')}${letter}${serial}`;
}

/** Approximate shares of cars on Korean roads by brand (domestic makers dominate). */
export const CAR_BRANDS: readonly (readonly [string, number])[] = [
  ['현대', 38],
  ['기아', 28],
  ['제네시스', 6],
  ['쉐보레', 4.5],
  ['르노코리아', 4],
  ['KG모빌리티', 4],
  ['벤츠', 5],
  ['BMW', 4.5],
  ['아우디', 1.5],
  ['테슬라', 1.5],
  ['볼보', 1.2],
  ['토요타', 1],
];

/** Licensed drivers by age band (20s … 70s), roughly Korea's licence-holder pyramid. */
const AGE_BANDS: readonly (readonly [number, number])[] = [
  [20, 11],
  [30, 18],
  [40, 23],
  [50, 23],
  [60, 16],
  [70, 9],
];
const YEARS_PER_BAND = 10;

export function randomDriverAge(rng: Rng): number {
  return weightedPick(rng, AGE_BANDS) + Math.floor(rng() * YEARS_PER_BAND);
}

export type Sex = '남' | '여';
/** Men make up about two thirds of active private-car drivers, more so among older drivers. */
export function randomDriverSex(rng: Rng, age: number): Sex {
  const OLDER_DRIVER_AGE = 60;
  const maleShare = age >= OLDER_DRIVER_AGE ? 0.75 : 0.62;
  return rng() < maleShare ? '남' : '여';
}

const SURNAMES: readonly (readonly [string, number])[] = [
  ['김', 21.5],
  ['이', 14.7],
  ['박', 8.4],
  ['최', 4.7],
  ['정', 4.3],
  ['강', 2.3],
  ['조', 2.1],
  ['윤', 2.0],
  ['장', 2.0],
  ['임', 1.6],
  ['한', 1.5],
  ['오', 1.5],
  ['서', 1.5],
  ['신', 1.4],
  ['권', 1.4],
  ['황', 1.4],
  ['안', 1.4],
  ['송', 1.3],
  ['류', 1.2],
  ['전', 1.1],
  ['홍', 1.1],
  ['배', 0.8],
  ['허', 0.7],
  ['노', 0.7],
];
const OLDER_PERSON_AGE = 55;
const GIVEN_NAMES: Record<Sex, { older: readonly string[]; younger: readonly string[] }> = {
  남: {
    older: ['영수', '영철', '정호', '상철', '종호', '병철', '광수', '성호', '동욱', '재호', '용석'],
    younger: ['민준', '서준', '도윤', '현우', '지훈', '준호', '성민', '재원', '태현', '승민'],
  },
  여: {
    older: ['영자', '순자', '정숙', '옥순', '말순', '미경', '은숙', '영희', '경희', '명숙'],
    younger: ['서연', '지민', '수빈', '예진', '하은', '지현', '민지', '유진', '다은', '소영'],
  },
};

export function randomKoreanName(rng: Rng, sex: Sex, age: number): string {
  const names = GIVEN_NAMES[sex];
  return (
    weightedPick(rng, SURNAMES) + pick(rng, age >= OLDER_PERSON_AGE ? names.older : names.younger)
  );
}

const MISSING_REASONS_OLDER = [
  '치매 증상 있음',
  '경도 인지장애로 길을 잃을 우려',
  '고혈압 약 복용 중',
];
const MISSING_REASONS_YOUNGER = ['연락 두절', '우울 증세로 가족이 신고', '귀가하지 않음'];
const CLOTHING_COLOURS = ['검정', '회색', '남색', '베이지', '흰색', '갈색', '빨간색'];
const CLOTHING_ITEMS = ['점퍼', '패딩', '코트', '등산복', '티셔츠', '셔츠'];
const BUILDS = ['보통 체격', '마른 체격', '건장한 체격'];
const HEIGHT_CM: Record<Sex, { min: number; max: number }> = {
  남: { min: 160, max: 182 },
  여: { min: 148, max: 168 },
};

/** A short description as a missing-person report would give it, in Korean. */
export function randomMissingDescription(
  rng: Rng,
  sex: Sex,
  age: number,
  lastSeenDong: string,
): string {
  const reasons = age >= OLDER_PERSON_AGE ? MISSING_REASONS_OLDER : MISSING_REASONS_YOUNGER;
  const height = HEIGHT_CM[sex];
  const heightCm = intBetween(rng, height.min, height.max);
  return (
    `${pick(rng, reasons)}. 키 ${heightCm}cm, ${pick(rng, BUILDS)}. ` +
    `${pick(rng, CLOTHING_COLOURS)} ${pick(rng, CLOTHING_ITEMS)} 착용. ` +
    `${lastSeenDong} 인근에서 본인 차량 운전 중 마지막 목격.`
  );
}
