/**
 * The credential report (API_GenerateCredentialReport.html, API_GetCredentialReport.html,
 * id_credentials_getting-report.html): a CSV of every user's passwords, access keys, MFA and signing
 * certificates, the root user first as `<root_account>`. AWS builds it in the background; Rolecall builds
 * it inside GenerateCredentialReport, so it is complete as soon as that call returns.
 */
import type { AccessKey, LoginProfile, SigningCertificate, User } from '../model/entities.js';
import { rootArn } from '../model/arns.js';
import { AwsError } from '../model/errors.js';
import type { StoreReader } from '../store/types.js';
import { defineOperation, requestPartition } from './operation.js';
import { passwordExpiry, passwordPolicyOf, type PasswordPolicy } from './password-policy.js';

/** The report's columns, in AWS's order (id_credentials_getting-report.html#id_credentials_understanding_the_report_format). */
export const CREDENTIAL_REPORT_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

type Column = (typeof CREDENTIAL_REPORT_COLUMNS)[number];
type Row = Record<Column, string>;

/** IAM makes a new report only when the last one is older than four hours (id_credentials_getting-report.html). */
export const REPORT_LIFETIME_MS = 4 * 60 * 60 * 1000;

const NOT_APPLICABLE = 'N/A';

/** The report as stored: the `setting` entity `credentialReport` of its account. */
interface CredentialReportSetting {
  Kind: 'credentialReport';
  GeneratedTime: string;
  Content: string;
}

const REPORT_KEY = 'credentialReport';

/** The report's timestamps: ISO 8601 to the second with an explicit UTC offset, as AWS's CSV has them. */
function reportTime(iso: string | Date): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function flag(value: boolean): string {
  return value ? 'true' : 'false';
}

/** The columns of one access key slot (1 or 2); N/A throughout when the slot is empty. */
function accessKeyColumns(slot: 1 | 2, key: AccessKey | undefined): Partial<Row> {
  const prefix = `access_key_${slot}` as const;
  return {
    [`${prefix}_active`]: flag(key?.Status === 'Active'),
    [`${prefix}_last_rotated`]: key ? reportTime(key.CreateDate) : NOT_APPLICABLE,
    [`${prefix}_last_used_date`]: key?.LastUsed ? reportTime(key.LastUsed.LastUsedDate) : NOT_APPLICABLE,
    [`${prefix}_last_used_region`]: key?.LastUsed?.Region ?? NOT_APPLICABLE,
    [`${prefix}_last_used_service`]: key?.LastUsed?.ServiceName ?? NOT_APPLICABLE,
  };
}

function certificateColumns(slot: 1 | 2, certificate: SigningCertificate | undefined): Partial<Row> {
  return {
    [`cert_${slot}_active`]: flag(certificate?.Status === 'Active'),
    [`cert_${slot}_last_rotated`]: certificate ? reportTime(certificate.UploadDate) : NOT_APPLICABLE,
  };
}

/** A principal's credentials other than its password, oldest first (the order of the _1 and _2 columns). */
interface HeldCredentials {
  keys: AccessKey[];
  certificates: SigningCertificate[];
  mfaActive: boolean;
}

function credentialColumns(held: HeldCredentials): Partial<Row> {
  return {
    mfa_active: flag(held.mfaActive),
    ...accessKeyColumns(1, held.keys[0]),
    ...accessKeyColumns(2, held.keys[1]),
    ...certificateColumns(1, held.certificates[0]),
    ...certificateColumns(2, held.certificates[1]),
  };
}

/** A user's password columns: N/A without a password; no_information for a password never used. */
function passwordColumns(user: User, profile: LoginProfile | undefined, policy: PasswordPolicy | undefined): Partial<Row> {
  if (!profile) {
    return { password_enabled: 'false', password_last_used: user.PasswordLastUsed ? reportTime(user.PasswordLastUsed) : NOT_APPLICABLE, password_last_changed: NOT_APPLICABLE, password_next_rotation: NOT_APPLICABLE };
  }
  const expiry = passwordExpiry(policy, profile.PasswordLastChanged);
  return {
    password_enabled: 'true',
    password_last_used: user.PasswordLastUsed ? reportTime(user.PasswordLastUsed) : 'no_information',
    password_last_changed: reportTime(profile.PasswordLastChanged),
    password_next_rotation: expiry ? reportTime(expiry) : NOT_APPLICABLE,
  };
}

function byDate<T>(date: (item: T) => string): (a: T, b: T) => number {
  return (a, b) => Date.parse(date(a)) - Date.parse(date(b));
}

/** Groups credentials by owner (lower-cased user name; '' for the root user), oldest first. */
function byOwner<T extends { UserName?: string }>(items: readonly T[], date: (item: T) => string): Map<string, T[]> {
  const owners = new Map<string, T[]>();
  for (const item of [...items].sort(byDate(date))) {
    const owner = item.UserName?.toLowerCase() ?? '';
    owners.set(owner, [...(owners.get(owner) ?? []), item]);
  }
  return owners;
}

