import type { CompiledRuleSet } from './compiled-rule-set';

/**
 * The rule set an instance routes with. `swap` replaces it in one assignment: a request
 * reads `current` once and keeps that version to its end, so a swap never fails one.
 */
export class ActiveRules {
  private rules: CompiledRuleSet;
  private readonly listeners: ((rules: CompiledRuleSet) => void)[] = [];

  constructor(initial: CompiledRuleSet) {
    this.rules = initial;
  }

  get current(): CompiledRuleSet {
    return this.rules;
  }

  /** Installs a newer version; an older or equal one is ignored. Returns whether it was installed. */
  swap(next: CompiledRuleSet): boolean {
    if (next.version <= this.rules.version) return false;
    this.rules = next;
    for (const listener of this.listeners) listener(next);
    return true;
  }

  onSwap(listener: (rules: CompiledRuleSet) => void): void {
    this.listeners.push(listener);
  }
}
