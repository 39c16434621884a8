/**
 * Masking of personal data in alert payloads. Every payload the relay sends (REST, socket, CSV)
 * is masked, whatever the receiver's role: personal data is revealed only through the audited
 * unmask action (`pii.unmask`), so every look at it leaves a trace. A role that may not unmask
 * (viewer, operator) therefore never sees it at all.
 */
import type { Alert, AlertEvidence } from '../../shared/alerts';

const MASK = '*';

/**
 * `김민수` → `김*수`, `남궁민수` → `남**수`, `이수` → `이*`, `John Smith` → `J********h`. The first
 * character and (from three characters on) the last stay, so people can still tell records apart.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  if (chars.length === 1) return MASK;
  if (chars.length === 2) return `${chars[0]}${MASK}`;
  return `${chars[0]}${MASK.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** An identifier (user id, licence or phone number): keeps the first two and last characters. */
export function maskIdentifier(id: string): string {
  const chars = [...id.trim()];
  const keepStart = 2;
  if (chars.length <= keepStart + 1) return MASK.repeat(chars.length);
  return `${chars.slice(0, keepStart).join('')}${MASK.repeat(chars.length - keepStart - 1)}${chars[chars.length - 1]}`;
}

/** Masks one evidence record; returns it with the names of the fields it hid. */
export function maskEvidence(evidence: AlertEvidence): {
  evidence: AlertEvidence;
  maskedFields: string[];
} {
  switch (evidence.type) {
    case 'MISSING_PERSON_HIT': {
      const maskedFields: string[] = [];
      const masked = { ...evidence };
      if (evidence.name !== null) {
        masked.name = maskName(evidence.name);
        maskedFields.push('name');
      }
      if (evidence.age !== null) {
        masked.age = null;
        maskedFields.push('age');
      }
      if (evidence.description !== null) {
        masked.description = null;
        maskedFields.push('description');
      }
      return { evidence: masked, maskedFields };
    }
    case 'ARREARS_HIT':
      if (evidence.arrearsUserId === null) return { evidence, maskedFields: [] };
      return {
        evidence: { ...evidence, arrearsUserId: maskIdentifier(evidence.arrearsUserId) },
        maskedFields: ['arrearsUserId'],
      };
    case 'DROWSY':
    case 'INTERLOCK':
    case 'PIPELINE_HEALTH':
      return { evidence, maskedFields: [] };
  }
}

/** The alert as every payload carries it. */
export function maskAlert(alert: Alert): Alert {
  const { evidence, maskedFields } = maskEvidence(alert.evidence);
  return { ...alert, evidence, maskedFields };
}

/** The alert with its personal data, for the audited unmask answer only. */
export function unmaskedAlert(alert: Alert): Alert {
  return { ...alert, maskedFields: [] };
}
