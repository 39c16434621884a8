/**
 * The police Traffic Crime System (TCS, 교통범죄정보시스템) client: files one case per major
 * interlock violation with `POST {TCS_URL}/cases`, signed (see tcs-signature.ts), with the hand-off's
 * idempotency key, and gives up on an attempt after a time-out. It only reports what happened;
 * the dispatch worker decides what that means (server/domain/tcs-dispatch.ts).
 */
import type { Violation } from '../../shared/interlock';
import { formatKstIso } from '../../shared/time';
import { classifyTcsResponse, type TcsAnswer } from '../domain/tcs-dispatch';
import { signTcsRequest, TCS_HEADERS } from './tcs-signature';

export const TCS_CASE_SCHEMA = 'busan-control-room/interlock-case/v1';
/** Answers bigger than this are not read (a TCS answer is a few hundred bytes). */
const MAX_ANSWER_BYTES = 64 * 1024;
const KST_ZONE = '+09:00';

/** What TCS receives for one case. The subject is unmasked: TCS registers the offender. */
export interface TcsCaseBody {
  schema: typeof TCS_CASE_SCHEMA;
  idempotencyKey: string;
  violation: {
    id: number;
    rule: Violation['rule'];
    grade: Violation['grade'];
    occurredAt: string;
    bac: number | null;
    evidenceEventIds: string[];
    location: { lat: number; lon: number; dong: string | null; district: string | null } | null;
  };
  device: Violation['device'];
  subject: { name: string; licenceNumber: string | null; phone: string | null } | null;
  vehicle: { plate: string | null; carId: string | null } | null;
  requestedBy: string;
  approvedBy: string | null;
  agency: string;
}

export const AGENCY = '부산광역시 통합관제센터';

/** ISO 8601 in KST with its zone, as another system should receive a time. */
export function isoKst(ms: number): string {
  return `${formatKstIso(ms)}${KST_ZONE}`;
}

export function caseBodyOf(
  violation: Violation,
  dispatch: { idempotencyKey: string; requestedBy: string; approvedBy: string | null },
): TcsCaseBody {
  const located = violation.lat !== null && violation.lon !== null;
  return {
    schema: TCS_CASE_SCHEMA,
    idempotencyKey: dispatch.idempotencyKey,
    violation: {
      id: violation.id,
      rule: violation.rule,
      grade: violation.grade,
      occurredAt: isoKst(violation.occurredMs),
      bac: violation.bac,
      evidenceEventIds: violation.evidenceEventIds,
      location: located
        ? {
            lat: violation.lat!,
            lon: violation.lon!,
            dong: violation.dongName,
            district: violation.districtName,
          }
        : null,
    },
    device: violation.device,
    subject: violation.subject
      ? {
          name: violation.subject.name,
          licenceNumber: violation.subject.licenceNumber,
          phone: violation.subject.phone,
        }
      : null,
    vehicle:
      violation.plate !== null || violation.carId !== null
        ? { plate: violation.plate, carId: violation.carId }
        : null,
    requestedBy: dispatch.requestedBy,
    approvedBy: dispatch.approvedBy,
    agency: AGENCY,
  };
}

export type TcsAttemptResult = {
  /** null when no HTTP answer came. */
  httpStatus: number | null;
  durationMs: number;
  /** `aborted`: the caller cancelled (relay shutdown); says nothing about TCS. */
  answer: TcsAnswer | { kind: 'aborted'; error: string };
};

export interface TcsClientOptions {
  /** TCS_URL: the base; cases go to `{url}/cases`. */
  url: string;
  secret: string;
  timeoutMs: number;
  now?: () => number;
}

export class TcsClient {
  private readonly casesUrl: string;
  private readonly now: () => number;

  constructor(private readonly options: TcsClientOptions) {
    const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
    this.casesUrl = new URL('cases', base).toString();
    this.now = options.now ?? Date.now;
  }

  get endpoint(): string {
    return this.casesUrl;
  }

  /** One attempt; never throws. `signal` cancels it (then the answer is `aborted`). */
  async fileCase(body: TcsCaseBody, signal?: AbortSignal): Promise<TcsAttemptResult> {
    const started = performance.now();
    const text = JSON.stringify(body);
    const timestamp = String(this.now());
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await fetch(this.casesUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json',
          [TCS_HEADERS.timestamp]: timestamp,
          [TCS_HEADERS.signature]: signTcsRequest(this.options.secret, timestamp, text),
          [TCS_HEADERS.idempotencyKey]: body.idempotencyKey,
        },
        body: text,
        signal: combined,
        redirect: 'error',
      });
      const answerBody = await readAnswer(response);
      return {
        httpStatus: response.status,
        durationMs: elapsed(),
        answer: classifyTcsResponse(response.status, answerBody),
      };
    } catch (error) {
      if (signal?.aborted) {
        return {
          httpStatus: null,
          durationMs: elapsed(),
          answer: { kind: 'aborted', error: 'relay stopped during the attempt' },
        };
      }
      const message = timeout.aborted
        ? `no answer within ${this.options.timeoutMs} ms`
        : `network error: ${describe(error)}`;
      return {
        httpStatus: null,
        durationMs: elapsed(),
        answer: { kind: 'retryable', error: message },
      };
    }
  }
}

async function readAnswer(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.length > MAX_ANSWER_BYTES) return text.slice(0, MAX_ANSWER_BYTES);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? cause.message : '';
    return detail ? `${error.message} (${detail})` : error.message;
  }
  return String(error);
}
