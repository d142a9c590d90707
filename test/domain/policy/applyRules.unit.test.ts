import t from 'tap';
import { applyRules, compileRules } from '../../../src/domain/policy/applyRules.js';
import type { ParameterRule } from '../../../src/domain/policy/parameterRules.js';

const apply = (rules: ParameterRule[], params: Array<[string, string]>) => applyRules(params, compileRules('create', rules));

t.test('block / removes the parameter when sent, adds nothing when absent', async (t) => {
  const rules: ParameterRule[] = [{ call: 'create', param: 'record', mode: 'block' }];
  t.same(apply(rules, [['name', 'R'], ['record', 'true']]), [['name', 'R']]);
  t.same(apply(rules, [['name', 'R']]), [['name', 'R']]);
});

t.test('set / adds the value when absent, keeps the client value when sent', async (t) => {
  const rules: ParameterRule[] = [{ call: 'create', param: 'welcome', mode: 'set', value: 'Hi' }];
  t.same(apply(rules, [['name', 'R']]), [['name', 'R'], ['welcome', 'Hi']]);
  t.same(apply(rules, [['welcome', 'Mine']]), [['welcome', 'Mine']]);
});

t.test('override / forces the value, sent or not, in place', async (t) => {
  const rules: ParameterRule[] = [{ call: 'create', param: 'muteOnStart', mode: 'override', value: 'true' }];
  t.same(apply(rules, [['muteOnStart', 'false'], ['name', 'R']]), [['muteOnStart', 'true'], ['name', 'R']]);
  t.same(apply(rules, []), [['muteOnStart', 'true']]);
});

t.test('max / absent, 0 (unlimited), larger or not a number become the cap; smaller stays', async (t) => {
  const rules: ParameterRule[] = [{ call: 'create', param: 'duration', mode: 'max', value: '240' }];
  t.same(apply(rules, []), [['duration', '240']]);
  t.same(apply(rules, [['duration', '0']]), [['duration', '240']]);
  t.same(apply(rules, [['duration', '600']]), [['duration', '240']]);
  t.same(apply(rules, [['duration', 'forever']]), [['duration', '240']]);
  t.same(apply(rules, [['duration', '90']]), [['duration', '90']]);
  t.same(apply(rules, [['duration', '240']]), [['duration', '240']]);
});

t.test('append / adds the comma-list items not yet present, keeps the client order', async (t) => {
  const rules: ParameterRule[] = [{ call: 'create', param: 'disabledFeatures', mode: 'append', value: 'chat, polls' }];
  t.same(apply(rules, [['disabledFeatures', 'polls,captions']]), [['disabledFeatures', 'polls,captions,chat']]);
  t.same(apply(rules, []), [['disabledFeatures', 'chat,polls']]);
  t.same(apply(rules, [['disabledFeatures', '']]), [['disabledFeatures', 'chat,polls']]);
});

t.test('rules of the other call / do not apply; a sub rule replaces the tenant rule for its parameter', async (t) => {
  const tenant: ParameterRule[] = [
    { call: 'join', param: 'role', mode: 'override', value: 'VIEWER' },
    { call: 'create', param: 'duration', mode: 'max', value: '60' },
  ];
  const sub: ParameterRule[] = [{ call: 'create', param: 'duration', mode: 'max', value: '120' }];
  t.same(applyRules([['role', 'MODERATOR'], ['duration', '100']], compileRules('create', tenant, sub)), [['role', 'MODERATOR'], ['duration', '100']]);
  t.same(applyRules([['role', 'MODERATOR']], compileRules('join', tenant, sub)), [['role', 'VIEWER']]);
});

t.test('parameter names / match exactly (BBB names are case-sensitive)', async (t) => {
  const rules: ParameterRule[] = [{ call: 'create', param: 'record', mode: 'block' }];
  t.same(apply(rules, [['Record', 'true']]), [['Record', 'true']]);
});
