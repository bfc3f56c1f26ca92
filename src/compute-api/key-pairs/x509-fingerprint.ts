import { X509Certificate } from 'node:crypto';

/**
 * Nova's fingerprint of an x509 key pair's public half, a PEM certificate: the SHA-1 of the
 * certificate in colon-separated lower-case hex. Undefined when the text is not a certificate.
 *
 * @example
 * x509Fingerprint(pem); // 'a1:b2:...' (20 pairs)
 */
export function x509Fingerprint(pem: string): string | undefined {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) return undefined;
  try {
    // Node's fingerprint is the SHA-1 of the DER in upper-case colon hex.
    return new X509Certificate(pem).fingerprint.toLowerCase();
  } catch {
    return undefined;
  }
}
