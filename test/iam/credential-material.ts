// Real key and certificate material for the credential tests: RSA keys from node:crypto, their OpenSSH
// form and MD5 fingerprint as ssh-keygen itself prints them, and self-signed certificates from openssl
// (node:crypto reads X.509 but cannot issue it).
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An RSA public key of `bits` bits in the forms IAM accepts, with the fingerprint ssh-keygen gives it. */
export interface RsaPublicKey {
  pem: string;
  openSsh: string;
  md5Fingerprint: string;
}

function inTemporaryDirectory<T>(work: (directory: string) => T): T {
  const directory = mkdtempSync(join(tmpdir(), 'rolecall-credentials-'));
  try {
    return work(directory);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** A fresh RSA key; the OpenSSH form and fingerprint come from ssh-keygen, not from Rolecall's code. */
export function newRsaPublicKey(bits = 2048): RsaPublicKey {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const pem = (publicKey.export({ type: 'spki', format: 'pem' }) as string).trim();
  return inTemporaryDirectory((directory) => {
    const pemFile = join(directory, 'key.pem');
    writeFileSync(pemFile, pem + '\n');
    const openSsh = execFileSync('ssh-keygen', ['-i', '-m', 'PKCS8', '-f', pemFile], { encoding: 'utf8' }).trim();
    const sshFile = join(directory, 'key.pub');
    writeFileSync(sshFile, openSsh + ' test@rolecall\n');
    // "2048 MD5:aa:bb:... test@rolecall (RSA)"
    const listed = execFileSync('ssh-keygen', ['-l', '-E', 'md5', '-f', sshFile], { encoding: 'utf8' });
    return { pem, openSsh, md5Fingerprint: /MD5:([0-9a-f:]+)/.exec(listed)![1]! };
  });
}

/** An ed25519 key in OpenSSH form, from ssh-keygen: a key type IAM does not take. */
export function newEd25519OpenSshKey(): string {
  return inTemporaryDirectory((directory) => {
    const keyFile = join(directory, 'id_ed25519');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile], { stdio: 'ignore' });
    return readFileSync(keyFile + '.pub', 'utf8').trim();
  });
}

/** A self-signed X.509 certificate in PEM, valid from now for `days` days. */
export function newSelfSignedCertificate(commonName = 'rolecall-test', days = 30): string {
  return inTemporaryDirectory((directory) => {
    const certificateFile = join(directory, 'certificate.pem');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(directory, 'key.pem'), '-out', certificateFile,
      '-subj', `/CN=${commonName}`, '-days', String(days),
    ], { stdio: 'ignore' });
    return readFileSync(certificateFile, 'utf8');
  });
}
