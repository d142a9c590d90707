import { ValidationError } from '../errors.js';

export type RuleCall = 'create' | 'join';
export type RuleMode = 'block' | 'set' | 'override' | 'max' | 'append';

const CALLS: readonly RuleCall[] = ['create', 'join'];
const MODES: readonly RuleMode[] = ['block', 'set', 'override', 'max', 'append'];

/**
 * One tenant rule for one BBB parameter (B3LB's BLOCK/SET/OVERRIDE, plus a numeric cap and a list append):
 * block removes it; set adds it when absent; override forces it; max caps a number (absent, `0` meaning
 * unlimited, or larger become the value); append adds the comma-list items not yet present.
 */
export type ParameterRule =
  | { call: RuleCall; param: string; mode: 'block' }
  | { call: RuleCall; param: string; mode: 'set' | 'override' | 'max' | 'append'; value: string };

/** Parameters a rule may never touch: they name the meeting or sign the call. */
const UNTOUCHABLE = new Set(['meetingid', 'checksum']);
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_\-.]{0,127}$/;
const WHOLE_NUMBER = /^\d{1,9}$/;
export const MAX_RULES = 200;

/**
 * The whole rule set of a PUT, checked as a set: a contradiction names the rule (by its index and content),
 * so the operator knows which line to fix. Nothing is applied unless every rule passes.
 */
export function validRules(body: unknown): ParameterRule[] {
  const example = '{"rules":[{"call":"create","param":"duration","mode":"max","value":"240"}]}';
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ValidationError(`the body must be a JSON object: ${example}`);
  const record = body as Record<string, unknown>;
  const unknown = Object.keys(record).filter((k) => k !== 'rules');
  if (unknown.length > 0) throw new ValidationError(`unknown field(s): ${unknown.join(', ')}; the body is ${example}`, unknown[0]);
  if (!Array.isArray(record.rules)) throw new ValidationError(`rules is required and must be an array: ${example}`, 'rules');
  if (record.rules.length > MAX_RULES) throw new ValidationError(`at most ${MAX_RULES} rules, got ${record.rules.length}`, 'rules');
  const rules = record.rules.map((raw, index) => validRule(raw, index));
  const seen = new Map<string, number>();
  rules.forEach((rule, index) => {
    const key = `${rule.call}:${rule.param.toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new ValidationError(`rules[${index}] (${describe(rule)}) contradicts rules[${first}]: one rule per parameter and call`, `rules[${index}]`);
    }
    seen.set(key, index);
  });
  return rules;
}

function validRule(raw: unknown, index: number): ParameterRule {
  const at = `rules[${index}]`;
  const fail = (why: string): never => {
    throw new ValidationError(`${at} ${JSON.stringify(raw)}: ${why}`, at);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('must be an object with call, param, mode and value');
  const rule = raw as Record<string, unknown>;
  const extra = Object.keys(rule).filter((k) => !['call', 'param', 'mode', 'value'].includes(k));
  if (extra.length > 0) fail(`unknown field(s) ${extra.join(', ')}`);
  const { call, param, mode, value } = rule;
  if (typeof call !== 'string' || !(CALLS as readonly string[]).includes(call)) return fail('call must be "create" or "join"');
  if (typeof param !== 'string' || !PARAM_NAME.test(param)) return fail('param must be a BBB parameter name');
  if (UNTOUCHABLE.has(param.toLowerCase())) return fail(`${param} names the meeting or signs the call; no rule may change it`);
  if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) return fail(`mode must be one of ${MODES.join(', ')}`);
  const c = call as RuleCall;
  if (mode === 'block') {
    if (value !== undefined) fail('block removes the parameter, so it takes no value');
    return { call: c, param, mode };
  }
  if (typeof value !== 'string') return fail(`${mode} needs a value (a string)`);
  if (mode === 'max' && !WHOLE_NUMBER.test(value)) fail('max needs a whole number as its value');
  if (mode === 'append' && listItems(value).length === 0) fail('append needs at least one comma-separated item');
  return { call: c, param, mode: mode as 'set' | 'override' | 'max' | 'append', value };
}

export function describe(rule: ParameterRule): string {
  return rule.mode === 'block' ? `${rule.call} ${rule.param} block` : `${rule.call} ${rule.param} ${rule.mode} ${JSON.stringify(rule.value)}`;
}

export const listItems = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
