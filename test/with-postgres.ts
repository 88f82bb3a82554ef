/**
 * `node dist/test/with-postgres.js COMMAND ARGS…` runs COMMAND with ROLECALL_TEST_DATABASE_URL set, so
 * that every test file of one `npm test` run shares one PostgreSQL server (node --test runs files in
 * parallel processes, and Node 20 has no global test set-up). A ROLECALL_TEST_DATABASE_URL already set is
 * used as it is; otherwise an embedded PostgreSQL is started on a free port first and stopped afterwards.
 * Exits with COMMAND's exit status.
 */
import { spawn } from 'node:child_process';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './store/embedded-postgres.js';

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error('usage: node dist/test/with-postgres.js COMMAND [ARGS…]');
  process.exit(2);
}

let server: EmbeddedPostgres | undefined;
if (!process.env.ROLECALL_TEST_DATABASE_URL) {
  server = await startEmbeddedPostgres();
  console.error(`with-postgres: embedded PostgreSQL at ${server.url} for this run`);
}

const child = spawn(command, args, {
  stdio: 'inherit',
  env: { ...process.env, ROLECALL_TEST_DATABASE_URL: process.env.ROLECALL_TEST_DATABASE_URL || server!.url },
});
// Ctrl-C reaches the child through the terminal's process group; a signal sent to this process alone is
// passed on, and the server is stopped once the child has ended either way.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
const status = await new Promise<number>((resolve) => {
  child.once('error', (error) => {
    console.error(`with-postgres: ${command}: ${error.message}`);
    resolve(127);
  });
  child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
});
await server?.stop();
process.exit(status);
