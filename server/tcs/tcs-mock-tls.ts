/**
 * A private certificate authority and a server certificate for the local TCS stand-in, made on the
 * spot (no network, nothing kept): the stand-in serves HTTPS with the server certificate and the
 * relay trusts the authority through TCS_CA_FILE, so the link is tried exactly as with a real TCS on
 * a private PKI — TLS 1.2 or later, the certificate verified, the host name checked.
 */
import { generate } from 'selfsigned';

/** Long enough for a demo left running; a fresh pair is made at every start anyway. */
const VALID_DAYS = 30;
const MS_PER_DAY = 86_400_000;
/** SAN entry types (RFC 5280): DNS name, IP address. */
const SAN_DNS = 2;
const SAN_IP = 7;

export interface TcsMockCertificate {
  /** PEM of the authority that signed `cert`: what the relay's TCS_CA_FILE holds. */
  ca: string;
  /** PEM of the server certificate (for localhost, 127.0.0.1 and ::1 unless told otherwise). */
  cert: string;
  /** PEM of the server certificate's private key. */
  key: string;
}

export async function generateTcsMockCertificate(
  options: { hosts?: readonly string[]; nowMs?: number } = {},
): Promise<TcsMockCertificate> {
  const hosts = options.hosts ?? ['localhost', '127.0.0.1', '::1'];
  const notBeforeDate = new Date(options.nowMs ?? Date.now());
  const notAfterDate = new Date(notBeforeDate.getTime() + VALID_DAYS * MS_PER_DAY);
  const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256' } as const;
  const authority = await generate([{ name: 'commonName', value: 'TCS stand-in local CA' }], {
    ...common,
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }], {
    ...common,
    notBeforeDate,
    notAfterDate,
    ca: { key: authority.private, cert: authority.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: hosts.map((host) =>
          /^[\d.]+$/.test(host) || host.includes(':')
            ? { type: SAN_IP, ip: host }
            : { type: SAN_DNS, value: host },
        ),
      },
    ],
  });
  return { ca: authority.cert, cert: server.cert, key: server.private };
}
