import { listItems, type ParameterRule, type RuleCall } from './parameterRules.js';

/** In the order sent; a Map of the front door's parameters is one too. */
export type Params = Iterable<readonly [string, string]>;

/**
 * A rule set compiled for one call: rules by parameter name. BBB parameter names are case-sensitive, so a rule
 * matches its name exactly.
 */
export type CompiledRules = ReadonlyMap<string, ParameterRule>;

/** The tenant's rules, then the sub's: a sub's rule for a parameter replaces the tenant's. */
export function compileRules(call: RuleCall, ...layers: ReadonlyArray<readonly ParameterRule[] | undefined>): CompiledRules {
  const compiled = new Map<string, ParameterRule>();
  for (const rules of layers) for (const rule of rules ?? []) if (rule.call === call) compiled.set(rule.param, rule);
  return compiled;
}

/**
 * The parameters as the node will get them, in the order sent, added ones at the end. Pure; O(params + rules).
 */
export function applyRules(params: Params, rules: CompiledRules): Array<[string, string]> {
  if (rules.size === 0) return [...params].map(([k, v]) => [k, v]);
  const out: Array<[string, string]> = [];
  const present = new Set<string>();
  for (const [name, value] of params) {
    const rule = rules.get(name);
    present.add(name);
    if (!rule) {
      out.push([name, value]);
      continue;
    }
    const applied = applyOne(rule, value);
    if (applied !== undefined) out.push([name, applied]);
  }
  for (const [name, rule] of rules) {
    if (present.has(name) || rule.mode === 'block') continue;
    out.push([name, rule.mode === 'append' ? listItems(rule.value).join(',') : rule.value]);
  }
  return out;
}

/** A present parameter under its rule; undefined removes it. */
function applyOne(rule: ParameterRule, value: string): string | undefined {
  switch (rule.mode) {
    case 'block':
      return undefined;
    case 'set':
      return value;
    case 'override':
      return rule.value;
    case 'max': {
      // Not a number, 0 (BBB's "unlimited") or above the cap: the cap.
      const asked = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
      const cap = Number(rule.value);
      return Number.isFinite(asked) && asked > 0 && asked <= cap ? value : rule.value;
    }
    case 'append': {
      const items = listItems(value);
      const missing = listItems(rule.value).filter((item) => !items.includes(item));
      return [...items, ...missing].join(',');
    }
    default: {
      const unknown: never = rule;
      return unknown;
    }
  }
}
