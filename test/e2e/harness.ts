/**
 * End-to-end harness: starts the real `rolecall serve` as a child process on a free loopback port with
 * its own data folder and fixed root credentials, and drives it with the real AWS clients — the pip AWS
 * CLI v1, the official current AWS CLI v2 (unpacked from `@aws-cdk/asset-awscli-v2`, see aws-cli-v2.ts),
 * both finding the server through AWS_ENDPOINT_URL, boto3, and the AWS SDK for JavaScript v3. Every test
 * file starts its own server, so files run in parallel without sharing state.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { awsCliV2 } from './aws-cli-v2.js';

/** The default account (AWS's documentation account) that root credentials belong to. */
export const ACCOUNT_ID = '123456789012';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Root credentials given to every test server through ROLECALL_ROOT_ACCESS_KEY_ID/SECRET. */
export const ROOT: Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** The repository root, from dist/test/e2e/ (compiled) or test/e2e/ (source). */
export const REPO_ROOT = fileURLToPath(new URL(import.meta.url.includes('/dist/') ? '../../../' : '../../', import.meta.url));

const execFileAsync = promisify(execFile);

const SERVER_MAIN = join(REPO_ROOT, 'dist', 'src', 'cli', 'main.js');
// A bound for a broken server, not a timing: on a 2-core machine under load, start-up alone takes 15 s.
const STARTUP_TIMEOUT_MS = 120_000;
// Also a bound for a hung client, not a timing: a README script of a dozen CLI calls took 150 s under load.
const CLIENT_TIMEOUT_MS = 600_000;

/** What a command-line client printed and how it exited. */
export interface CommandResult {
  status: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  credentials?: Credentials;
  /** Working directory (for file:// arguments); the server's scratch folder by default. */
  cwd?: string;
}

/** A running Rolecall server of one test file, with clients pointed at it. */
export class E2eServer {
  private constructor(
    /** `http://127.0.0.1:PORT`. */
    readonly url: string,
    /** Scratch folder of this server: holds `data/` and any files a test writes. */
    readonly workDir: string,
    private readonly child: ChildProcess,
    private readonly exited: Promise<void>,
    private readonly log: string[],
  ) {}

  /** What the server wrote on stderr so far (startup line, failures of requests): for diagnostics. */
  serverLog(): string {
    return this.log.join('');
  }

