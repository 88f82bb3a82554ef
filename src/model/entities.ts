/**
 * IAM entities as Rolecall stores them. Field names follow AWS's API shapes (PascalCase) so operations
 * return them with little mapping; timestamps are ISO 8601 strings; policy documents are kept as the
 * exact text the caller sent (AWS returns it as given, URL-encoded on the wire).
 */

export interface Tag {
  Key: string;
  Value: string;
}

/** An account in this Rolecall (AWS's 12-digit id). */
export interface Account {
  AccountId: string;
  /** Display name (Organizations' account name; the alias for the default account). */
  Name: string;
  Email?: string;
  CreateDate: string;
  /**
   * The partition the account lives in (`aws`, `aws-cn`, ...), fixed for its life as in AWS: set by the
   * first request signed for it (the signing region's partition) or, for a member account, taken from its
   * organization. Absent until then.
   */
  Partition?: string;
}

export interface RoleLastUsed {
  LastUsedDate: string;
  Region: string;
}

export interface Role {
  AccountId: string;
  RoleName: string;
  RoleId: string;
  Path: string;
  Arn: string;
  CreateDate: string;
  AssumeRolePolicyDocument: string;
  Description?: string;
  MaxSessionDuration: number;
  /** ARN of the managed policy used as permissions boundary. */
  PermissionsBoundaryArn?: string;
  Tags: Tag[];
  RoleLastUsed?: RoleLastUsed;
  /** Inline policies by name (names are unique case-insensitively within the role). */
  InlinePolicies: Record<string, string>;
  AttachedPolicyArns: string[];
}

export interface User {
  AccountId: string;
  UserName: string;
  UserId: string;
  Path: string;
  Arn: string;
  CreateDate: string;
  PermissionsBoundaryArn?: string;
  Tags: Tag[];
  PasswordLastUsed?: string;
  InlinePolicies: Record<string, string>;
  AttachedPolicyArns: string[];
  /** Group names the user belongs to. */
  Groups: string[];
}

export interface Group {
  AccountId: string;
  GroupName: string;
  GroupId: string;
  Path: string;
  Arn: string;
  CreateDate: string;
  InlinePolicies: Record<string, string>;
  AttachedPolicyArns: string[];
}

export interface PolicyVersion {
  VersionId: string;
  Document: string;
  IsDefaultVersion: boolean;
  CreateDate: string;
}

/** A customer managed policy (AWS managed policies live in code, not in the store). */
export interface ManagedPolicy {
  AccountId: string;
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  Description?: string;
  CreateDate: string;
  UpdateDate: string;
  Tags: Tag[];
  Versions: PolicyVersion[];
  /** The next version number to hand out (AWS never reuses version ids). */
  NextVersionNumber: number;
  /** Entities the policy is attached to, as policies or as boundaries. */
  Attachments: Array<{ type: 'role' | 'user' | 'group'; name: string }>;
  PermissionsBoundaryUsageCount: number;
}

export interface InstanceProfile {
  AccountId: string;
  InstanceProfileName: string;
  InstanceProfileId: string;
  Path: string;
  Arn: string;
  CreateDate: string;
  Tags: Tag[];
  /** At most one role, by name. */
  RoleNames: string[];
}

export interface OpenIdConnectProvider {
  AccountId: string;
  /** The issuer URL without scheme, e.g. `oidc.eks.us-east-1.amazonaws.com/id/ABC` (the ARN's suffix). */
  Url: string;
  Arn: string;
  ClientIDList: string[];
  ThumbprintList: string[];
  CreateDate: string;
  Tags: Tag[];
}

/**
 * A SAML 2.0 identity provider (API_CreateSAMLProvider.html), kept under its name. Its metadata document
 * holds the IdP's entity id and signing certificates; private keys (sealed with the server key) decrypt
 * encrypted assertions.
 */
export interface SamlProvider {
  AccountId: string;
  Name: string;
  Arn: string;
  SAMLMetadataDocument: string;
  SAMLProviderUUID: string;
  CreateDate: string;
  ValidUntil: string;
  AssertionEncryptionMode?: 'Required' | 'Allowed';
  PrivateKeys: Array<{ KeyId: string; Timestamp: string; SealedKey: string }>;
  Tags: Tag[];
}

