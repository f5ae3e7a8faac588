import { DEFAULT_ADMIN_URL } from './cli-options';

export const USAGE = `Usage: npm run -s strangler -- <command> [options]

Rules
  rules show [--version V]                 the current rules (or version V)
  rules history [--limit N] [--before V]   versions, newest first
  rules diff A B                           what changed from version A to version B
  rules apply FILE --reason TEXT [--expect V] [--dry-run]
                                           replace the rules with a YAML or JSON file;
                                           --dry-run checks it on the server and writes nothing
  rules rollback V --reason TEXT [--expect V]
                                           a new version with version V's rules
  route set ID  [fields] --reason TEXT [--expect V]
  group set NAME [fields] --reason TEXT [--expect V]
      fields: --mode legacy|shadow|canary|live  --target UPSTREAM  --percent 0..100
              --sticky-by jwt.sub|ip|header:NAME|cookie:NAME  --timeout-ms N  --fallback true|false
              (a value of "none" removes the field)

Routing
  explain METHOD PATH [-H 'name: value']... [--ip ADDRESS]
                                           where the request would go, and why
  traffic [--minutes N]                    per-route split over the last N minutes (default 5)
  audit [--limit N]                        the audit log of rule changes
  status                                   the version this admin instance routes with

Options
  --url URL        the admin API (env STRANGLER_ADMIN_URL, default ${DEFAULT_ADMIN_URL})
  --token TOKEN    the admin token (env STRANGLER_ADMIN_TOKEN)
  --author NAME    who makes a change (env STRANGLER_AUTHOR, default user@host)
  --json           print the API's JSON answer, for scripts
  --help           this text

Writes send the version they expect (--expect, or the current one read just before); when
another change came first the API refuses with STRANGLER_VERSION_CONFLICT: read and retry.
Exit status: 0 done, 1 refused or failed (the error's code and message are printed), 2 bad arguments.`;