  /**
   * Starts `rolecall serve --port 0 --data <tmp> --quiet` (plus any `serveFlags`) and waits for its
   * "listening on" line.
   */
  static async start(serveFlags: readonly string[] = []): Promise<E2eServer> {
    const workDir = await mkdtemp(join(tmpdir(), 'rolecall-e2e-'));
    const child = spawn(process.execPath, [SERVER_MAIN, 'serve', '--port', '0', '--data', join(workDir, 'data'), '--quiet', ...serveFlags], {
      env: {
        // The machine's own ROLECALL_* settings (a database URL, a port) must not redirect the test server.
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ROLECALL_'))),
        ROLECALL_ROOT_ACCESS_KEY_ID: ROOT.accessKeyId,
        ROLECALL_ROOT_SECRET_ACCESS_KEY: ROOT.secretAccessKey,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const log: string[] = [];
    // A test process that dies must not leave its server running.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    try {
      const url = await watchStartup(child, log);
      return new E2eServer(url, workDir, child, exited, log);
    } catch (error) {
      child.kill('SIGKILL');
      await exited;
      await rm(workDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Stops the server (SIGTERM: it closes the store cleanly) and removes its scratch folder. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
    await rm(this.workDir, { recursive: true, force: true });
  }

  /** Runs the built `rolecall` CLI against this server's data folder (e.g. `rolecall audit`). */
  rolecall(args: string[]): Promise<CommandResult> {
    return run(process.execPath, [SERVER_MAIN, ...args, '--data', join(this.workDir, 'data')], { env: process.env, cwd: this.workDir });
  }

  /** `rolecall account create --name NAME --id ID` on this server's data: the new account's root key. */
  async createAccount(name: string, id: string): Promise<Credentials> {
    const created = await this.rolecall(['account', 'create', '--name', name, '--id', id]);
    if (created.status !== 0) throw new Error(`account create ${id} failed: ${created.stderr}`);
    return {
      accessKeyId: /AWS_ACCESS_KEY_ID=(\S+)/.exec(created.stdout)![1]!,
      secretAccessKey: /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(created.stdout)![1]!,
    };
  }

  /**
   * Runs the built `rolecall` CLI as an AWS API client of this server (apply, diff, get, ...): the
   * environment the AWS CLI gets (keys, region, AWS_ENDPOINT_URL), plus `env`, with `input` on stdin.
   */
  rolecallClient(args: string[], options: { input?: string; credentials?: Credentials; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
    return run(process.execPath, [SERVER_MAIN, ...args], {
      env: { ...this.cliEnv(options.credentials), ...options.env },
      cwd: this.workDir,
      ...(options.input !== undefined ? { input: options.input } : {}),
    });
  }

  /** Writes a file into the scratch folder and returns its absolute path. */
  async writeFile(name: string, text: string): Promise<string> {
    const path = join(this.workDir, name);
    await writeFile(path, text);
    return path;
  }

  /** Environment for AWS command-line clients: keys, region, and no user config or pager. */
  cliEnv(credentials: Credentials = ROOT): NodeJS.ProcessEnv {
    // The machine's own AWS_* settings must not leak into a test, nor the CLI's credential cache
    // (~/.aws/cli/cache, keyed by role ARN): each server gets its own HOME, so a session cached against
    // another test's server is never reused.
    const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
    return {
      ...inherited,
      HOME: this.workDir,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: this.url,
      AWS_CONFIG_FILE: join(this.workDir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(this.workDir, 'no-aws-credentials'),
      AWS_PAGER: '',
      AWS_CLI_AUTO_PROMPT: 'off',
      AWS_MAX_ATTEMPTS: '1',
      AWS_RETRY_MODE: 'standard',
    };
  }

  /** Runs the pip AWS CLI v1 (`aws` on PATH), which finds the server through AWS_ENDPOINT_URL. */
  async awsV1(args: string[], options: CliOptions = {}): Promise<CommandResult> {
    return run(await awsCliV1(), [...args, '--output', 'json'], { env: this.cliEnv(options.credentials), cwd: options.cwd ?? this.workDir });
  }

  /** Runs the official AWS CLI v2, which finds the server through AWS_ENDPOINT_URL. */
  async awsV2(args: string[], options: CliOptions = {}): Promise<CommandResult> {
    return run(await awsCliV2(), [...args, '--output', 'json'], { env: this.cliEnv(options.credentials), cwd: options.cwd ?? this.workDir });
  }

  /** Runs a bash script with the given AWS CLI as `aws` and the built CLI as `rolecall`, as a user's shell has them. */
  async bash(script: string, cli: 'v1' | 'v2', options: CliOptions = {}): Promise<CommandResult> {
    const binary = cli === 'v2' ? await awsCliV2() : await awsCliV1();
    const prelude = `aws() { '${binary}' "$@"; }\nrolecall() { '${process.execPath}' '${SERVER_MAIN}' "$@"; }\n`;
    return run('bash', ['-euo', 'pipefail', '-c', prelude + script], { env: this.cliEnv(options.credentials), cwd: options.cwd ?? this.workDir });
  }

  /**
   * Runs a boto3 script in one python3 process. The script sees `iam`, `sts` (clients for this server),
   * `session_for(access_key_id, secret)`, `inp` (the JSON input), and sets `out` (printed as JSON).
   */
  async boto3(script: string, input: unknown = null, credentials: Credentials = ROOT): Promise<unknown> {
    await requireBoto3();
    const result = await run('python3', ['-c', BOTO3_PRELUDE + script + BOTO3_EPILOGUE], {
      env: { ...this.cliEnv(credentials), ROLECALL_URL: this.url },
      cwd: this.workDir,
      input: JSON.stringify(input),
    });
    if (result.status !== 0) throw new Error(`boto3 script failed (${result.status}):\n${result.stderr}`);
    return JSON.parse(result.stdout) as unknown;
  }

  /** A boto3 script file from test/e2e/python/, run like boto3(). */
  async boto3File(fileName: string, input: unknown = null, credentials: Credentials = ROOT): Promise<unknown> {
    return this.boto3(await readFile(join(REPO_ROOT, 'test', 'e2e', 'python', fileName), 'utf8'), input, credentials);
  }

  /** An @aws-sdk/client-iam client for this server. */
  iam(credentials: Credentials = ROOT): IAMClient {
    return new IAMClient({ endpoint: this.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  }

  /** An @aws-sdk/client-eks client for this server. */
  eks(credentials: Credentials = ROOT, region = 'us-east-1'): EKSClient {
    return new EKSClient({ endpoint: this.url, region, credentials, maxAttempts: 1 });
  }

  /** An @aws-sdk/client-sts client for this server. */
  sts(credentials: Credentials = ROOT): STSClient {
    return new STSClient({ endpoint: this.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  }
}

export { awsCliV2 } from './aws-cli-v2.js';

/** What a machine without the Python clients needs; the tests that use them fail with this, never skip. */
const INSTALL_PYTHON_CLIENTS = 'install them with: pip install awscli boto3';

let cliV1: Promise<string> | undefined;

/**
 * The pip AWS CLI v1: `aws` on PATH, checked once to really be v1 (an `aws` on PATH may be a v2).
 * Under pyenv `aws` is a shell shim which re-resolves the interpreter on every call; resolving it once
 * saves a fifth of every CLI call's start-up.
 */
function awsCliV1(): Promise<string> {
  cliV1 ??= (async () => {
    const resolved = spawnSync('pyenv', ['which', 'aws'], { encoding: 'utf8' });
    const binary = resolved.status === 0 && resolved.stdout.trim() !== '' ? resolved.stdout.trim() : 'aws';
    const version = await execFileAsync(binary, ['--version'], { encoding: 'utf8' }).then(
      ({ stdout, stderr }) => `${stdout}${stderr}`.trim(),
      (error: Error) => `not runnable (${error.message})`,
    );
    if (!version.startsWith('aws-cli/1.')) throw new Error(`the AWS CLI v1 tests need the pip AWS CLI v1 as \`aws\` on PATH, found: ${version}; ${INSTALL_PYTHON_CLIENTS}`);
    return binary;
  })();
  return cliV1;
}

let boto3Checked: Promise<void> | undefined;

/** Fails with what to install when python3 or its boto3 is missing, instead of a bare traceback. */
function requireBoto3(): Promise<void> {
  boto3Checked ??= execFileAsync('python3', ['-c', 'import boto3']).then(
    () => undefined,
    (error: Error & { stderr?: string }) => {
      throw new Error(`the boto3 tests need python3 with boto3: ${(error.stderr ?? error.message).trim().split('\n').pop()}; ${INSTALL_PYTHON_CLIENTS}`);
    },
  );
  return boto3Checked;
}

/** Parses a successful CLI run's JSON output; throws with the CLI's stderr otherwise. */
export function cliJson<T = Record<string, unknown>>(result: CommandResult): T {
  if (result.status !== 0) throw new Error(`aws exited ${result.status}: ${result.stderr.trim()}`);
  return (result.stdout.trim() === '' ? {} : JSON.parse(result.stdout)) as T;
}

/** The "An error occurred (Code) when calling the Op operation: message" line of a failed CLI run. */
export function cliError(result: CommandResult): { code: string; operation: string; message: string } {
  if (result.status === 0) throw new Error(`expected the AWS CLI to fail, it printed: ${result.stdout}`);
  const match = /An error occurred \(([^)]+)\) when calling the (\w+) operation(?: \(reached max retries: \d+\))?: (.*)/s.exec(result.stderr);
  if (!match) throw new Error(`unexpected AWS CLI error output: ${result.stderr}`);
  return { code: match[1]!, operation: match[2]!, message: match[3]!.trim() };
}

const BOTO3_PRELUDE = String.raw`
import datetime, json, os, sys
import boto3, botocore
from botocore.config import Config

inp = json.load(sys.stdin)
_config = Config(retries={'max_attempts': 1, 'mode': 'standard'})

def session_for(access_key_id, secret_access_key):
    session = boto3.session.Session(aws_access_key_id=access_key_id, aws_secret_access_key=secret_access_key, region_name='us-east-1')
    return (session.client('iam', endpoint_url=os.environ['ROLECALL_URL'], config=_config),
            session.client('sts', endpoint_url=os.environ['ROLECALL_URL'], config=_config))

iam, sts = session_for(os.environ['AWS_ACCESS_KEY_ID'], os.environ['AWS_SECRET_ACCESS_KEY'])

def client_error(call, **kwargs):
    """The (code, message, HTTP status) of a call that must fail with a ClientError."""
    try:
        call(**kwargs)
    except botocore.exceptions.ClientError as error:
        return {'code': error.response['Error']['Code'], 'message': error.response['Error']['Message'],
                'status': error.response['ResponseMetadata']['HTTPStatusCode']}
    raise AssertionError('expected %s to fail' % call.__name__)

out = None
`;

const BOTO3_EPILOGUE = String.raw`

def _to_json(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    raise TypeError(type(value))

print(json.dumps(out, default=_to_json))
`;

interface RunOptions {
  env: NodeJS.ProcessEnv;
  cwd: string;
  input?: string;
}

/** Runs a program without blocking the event loop (other tests of the file keep running). */
function run(command: string, args: string[], options: RunOptions): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLIENT_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ status: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Collects the server's stderr; resolves with the URL of its "listening on" line, rejects if it exits first. */
function watchStartup(child: ChildProcess, log: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      action();
    };
    const timer = setTimeout(
      () => settle(() => reject(new Error(`server did not start within ${STARTUP_TIMEOUT_MS} ms:\n${log.join('')}`))),
      STARTUP_TIMEOUT_MS,
    );
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      log.push(chunk);
      const match = /rolecall: listening on (http:\/\/\S+)/.exec(log.join(''));
      if (match) settle(() => resolve(match[1]!));
    });
    child.once('exit', (code) => settle(() => reject(new Error(`server exited (${code}) before listening:\n${log.join('')}`))));
  });
}
