import { describe, expect, it } from 'vitest';
import { VIOLATION_RULES } from '../../../shared/interlock';
import {
  displayBrand,
  displayInstaller,
} from '../../../renderer/src/features/detail/display-names';
import { ruleLabelKey } from '../../../renderer/src/features/interlock/interlock-labels';

describe('rule words for an alert that carries the rule as text', () => {
  it('names every known rule by its interlock.rule key', () => {
    for (const rule of VIOLATION_RULES) expect(ruleLabelKey(rule)).toBe(`interlock.rule.${rule}`);
  });

  it('leaves a rule this client does not know, or none, to the caller', () => {
    expect(ruleLabelKey('new_rule_from_a_newer_relay')).toBeNull();
    expect(ruleLabelKey(null)).toBeNull();
  });
});

describe('names the sources write in Korean', () => {
  it('are English in English mode and as written in Korean mode', () => {
    expect(displayBrand('현대', 'en')).toBe('Hyundai');
    expect(displayBrand('KG모빌리티', 'en')).toBe('KG Mobility');
    expect(displayBrand('현대', 'ko')).toBe('현대');
    expect(displayInstaller('부산인터락서비스', 'en')).toBe('Busan Interlock Service');
    expect(displayInstaller('부산인터락서비스', 'ko')).toBe('부산인터락서비스');
  });

  it('shows a name it does not know as written', () => {
    expect(displayBrand('BMW', 'en')).toBe('BMW');
    expect(displayInstaller('새부산장치', 'en')).toBe('새부산장치');
  });
});
