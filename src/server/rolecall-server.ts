/**
 * Assembles a running Rolecall: the store (SQLite in a data folder, or PostgreSQL), the server keys,
 * the first-start bootstrap, and the HTTP endpoint; stops cleanly, flushing the audit trail.
 */
import type { Server } from 'node:http';
import { loadServerKeys, secretSealing, serverKeySourcesFromEnv } from '../auth/server-keys.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/types.js';
import { AuditWriter } from './audit.js';
import { bootstrap, type RootCredentials } from './bootstrap.js';
import type { ApiDependencies } from './api.js';
import { startHttpServer } from './http-server.js';
import { LastUsedTracker } from './last-used.js';
import { Metrics } from './metrics.js';
import type { RequestLimits } from './request-limits.js';

/** Rolecall's default port: clear of LocalStack (4566) and moto (5000). */
export const DEFAULT_PORT = 8470;

export interface ServerOptions {
  host?: string;
  port?: number;
  dataDir?: string;
  databaseUrl?: string;
  allowReset?: boolean;
  accessLog?: boolean;
  /**
   * The URL clients and relying parties reach this server at (`--public-url`, ROLECALL_PUBLIC_URL), e.g.
   * `https://rolecall.example.com`: the issuers of its clusters are `https://<its host and path>/clusters/<name>`.
   * Default: the listen address.
   */
  publicUrl?: string;
  /** Connections, request deadline and buffered bodies (defaults: DEFAULT_REQUEST_LIMITS). */
  limits?: RequestLimits;
  /** A file of server keys (mode 0600); ROLECALL_SERVER_KEYS in `env` takes precedence. */
  serverKeysFile?: string;
  env?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  port: number;
  url: string;
  /** The external URL (`--public-url`, else `url`). */
  publicUrl: string;
  store: Store;
  /** Where the sealing keys came from, for the start-up log. */
  keysDescription: string;
  /** Root credentials generated on this start (shown once), if any. */
  generatedRoot?: RootCredentials;
  close(): Promise<void>;
}

/** Starts a Rolecall server. */
export async function startRolecallServer(options: ServerOptions = {}): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const store = await openStore({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}) });
  let keys;
  try {
    keys = await loadServerKeys(store, serverKeySourcesFromEnv(env, options.serverKeysFile));
  } catch (error) {
    await store.close();
    throw error;
  }
  const secrets = secretSealing(keys.sealer);
  const first = await bootstrap(store, secrets, env);
  const audit = new AuditWriter(store);
  const metrics = new Metrics();
  const lastUsed = new LastUsedTracker(store);
  const accessLog = options.accessLog === false ? undefined : (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);
  const host = options.host ?? '127.0.0.1';

  if (options.publicUrl !== undefined) checkPublicUrl(options.publicUrl);
  const api: ApiDependencies = { store, secrets, audit, metrics, lastUsed, ...(accessLog ? { accessLog } : {}) };
  const started = await startHttpServer({
    host,
    port: options.port ?? DEFAULT_PORT,
    ...(options.limits ? { limits: options.limits } : {}),
    api,
    health: async () => {
      try {
        await store.read((reader) => reader.count('account', ''));
        return true;
      } catch {
        return false;
      }
    },
    ...(options.allowReset
      ? {
          reset: async () => {
            await audit.flush();
            await store.reset();
            // The reset wiped the stored server keys too: put the same ones back before bootstrapping.
            await keys.restore(store);
            await bootstrap(store, secrets, env);
          },
        }
      : {}),
  });
  const server: Server = started.server;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${started.port}`;
  // The listen address is known only now (port 0 asks the OS for one); requests wait for listen anyway.
  api.publicUrl = (options.publicUrl ?? url).replace(/\/$/, '');
  const result: RunningServer = {
    port: started.port,
    url,
    publicUrl: api.publicUrl,
    store,
    keysDescription: keys.description,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await lastUsed.drain();
      await audit.flush();
      await store.close();
    },
  };
  if (first.generated) result.generatedRoot = first.generated;
  return result;
}

/** A public URL must be an absolute http(s) URL without query, fragment or credentials. */
function checkPublicUrl(text: string): void {
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username || url.password) {
    throw new Error(`invalid public URL '${text}': an http(s) URL without query, fragment or user info`);
  }
}