export interface AccessKey {
  AccessKeyId: string;
  AccountId: string;
  /** The IAM user who owns the key; absent for the account's root user. */
  UserName?: string;
  Status: 'Active' | 'Inactive';
  /** The secret, sealed with the server key (see auth/secrets.ts); never stored in the clear. */
  SealedSecret: string;
  CreateDate: string;
  LastUsed?: { LastUsedDate: string; ServiceName: string; Region: string };
}

/**
 * A user's console password (API_LoginProfile.html), kept under the user's name. The password is stored
 * only as a salted scrypt hash; earlier hashes are kept for the password policy's reuse prevention.
 */
export interface LoginProfile {
  AccountId: string;
  UserName: string;
  CreateDate: string;
  PasswordResetRequired: boolean;
  /** `scrypt$<salt>$<hash>` (base64), see iam/password-hashing.ts. */
  PasswordHash: string;
  /** When the password was last set: creation, UpdateLoginProfile with a password, or ChangePassword. */
  PasswordLastChanged: string;
  /** Hashes of the passwords this one replaced, newest first, at most the policy's maximum reuse window. */
  PreviousPasswordHashes: string[];
}

/** Who may change a user credential's status: IAM sets `Expired` itself. */
export type CredentialStatus = 'Active' | 'Inactive';

/** An SSH public key for CodeCommit (API_SSHPublicKey.html), kept under its id (`APKA...`). */
export interface SshPublicKey {
  AccountId: string;
  UserName: string;
  SSHPublicKeyId: string;
  /** MD5 of the key's SSH wire blob, colon-separated hex (as `ssh-keygen -E md5 -l` prints it). */
  Fingerprint: string;
  /** The body as uploaded (ssh-rsa or PEM). */
  SSHPublicKeyBody: string;
  Status: CredentialStatus;
  UploadDate: string;
}

/** An X.509 signing certificate (API_SigningCertificate.html), kept under its id; root's have no UserName. */
export interface SigningCertificate {
  AccountId: string;
  UserName?: string;
  CertificateId: string;
  CertificateBody: string;
  /** SHA-256 of the DER certificate: the same certificate may be associated once per account. */
  Sha256Fingerprint: string;
  Status: CredentialStatus;
  UploadDate: string;
}

/** A service-specific credential (API_ServiceSpecificCredential.html), kept under its id (`ACCA...`). */
export interface ServiceSpecificCredential {
  AccountId: string;
  UserName: string;
  ServiceSpecificCredentialId: string;
  ServiceName: string;
  /** CodeCommit and Keyspaces: the generated user name, `<user>-at-<account>`. */
  ServiceUserName?: string;
  /** Bedrock API keys: the public part of the key. */
  ServiceCredentialAlias?: string;
  /** The password (or Bedrock secret), sealed with the server key and bound to the id; never stored in the clear. */
  SealedSecret: string;
  Status: CredentialStatus;
  CreateDate: string;
  ExpirationDate?: string;
}

/** A virtual MFA device (API_VirtualMFADevice.html), kept under its path and name (the ARN's suffix). */
export interface VirtualMfaDevice {
  AccountId: string;
  /** The device's ARN, `arn:aws:iam::ACCOUNT:mfa/PATH/NAME`: its serial number. */
  SerialNumber: string;
  Path: string;
  VirtualMFADeviceName: string;
  /** The base32 TOTP seed, sealed with the server key and bound to the serial number; never stored in the clear. */
  SealedSeed: string;
  CreateDate: string;
  Tags: Tag[];
  /** The IAM user the device is enabled for, and since when; absent while unassigned. */
  UserName?: string;
  EnableDate?: string;
  /** The last TOTP time step a code was accepted for: a code is good once (RFC 6238 §5.2). */
  LastUsedStep?: number;
  /** How many time steps the device's clock runs ahead (negative: behind), learned at enabling and resync. */
  DriftSteps?: number;
}
