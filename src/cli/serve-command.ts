/** `rolecall serve`: runs the IAM/STS endpoint until SIGINT/SIGTERM. */
import { DEFAULT_ACCOUNT_ID } from '../server/bootstrap.js';
import { DEFAULT_PORT, startRolecallServer } from '../server/rolecall-server.js';
import { requestLimitsFrom } from '../server/request-limits.js';
import { parseFlags } from './flags.js';

export async function runServeCommand(args: string[]): Promise<number> {
  const flags = parseFlags(args, {
    values: ['host', 'port', 'data', 'database', 'public-url', 'max-connections', 'request-timeout', 'max-buffered-body-bytes', 'server-keys-file'],
    switches: ['allow-reset', 'quiet'],
  });
  const env = process.env;
  const portText = flags.values.port ?? env.ROLECALL_PORT;
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port '${portText}'`);
  const databaseUrl = flags.values.database ?? env.ROLECALL_DATABASE_URL;
  const dataDir = flags.values.data ?? env.ROLECALL_DATA;
  const publicUrl = flags.values['public-url'] ?? env.ROLECALL_PUBLIC_URL;
  const limits = requestLimitsFrom({
    maxConnections: flags.values['max-connections'] ?? env.ROLECALL_MAX_CONNECTIONS,
    requestTimeoutSeconds: flags.values['request-timeout'] ?? env.ROLECALL_REQUEST_TIMEOUT,
    maxBufferedBodyBytes: flags.values['max-buffered-body-bytes'] ?? env.ROLECALL_MAX_BUFFERED_BODY_BYTES,
  });
  const serverKeysFile = flags.values['server-keys-file'];
  const server = await startRolecallServer({
    limits,
    ...(serverKeysFile ? { serverKeysFile } : {}),
    host: flags.values.host ?? env.ROLECALL_HOST ?? '127.0.0.1',
    port,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(dataDir ? { dataDir } : {}),
    ...(publicUrl ? { publicUrl } : {}),
    allowReset: flags.switches.has('allow-reset'),
    accessLog: !flags.switches.has('quiet'),
  });
  const store = databaseUrl ? 'PostgreSQL' : `SQLite in ${dataDir ?? '.rolecall'}`;
  process.stderr.write(`rolecall: listening on ${server.url} (${store}); ${server.keysDescription}\n`);
  if (server.generatedRoot) {
    // The one time the generated root secret is shown: it is stored only sealed.
    process.stdout.write(
      `# Root credentials for account ${DEFAULT_ACCOUNT_ID}, generated now and shown only this once:\n` +
        `export AWS_ACCESS_KEY_ID=${server.generatedRoot.accessKeyId}\n` +
        `export AWS_SECRET_ACCESS_KEY=${server.generatedRoot.secretAccessKey}\n` +
        `export AWS_ENDPOINT_URL=${server.url}\n` +
        `export AWS_REGION=us-east-1\n` +
        `export AWS_DEFAULT_REGION=us-east-1\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}
