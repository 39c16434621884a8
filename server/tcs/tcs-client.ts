/**
 * The police Traffic Crime System (TCS, 교통범죄정보시스템) client: files one case per major
 * interlock violation with `POST {TCS_URL}/cases`, signed (see tcs-signature.ts), with the hand-off's
 * idempotency key, and gives up on an attempt after a time-out. It only reports what happened;
 * the dispatch worker decides what that means (server/domain/tcs-dispatch.ts).
 *
 * Over https:// it speaks TLS 1.2 or later only (seed 001 §9, note 2) and verifies the server's
 * certificate against the system's CAs, or against TCS_CA_FILE for a private PKI. It uses
 * node:https rather than fetch because fetch cannot be given a TLS floor or a CA of its own.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { SecureVersion } from 'node:tls';
import type { Violation } from '../../shared/interlock';
import { formatKstIso } from '../../shared/time';
import { classifyTcsResponse, type TcsAnswer } from '../domain/tcs-dispatch';
import { signTcsRequest, TCS_HEADERS } from './tcs-signature';

export const TCS_CASE_SCHEMA = 'busan-control-room/interlock-case/v1';
/** Answers bigger than this are not read (a TCS answer is a few hundred bytes). */
const MAX_ANSWER_BYTES = 64 * 1024;
/** The oldest TLS the link accepts (seed 001 §9, note 2: HTTPS, TLS 1.2 or later). */
export const TCS_MIN_TLS_VERSION: SecureVersion = 'TLSv1.2';
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
  /** The offender from the interlock registry; null when the device has no subject on record. */
  subject: {
    subjectId: string;
    name: string;
    licenceNumber: string | null;
    phone: string | null;
    obligationStart: string;
    obligationEnd: string;
  } | null;
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
          subjectId: violation.subject.subjectId,
          name: violation.subject.name,
          licenceNumber: violation.subject.licenceNumber,
          phone: violation.subject.phone,
          obligationStart: isoKst(violation.subject.obligationStartMs),
          obligationEnd: isoKst(violation.subject.obligationEndMs),
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
  /** PEM certificates (TCS_CA_FILE) trusted for the TCS server instead of the system's CAs. */
  ca?: string;
  now?: () => number;
}

export class TcsClient {
  private readonly casesUrl: URL;
  private readonly now: () => number;
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(private readonly options: TcsClientOptions) {
    const base = options.url.endsWith('/') ? options.url : `${options.url}/`;
    this.casesUrl = new URL('cases', base);
    this.now = options.now ?? Date.now;
    this.agent =
      this.casesUrl.protocol === 'https:'
        ? new HttpsAgent({
            keepAlive: true,
            minVersion: TCS_MIN_TLS_VERSION,
            // Never turned off: a TCS whose certificate does not verify is not TCS.
            rejectUnauthorized: true,
            ...(options.ca !== undefined && { ca: options.ca }),
          })
        : new HttpAgent({ keepAlive: true });
  }

  get endpoint(): string {
    return this.casesUrl.toString();
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
      const { status, answerBody } = await this.post(
        text,
        {
          'content-type': 'application/json; charset=utf-8',
          accept: 'application/json',
          [TCS_HEADERS.timestamp]: timestamp,
          [TCS_HEADERS.signature]: signTcsRequest(this.options.secret, timestamp, text),
          [TCS_HEADERS.idempotencyKey]: body.idempotencyKey,
        },
        combined,
      );
      return {
        httpStatus: status,
        durationMs: elapsed(),
        answer: classifyTcsResponse(status, answerBody),
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

  /** Closes kept-alive connections (relay shutdown). */
  close(): void {
    this.agent.destroy();
  }

  /** One POST; redirects are not followed (a redirected case could land anywhere). */
  private post(
    text: string,
    headers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<{ status: number; answerBody: unknown }> {
    const send = this.casesUrl.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = send(
        this.casesUrl,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...headers, 'content-length': String(Buffer.byteLength(text)) },
          signal,
        },
        (response) => {
          readAnswer(response).then(
            (answerBody) => resolve({ status: response.statusCode ?? 0, answerBody }),
            reject,
          );
        },
      );
      req.once('error', reject);
      req.end(text);
    });
  }
}

async function readAnswer(response: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    const buffer = chunk as Buffer;
    // Read on to the end (so the connection can be reused) but keep only the start.
    if (size < MAX_ANSWER_BYTES) chunks.push(buffer);
    size += buffer.length;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (size > MAX_ANSWER_BYTES) return text.slice(0, MAX_ANSWER_BYTES);
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
    const code = (error as { code?: unknown }).code;
    const named = typeof code === 'string' && !error.message.includes(code) ? ` [${code}]` : '';
    return detail ? `${error.message}${named} (${detail})` : `${error.message}${named}`;
  }
  return String(error);
}
