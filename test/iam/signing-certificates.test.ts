// X.509 signing certificates of IAM users and of the root user (API_UploadSigningCertificate.html,
// API_ListSigningCertificates.html, API_UpdateSigningCertificate.html, API_DeleteSigningCertificate.html),
// with real self-signed certificates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { call, newContext, rejects } from './fixtures.js';
import { newSelfSignedCertificate } from './credential-material.js';

const CERTIFICATE = newSelfSignedCertificate('first');
const SECOND = newSelfSignedCertificate('second');
const THIRD = newSelfSignedCertificate('third');

/** A root context at the real current time, so freshly issued certificates are within their validity. */
async function contextWithUser(now = new Date()) {
  const context = { ...newContext(), now };
  await call(context, 'CreateUser', { UserName: 'signer' });
  return context;
}

test('UploadSigningCertificate: an id of upper-case letters and digits, the body as sent, status Active', async () => {
  const context = await contextWithUser();
  const { Certificate: certificate } = await call(context, 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: CERTIFICATE });
  assert.match(certificate.CertificateId, /^[A-Z2-7]{32}$/);
  assert.deepEqual(certificate, { UserName: 'signer', CertificateId: certificate.CertificateId, CertificateBody: CERTIFICATE, Status: 'Active', UploadDate: context.now.toISOString() });
});

test('UploadSigningCertificate: MalformedCertificate for what is not a PEM certificate or has expired, InvalidCertificate before its validity', async () => {
  const context = await contextWithUser();
  const malformed = 'Unable to parse certificate. Please ensure the certificate is in PEM format.';
  await rejects(call(context, 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: 'not a certificate' }), 'MalformedCertificate', malformed);
  const truncated = CERTIFICATE.replace(/\n[A-Za-z0-9+/]{20}/, '\n');
  await rejects(call(context, 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: truncated }), 'MalformedCertificate', malformed);

  const { validTo, validFrom } = new X509Certificate(CERTIFICATE);
  const late = await contextWithUser(new Date(new Date(validTo).getTime() + 1000));
  await rejects(
    call(late, 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: CERTIFICATE }),
    'MalformedCertificate',
    `The certificate expired on ${new Date(validTo).toISOString()}.`,
  );
  const early = await contextWithUser(new Date(new Date(validFrom).getTime() - 60_000));
  await rejects(
    call(early, 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: CERTIFICATE }),
    'InvalidCertificate',
    `The certificate is not valid before ${new Date(validFrom).toISOString()}.`,
  );
});

test('UploadSigningCertificate: DuplicateCertificate when the certificate is associated with any user of the account; two per user', async () => {
  const context = await contextWithUser();
  const { Certificate: first } = await call(context, 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: CERTIFICATE });
  await call(context, 'CreateUser', { UserName: 'other' });
  await rejects(
    call(context, 'UploadSigningCertificate', { UserName: 'other', CertificateBody: CERTIFICATE }),
    'DuplicateCertificate',
    `The Certificate with id ${first.CertificateId} already exists.`,
  );
  await call(context, 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: SECOND });
  await rejects(
    call(context, 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: THIRD }),
    'LimitExceeded',
    'Cannot exceed quota for SigningCertificatesPerUser: 2',
  );
});

test('UploadSigningCertificate without UserName, called as root: the root user\'s own certificate, listed without a UserName', async () => {
  const context = await contextWithUser();
  const { Certificate: certificate } = await call(context, 'UploadSigningCertificate', { CertificateBody: CERTIFICATE });
  assert.equal(certificate.UserName, undefined);
  assert.deepEqual((await call(context, 'ListSigningCertificates', {})).Certificates, [certificate]);
  assert.deepEqual((await call(context, 'ListSigningCertificates', { UserName: 'signer' })).Certificates, []);
});

test('ListSigningCertificates, UpdateSigningCertificate, DeleteSigningCertificate; DeleteUser refuses while certificates exist', async () => {
  const context = await contextWithUser();
  const { Certificate: certificate } = await call(context, 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: CERTIFICATE });
  const id = certificate.CertificateId;
  await call(context, 'UpdateSigningCertificate', { UserName: 'signer', CertificateId: id, Status: 'Inactive' });
  const listed = await call(context, 'ListSigningCertificates', { UserName: 'signer' });
  assert.deepEqual(listed, { Certificates: [{ ...certificate, Status: 'Inactive' }], IsTruncated: false });
  await rejects(call(context, 'DeleteUser', { UserName: 'signer' }), 'DeleteConflict', 'Cannot delete entity, must delete signing certificates first.');
  await rejects(call(context, 'DeleteSigningCertificate', { CertificateId: id }), 'NoSuchEntity', `The Certificate with id ${id} cannot be found.`);
  await call(context, 'DeleteSigningCertificate', { UserName: 'signer', CertificateId: id });
  await call(context, 'DeleteUser', { UserName: 'signer' });
});

test('GetAccountSummary: AccountSigningCertificatesPresent is 1 only while the root user has a certificate of its own (API_GetAccountSummary.html)', async () => {
  const context = await contextWithUser();
  const present = async () => (await call(context, 'GetAccountSummary', {})).SummaryMap.AccountSigningCertificatesPresent;
  await call(context, 'UploadSigningCertificate', { UserName: 'signer', CertificateBody: CERTIFICATE });
  assert.equal(await present(), 0, "a user's certificate is not the account's");
  const { Certificate: root } = await call(context, 'UploadSigningCertificate', { CertificateBody: SECOND });
  assert.equal(await present(), 1);
  await call(context, 'DeleteSigningCertificate', { CertificateId: root.CertificateId });
  assert.equal(await present(), 0);
});
