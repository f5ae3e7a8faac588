import type { CliCommand } from '../cli-command';
import { audit } from './audit.command';
import { groupSet, routeSet } from './change.commands';
import { explain } from './explain.command';
import { rulesDiff, rulesHistory, rulesShow } from './rules-read.commands';
import { rulesApply, rulesRollback } from './rules-write.commands';
import { status } from './status.command';
import { traffic } from './traffic.command';

/** A heading of the help and the commands under it. */
export interface CommandSection {
  readonly heading: string;
  readonly commands: readonly CliCommand[];
}

/**
 * The CLI's one table of commands, in the order of the help: parsing, usage and help are
 * generated from it (`build-program.ts`).
 */
export const COMMAND_SECTIONS: readonly CommandSection[] = [
  { heading: 'Rules', commands: [rulesShow, rulesHistory, rulesDiff, rulesApply, rulesRollback] },
  { heading: 'Changes', commands: [routeSet, groupSet] },
  { heading: 'Routing', commands: [explain, traffic, audit, status] },
];

export const COMMANDS: readonly CliCommand[] = COMMAND_SECTIONS.flatMap((section) => section.commands);
