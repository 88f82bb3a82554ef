/**
 * X.509 signing certificates of IAM users and of the root user (API_UploadSigningCertificate.html,
 * API_ListSigningCertificates.html, API_UpdateSigningCertificate.html, API_DeleteSigningCertificate.html).
 * Stored as kind 'signingCertificate' under their id; without UserName they belong to the caller (the
 * root user's have no UserName), as for access keys.
 */
import type { CredentialStatus, SigningCertificate } from '../model/entities.js';
import { limitExceeded } from '../model/errors.js';
import { newCertificateId } from '../model/ids.js';
import { duplicateCertificate, parseSigningCertificate } from '../model/signing-certificates.js';
import { credentialsOf, deleteCredential, requireOwner, setCredentialStatus, settableStatus, unusedCredentialId } from './credential-owners.js';
import { defineOperation } from './operation.js';
import { paginate, type PageRequest } from './pagination.js';
import { impliedUserTarget } from './user-targets.js';

/** IAM quotas (reference_iam-quotas.html): signing certificates per user. */
export const SIGNING_CERTIFICATES_PER_USER = 2;

/** AWS's `SigningCertificate`; the root user's have no UserName, as its access keys. */
export interface SigningCertificateView {
  UserName?: string;
  CertificateId: string;
  CertificateBody: string;
  Status: CredentialStatus;
  UploadDate: string;
}

function viewOf(certificate: SigningCertificate): SigningCertificateView {
  const { UserName, CertificateId, CertificateBody, Status, UploadDate } = certificate;
  return { ...(UserName ? { UserName } : {}), CertificateId, CertificateBody, Status, UploadDate };
}

// ---- UploadSigningCertificate --------------------------------------------------------------------

export interface UploadSigningCertificateInput {
  UserName?: string;
  CertificateBody: string;
}

export const uploadSigningCertificate = defineOperation<UploadSigningCertificateInput, { Certificate: SigningCertificateView }>({
  service: 'iam',
  name: 'UploadSigningCertificate',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:UploadSigningCertificate', input.UserName)];
  },
  async execute(context, input) {
    const account = context.accountId;
    const { sha256Fingerprint } = parseSigningCertificate(input.CertificateBody, context.now);
    const certificate = await context.store.write(async (writer) => {
      const owner = await requireOwner(writer, context, input.UserName);
      // "The same certificate is associated with an IAM user in the account" (DuplicateCertificate).
      const inAccount = await writer.list<SigningCertificate>('signingCertificate', account);
      const duplicate = inAccount.find((certificate) => certificate.Sha256Fingerprint === sha256Fingerprint);
      if (duplicate) throw duplicateCertificate(`The Certificate with id ${duplicate.CertificateId} already exists.`);
      if ((await credentialsOf(writer, 'signingCertificate', account, owner)).length >= SIGNING_CERTIFICATES_PER_USER) {
        throw limitExceeded(`Cannot exceed quota for SigningCertificatesPerUser: ${SIGNING_CERTIFICATES_PER_USER}`);
      }
      const created: SigningCertificate = {
        AccountId: account,
        ...(owner !== undefined ? { UserName: owner } : {}),
        CertificateId: await unusedCredentialId(writer, 'signingCertificate', newCertificateId),
        CertificateBody: input.CertificateBody,
        Sha256Fingerprint: sha256Fingerprint,
        Status: 'Active',
        UploadDate: context.now.toISOString(),
      };
      await writer.insert('signingCertificate', account, created.CertificateId, created);
      return created;
    });
    return { Certificate: viewOf(certificate) };
  },
});

// ---- ListSigningCertificates ---------------------------------------------------------------------

export interface ListSigningCertificatesInput extends PageRequest {
  UserName?: string;
}

export interface ListSigningCertificatesOutput {
  Certificates: SigningCertificateView[];
  IsTruncated: boolean;
  Marker?: string;
}

export const listSigningCertificates = defineOperation<ListSigningCertificatesInput, ListSigningCertificatesOutput>({
  service: 'iam',
  name: 'ListSigningCertificates',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:ListSigningCertificates', input.UserName)];
  },
  async execute(context, input) {
    const certificates = await context.store.read(async (reader) =>
      credentialsOf<SigningCertificate>(reader, 'signingCertificate', context.accountId, await requireOwner(reader, context, input.UserName)),
    );
    const page = paginate(certificates, (certificate) => certificate.CertificateId, input);
    return { Certificates: page.items.map(viewOf), IsTruncated: page.IsTruncated, ...(page.Marker ? { Marker: page.Marker } : {}) };
  },
});

// ---- UpdateSigningCertificate --------------------------------------------------------------------

export interface UpdateSigningCertificateInput {
  UserName?: string;
  CertificateId: string;
  Status: CredentialStatus | 'Expired';
}

export const updateSigningCertificate = defineOperation<UpdateSigningCertificateInput, Record<string, never>>({
  service: 'iam',
  name: 'UpdateSigningCertificate',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:UpdateSigningCertificate', input.UserName)];
  },
  async execute(context, input) {
    await setCredentialStatus(context, 'signingCertificate', input.UserName, input.CertificateId, settableStatus(input.Status, 'a signing certificate'));
    return {};
  },
});

// ---- DeleteSigningCertificate --------------------------------------------------------------------

export interface DeleteSigningCertificateInput {
  UserName?: string;
  CertificateId: string;
}

export const deleteSigningCertificate = defineOperation<DeleteSigningCertificateInput, Record<string, never>>({
  service: 'iam',
  name: 'DeleteSigningCertificate',
  async authorize(context, input) {
    return [await impliedUserTarget(context, 'iam:DeleteSigningCertificate', input.UserName)];
  },
  async execute(context, input) {
    await deleteCredential(context, 'signingCertificate', input.UserName, input.CertificateId);
    return {};
  },
});

/** The signing certificate operations, for the registry. */
export const SIGNING_CERTIFICATE_OPERATIONS = [uploadSigningCertificate, listSigningCertificates, updateSigningCertificate, deleteSigningCertificate];
