/**
 * X.509 signing certificates as UploadSigningCertificate accepts them (API_UploadSigningCertificate.html):
 * one PEM certificate that parses (MalformedCertificate otherwise, as for an expired one) and is already
 * valid (InvalidCertificate otherwise).
 */
import { X509Certificate } from 'node:crypto';
import { AwsError } from './errors.js';

export const malformedCertificate = (message: string) => new AwsError('MalformedCertificate', message, 400);
export const invalidCertificate = (message: string) => new AwsError('InvalidCertificate', message, 400);
export const duplicateCertificate = (message: string) => new AwsError('DuplicateCertificate', message, 409);

/** What Rolecall keeps of a certificate beyond its body: the fingerprint duplicates are found by. */
export interface ParsedSigningCertificate {
  sha256Fingerprint: string;
}

/** Checks a signing certificate body at `now`; AWS's MalformedCertificate or InvalidCertificate when it can't be used. */
export function parseSigningCertificate(body: string, now: Date): ParsedSigningCertificate {
  const text = body.trim();
  let certificate: X509Certificate;
  try {
    if (!text.startsWith('-----BEGIN CERTIFICATE-----')) throw new Error('not PEM');
    certificate = new X509Certificate(text);
  } catch {
    throw malformedCertificate('Unable to parse certificate. Please ensure the certificate is in PEM format.');
  }
  if (new Date(certificate.validTo) < now) throw malformedCertificate(`The certificate expired on ${new Date(certificate.validTo).toISOString()}.`);
  if (new Date(certificate.validFrom) > now) throw invalidCertificate(`The certificate is not valid before ${new Date(certificate.validFrom).toISOString()}.`);
  return { sha256Fingerprint: certificate.fingerprint256 };
}
