import type { RouteChangeFields } from '../../store/rule-changes';
import type { WriteResult } from '../../store/rule-version';
import type { AdminClient } from '../admin-client';
import type { CliOutput } from '../cli-output';
import { printWrite } from './write-output';

/** `route set` and `group set`: one PATCH with the fields given, the reason and the expected version. */
export async function setRouteOrGroup(
  client: AdminClient,
  output: CliOutput,
  json: boolean,
  options: { what: 'routes' | 'groups'; name: string; change: RouteChangeFields; reason: string; expect?: number },
) {
  const expectedVersion = options.expect ?? (await client.currentVersion());
  const result = await client.send<WriteResult>(
    'PATCH',
    `/admin/rules/${options.what}/${encodeURIComponent(options.name)}`,
    { ...options.change, expectedVersion, reason: options.reason },
  );
  printWrite(output, result, json);
}
