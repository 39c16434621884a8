/**
 * Names the sources write in Korean, shown in English in English mode: car brands and interlock
 * installers. The relay carries the names as the source wrote them (a court record or an installer
 * registry is in Korean); they are translated at display time, so the stored and audited text is
 * the source's. A name not listed here is shown as written.
 */
import type { Language } from '../../i18n/language';

/** The makers on Korean roads, by the name Korean sources use for them. */
const BRANDS_EN: Readonly<Record<string, string>> = {
  현대: 'Hyundai',
  기아: 'Kia',
  제네시스: 'Genesis',
  쉐보레: 'Chevrolet',
  르노코리아: 'Renault Korea',
  르노삼성: 'Renault Samsung',
  KG모빌리티: 'KG Mobility',
  쌍용: 'SsangYong',
  벤츠: 'Mercedes-Benz',
  아우디: 'Audi',
  테슬라: 'Tesla',
  볼보: 'Volvo',
  토요타: 'Toyota',
  렉서스: 'Lexus',
  폭스바겐: 'Volkswagen',
  포르쉐: 'Porsche',
  미니: 'MINI',
  혼다: 'Honda',
  포드: 'Ford',
  지프: 'Jeep',
};

/** Certified interlock installers in Busan (seed 001): their names in English. */
const INSTALLERS_EN: Readonly<Record<string, string>> = {
  부산인터락서비스: 'Busan Interlock Service',
  해운대안전장치: 'Haeundae Safety Devices',
  동래차량전장: 'Dongnae Vehicle Electrics',
  사상오토케어: 'Sasang Auto Care',
  남부산모빌리티: 'Nambusan Mobility',
  영도카테크: 'Yeongdo Car Tech',
};

export function displayBrand(brand: string, language: Language): string {
  return language === 'en' ? (BRANDS_EN[brand.trim()] ?? brand) : brand;
}

export function displayInstaller(name: string, language: Language): string {
  return language === 'en' ? (INSTALLERS_EN[name.trim()] ?? name) : name;
}
