/**
 * Masking of an obliged driver's personal data in violation payloads. As with alerts
 * (server/domain/masking.ts), every payload is masked whatever the receiver's role; the data is
 * revealed only through the audited unmask (`pii.unmask`: supervisors, admins), so a viewer or
 * operator never sees it and every look leaves a trace.
 */
import type { Violation } from '../../shared/interlock';
import { maskIdentifier, maskName } from './masking';

export function maskViolation(violation: Violation): Violation {
  const subject = violation.subject;
  if (subject === null) return { ...violation, maskedFields: [] };
  const maskedFields = ['name'];
  if (subject.licenceNumber !== null) maskedFields.push('licenceNumber');
  if (subject.phone !== null) maskedFields.push('phone');
  return {
    ...violation,
    subject: {
      ...subject,
      name: maskName(subject.name),
      licenceNumber: subject.licenceNumber === null ? null : maskIdentifier(subject.licenceNumber),
      phone: subject.phone === null ? null : maskIdentifier(subject.phone),
    },
    maskedFields,
  };
}

/** The violation with its personal data, for the audited unmask answer only. */
export function unmaskedViolation(violation: Violation): Violation {
  return { ...violation, maskedFields: [] };
}
