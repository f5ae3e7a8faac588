import { z } from 'zod';
import { ruleSetSchema } from '../rules';
import { RULE_ACTIONS } from '../store';

/** Response schemas shared by the rules endpoints (for the OpenAPI document). */

export const RuleSetSchema = ruleSetSchema.meta({
  id: 'RuleSet',
  description: 'The rules document, as in the rules file (defaults filled in).',
});

export const FieldChangeSchema = z
  .object({ field: z.string(), from: z.unknown(), to: z.unknown() })
  .meta({ id: 'FieldChange', description: '`null` stands for "not set".' });

export const RuleChangeSchema = z
  .object({
    kind: z.enum(['legacy', 'upstream', 'group', 'route', 'pathMatching']),
    name: z.string(),
    change: z.enum(['added', 'removed', 'changed', 'moved']),
    fields: z.array(FieldChangeSchema),
  })
  .meta({ id: 'RuleChange' });

export const ChangeSummarySchema = z
  .object({
    text: z.string().meta({ example: 'group orders: mode legacy → canary, percent none → 10' }),
    changes: z.array(RuleChangeSchema),
  })
  .meta({ id: 'ChangeSummary' });

export const RuleVersionInfoSchema = z
  .object({
    version: z.int().min(1),
    action: z.enum(RULE_ACTIONS),
    subject: z.string().nullable().meta({ description: 'The route id or group name of a route/group change.' }),
    basedOn: z.int().nullable(),
    rollbackOf: z.int().nullable(),
    author: z.string(),
    reason: z.string(),
    createdAt: z.iso.datetime(),
    summary: ChangeSummarySchema,
  })
  .meta({ id: 'RuleVersionInfo' });

export const RuleVersionSchema = RuleVersionInfoSchema.extend({ document: RuleSetSchema }).meta({ id: 'RuleVersion' });

export const VersionPageSchema = z
  .object({ current: z.int().min(0), versions: z.array(RuleVersionInfoSchema) })
  .meta({ id: 'VersionPage' });

export const WriteResultSchema = z
  .object({
    changed: z.boolean().meta({ description: 'false when the change changed nothing (no version was made).' }),
    version: RuleVersionInfoSchema,
    warnings: z.array(z.string()),
  })
  .meta({ id: 'WriteResult' });

/** A version number in a path or query: 1, 2, 3… */
export const VersionNumberSchema = z
  .string()
  .regex(/^[1-9]\d{0,14}$/, 'must be a version number (1, 2, 3…)')
  .transform(Number);
