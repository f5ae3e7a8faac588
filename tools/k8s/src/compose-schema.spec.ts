import { readFileSync } from 'node:fs';
import { COMPOSE_FILE, readComposeFile } from '../../stack/test/support/deployment-support';
import { COMPOSE_SCHEMA_FILE, composeSchemaProblems } from './compose-schema';

type Compose = { services: Record<string, Record<string, unknown>> };
const composeFile = (environment = {}) => readComposeFile(COMPOSE_FILE, environment) as Compose;

describe('docker/compose.yaml against the Compose Specification schema', () => {
  it('is the specification’s schema', () => {
    const schema = JSON.parse(readFileSync(COMPOSE_SCHEMA_FILE, 'utf8')) as Record<string, unknown>;
    expect(schema).toMatchObject({ title: 'Compose Specification', $id: 'compose_spec.json' });
  });

  it('is valid with the variables unset, as the development defaults fill it', () => {
    expect(composeSchemaProblems(composeFile())).toEqual([]);
  });

  it('is valid with the secrets set, as in a .env file beside it', () => {
    const document = composeFile({
      JWT_SECRET: 'x'.repeat(40),
      STRANGLER_ADMIN_TOKEN: 'y'.repeat(20),
      POSTGRES_PASSWORD: 'z',
    });
    expect(composeSchemaProblems(document)).toEqual([]);
    expect(document.services.postgres?.environment).toMatchObject({ POSTGRES_PASSWORD: 'z' });
  });

  // The check above can fail: the same file with one mistake each is refused, naming the place.
  it.each([
    [
      'a misspelled key',
      (compose: Compose) => (compose.services.catalog!.healthchek = {}),
      '/services/catalog must NOT have additional properties (healthchek)',
    ],
    [
      'an unknown depends_on condition',
      (compose: Compose) =>
        (compose.services.backfill!.depends_on = { 'legacy-monolith': { condition: 'service_ready' } }),
      '/services/backfill/depends_on/legacy-monolith/condition must be equal to one of the allowed values',
    ],
    [
      'a restart policy that is not a string',
      (compose: Compose) => (compose.services.strangler!.restart = 3),
      '/services/strangler/restart must be string',
    ],
    [
      'a service key at the top level',
      (compose: Compose) => ((compose as unknown as Record<string, unknown>).image = 'ficus'),
      '/ must NOT have additional properties (image)',
    ],
  ])('refuses %s', (_case, mistake, problem) => {
    const document = structuredClone(composeFile());
    mistake(document);
    expect(composeSchemaProblems(document)).toContain(problem);
  });
});
