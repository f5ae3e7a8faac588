import { z } from 'zod';
import { WriteFieldsShape } from '../write-request';

/** The document is checked by the rules check, which names every problem (`STRANGLER_RULES_INVALID`). */
export const RulesDocumentField = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A whole rules document (see the RuleSet schema), as in the rules file.' });

export const ReplaceRulesBodySchema = z
  .strictObject({ document: RulesDocumentField, ...WriteFieldsShape })
  .meta({ id: 'ReplaceRulesRequest' });

export type ReplaceRulesBody = z.output<typeof ReplaceRulesBodySchema>;