/** The report's rows: the root user, then every IAM user. */
async function reportRows(reader: StoreReader, partition: string, account: string, now: Date): Promise<Row[]> {
  const users = await reader.list<User>('user', account);
  const profiles = new Map((await reader.list<LoginProfile>('loginProfile', account)).map((profile) => [profile.UserName.toLowerCase(), profile]));
  const keys = byOwner(await reader.list<AccessKey>('accessKey', account), (key) => key.CreateDate);
  const certificates = byOwner(await reader.list<SigningCertificate>('signingCertificate', account), (certificate) => certificate.UploadDate);
  const mfaUsers = new Set((await reader.list<{ UserName?: string }>('mfaDevice', account)).flatMap((device) => (device.UserName ? [device.UserName.toLowerCase()] : [])));
  const policy = await passwordPolicyOf(reader, account);
  const accountRecord = await reader.get<{ CreateDate: string }>('account', '', account);
  const held = (owner: string): HeldCredentials => ({ keys: keys.get(owner) ?? [], certificates: certificates.get(owner) ?? [], mfaActive: mfaUsers.has(owner) });

  // The root user's password lives outside IAM: its password columns are not_supported, its last use unknown.
  const root = {
    user: '<root_account>',
    arn: rootArn(partition, account),
    user_creation_time: reportTime(accountRecord?.CreateDate ?? now),
    password_enabled: 'not_supported',
    password_last_used: 'no_information',
    password_last_changed: 'not_supported',
    password_next_rotation: 'not_supported',
    ...credentialColumns(held('')),
  } as Row;
  const rows = users.map(
    (user) =>
      ({
        user: user.UserName,
        arn: user.Arn,
        user_creation_time: reportTime(user.CreateDate),
        ...passwordColumns(user, profiles.get(user.UserName.toLowerCase()), policy),
        ...credentialColumns(held(user.UserName.toLowerCase())),
      }) as Row,
  );
  return [root, ...rows];
}

/** The CSV text: a header line, then one line per row (names and ARNs hold no commas or quotes). */
export function credentialReportCsv(rows: readonly Row[]): string {
  const lines = [CREDENTIAL_REPORT_COLUMNS.join(','), ...rows.map((row) => CREDENTIAL_REPORT_COLUMNS.map((column) => row[column]).join(','))];
  return lines.join('\n');
}

async function storedReport(reader: StoreReader, account: string): Promise<CredentialReportSetting | undefined> {
  const setting = await reader.get<Partial<CredentialReportSetting>>('setting', account, REPORT_KEY);
  return setting?.Kind === 'credentialReport' ? (setting as CredentialReportSetting) : undefined;
}

function isExpired(report: CredentialReportSetting, now: Date): boolean {
  return now.getTime() - Date.parse(report.GeneratedTime) >= REPORT_LIFETIME_MS;
}

// ---- GenerateCredentialReport --------------------------------------------------------------------

export interface GenerateCredentialReportOutput {
  State: 'STARTED' | 'INPROGRESS' | 'COMPLETE';
  Description?: string;
}

export const generateCredentialReport = defineOperation<Record<string, never>, GenerateCredentialReportOutput>({
  service: 'iam',
  name: 'GenerateCredentialReport',
  authorize() {
    return [{ action: 'iam:GenerateCredentialReport', resource: '*' }];
  },
  async execute(context) {
    const account = context.accountId;
    return context.store.write(async (writer): Promise<GenerateCredentialReportOutput> => {
      const existing = await storedReport(writer, account);
      if (existing && !isExpired(existing, context.now)) return { State: 'COMPLETE' };
      const content = credentialReportCsv(await reportRows(writer, requestPartition(context), account, context.now));
      const report: CredentialReportSetting = { Kind: 'credentialReport', GeneratedTime: context.now.toISOString(), Content: content };
      await writer.put('setting', account, REPORT_KEY, report);
      // AWS's first answer, although the report is already complete here: the next call answers COMPLETE.
      return existing ? { State: 'STARTED' } : { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
    });
  },
});

// ---- GetCredentialReport -------------------------------------------------------------------------

export interface GetCredentialReportOutput {
  /** The CSV; the protocol layer sends it base64-encoded, as the model's blob. */
  Content: Buffer;
  ReportFormat: 'text/csv';
  GeneratedTime: string;
}

export const getCredentialReport = defineOperation<Record<string, never>, GetCredentialReportOutput>({
  service: 'iam',
  name: 'GetCredentialReport',
  authorize() {
    return [{ action: 'iam:GetCredentialReport', resource: '*' }];
  },
  async execute(context) {
    const report = await context.store.read((reader) => storedReport(reader, context.accountId));
    // AWS's message for a missing report is literally "Unknown".
    if (!report) throw new AwsError('ReportNotPresent', 'Unknown', 410);
    if (isExpired(report, context.now)) {
      throw new AwsError('ReportExpired', 'The credential report has expired. To generate a new credential report, use GenerateCredentialReport.', 410);
    }
    return { Content: Buffer.from(report.Content, 'utf8'), ReportFormat: 'text/csv', GeneratedTime: report.GeneratedTime };
  },
});

/** The credential report operations, for the registry. */
export const CREDENTIAL_REPORT_OPERATIONS = [generateCredentialReport, getCredentialReport];
