/** Usage texts, kept apart from the commands so `rolecall help` loads none of them. */

export const SERVE_USAGE = `rolecall serve [--host H] [--port P] [--data DIR | --database postgres://...] [--allow-reset] [--quiet]
  --host H          address to listen on (default 127.0.0.1; ROLECALL_HOST)
  --port P          port (default 8470; ROLECALL_PORT)
  --data DIR        SQLite data folder (default .rolecall; ROLECALL_DATA)
  --database URL    PostgreSQL instead of SQLite; several servers may share it (ROLECALL_DATABASE_URL)
  --allow-reset     enable POST /_rolecall/reset, which wipes all state (for test suites only)
  --quiet           no access log on stdout`;

export const ACCOUNT_USAGE = `rolecall account create --name NAME [--id 12-DIGIT-ID] [--email EMAIL] [--data DIR | --database URL]
      Create an account and print its root user's access key (shown only this once).
  rolecall account list [--data DIR | --database URL]
      List the accounts as JSON lines.`;

export const AUDIT_USAGE = `rolecall audit [--principal ARN] [--event NAME] [--since ISO-TIME] [--until ISO-TIME] [--errors] [--limit N] [--data DIR | --database URL]
      Print audit events (CloudTrail format) as JSON lines, oldest first.`;

export const MFA_USAGE = `rolecall mfa code --seed-file FILE [--previous | --next]
      Print the six-digit code a virtual MFA device with this seed shows now (FILE: the base32 seed that
      create-virtual-mfa-device --bootstrap-method Base32StringSeed --outfile writes), or the one of the
      30-second step before or after. enable-mfa-device takes two consecutive codes: --previous, then now.`;
