/** Usage texts, kept apart from the commands so `rolecall help` loads none of them. */

export const SERVE_USAGE = `rolecall serve [--host H] [--port P] [--data DIR | --database postgres://...] [--allow-reset] [--quiet]
              [--max-connections N] [--request-timeout SECONDS] [--max-buffered-body-bytes BYTES]
  --host H          address to listen on (default 127.0.0.1; ROLECALL_HOST)
  --port P          port (default 8470; ROLECALL_PORT)
  --data DIR        SQLite data folder (default .rolecall; ROLECALL_DATA)
  --database URL    PostgreSQL instead of SQLite; several servers may share it (ROLECALL_DATABASE_URL)
  --allow-reset     enable POST /_rolecall/reset, which wipes all state (for test suites only)
  --quiet           no access log on stdout
  --max-connections N        open connections at once; further connections are closed as they arrive
                             (default 1024; ROLECALL_MAX_CONNECTIONS)
  --request-timeout SECONDS  time a client has to send a whole request, headers and body
                             (default 20; ROLECALL_REQUEST_TIMEOUT)
  --max-buffered-body-bytes BYTES  request bodies held in memory at once, all connections together;
                             beyond it requests get 503 ServiceUnavailable (default 67108864 = 64 MiB;
                             ROLECALL_MAX_BUFFERED_BODY_BYTES). One body is at most 1 MiB (413).`;

export const ACCOUNT_USAGE = `rolecall account create --name NAME [--id 12-DIGIT-ID] [--email EMAIL] [--data DIR | --database URL]
      Create an account and print its root user's access key (shown only this once).
  rolecall account list [--data DIR | --database URL]
      List the accounts as JSON lines.`;

export const AUDIT_USAGE = `rolecall audit [--principal ARN] [--event NAME] [--since ISO-TIME] [--until ISO-TIME] [--errors] [--limit N] [--data DIR | --database URL]
      Print audit events (CloudTrail format) as JSON lines, oldest first.`;
