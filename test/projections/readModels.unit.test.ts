import t from 'tap';
import type { CheckpointTarget, ProjectionDefinition } from '../../src/projections/projection.js';
import { READ_MODELS, registerReadModels, type InProcessRunners } from '../../src/projections/readModels.js';
import { REDIS_READ_MODELS } from '../../src/rebuild/redisReadModels.js';
import { REBUILDABLE } from '../../src/rebuild/rebuild.js';
import { RunnerSet } from '../../src/projections/runnerSet.js';
import { MemoryEventStore } from '../../src/eventstore/memory/memoryEventStore.js';
import { silentLogger } from '../../src/logging.js';

/** Runners that only remember what was registered. */
function recordingRunners() {
  const added: Array<{ projection: ProjectionDefinition<unknown>; target: CheckpointTarget<unknown> }> = [];
  const runners: InProcessRunners = {
    addInProcess<Op>(projection: ProjectionDefinition<Op>, target: CheckpointTarget<Op>) {
      added.push({ projection, target } as unknown as (typeof added)[number]);
      return { waitFor: async () => {} };
    },
  };
  return { runners, added };
}

t.test('the registry / names each read model by its projection, so one name reaches runners, rebuild, /health and metrics', async (t) => {
  for (const [key, definition] of Object.entries(READ_MODELS)) t.equal(definition.projection.name, key, key);
});

t.test('registering the read models / builds each one once and runs it in process on its own target', async (t) => {
  const { runners, added } = recordingRunners();
  const registered = registerReadModels(runners, READ_MODELS);
  t.same(added.map((a) => a.projection.name), Object.keys(READ_MODELS));
  for (const [key, { model }] of Object.entries(registered)) {
    const entry = added.find((a) => a.projection.name === key)!;
    t.equal(entry.target, (model as { target: unknown }).target, `${key} runs on the target of the model compose.ts hands out`);
  }
  const again = registerReadModels(recordingRunners().runners, READ_MODELS);
  t.not(again.meetingList.model, registered.meetingList.model, 'every registration builds fresh models (one per composed product)');
});

t.test('the shared Redis models / are exactly the registered ones with a shared shape, with checkpoint, shape marker and log identity among their keys', async (t) => {
  const shared = Object.values(READ_MODELS).filter((d) => 'shared' in d && d.shared).map((d) => d.projection.name);
  t.same(REDIS_READ_MODELS.map((m) => m.name), shared);
  t.same(shared, ['nodeList', 'meetingList']);
  for (const model of REDIS_READ_MODELS) {
    t.ok(model.keyPatterns.includes(`checkpoint:${model.name}`), `${model.name}: its checkpoint`);
    t.ok(model.keyPatterns.includes(`shape:${model.name}`), `${model.name}: its shape marker`);
    t.ok(model.keyPatterns.includes(`log:${model.name}`), `${model.name}: the identity of the log it was built from`);
    t.equal(model.filter, READ_MODELS[model.name as keyof typeof READ_MODELS].projection.filter, `${model.name}: its projection's filter`);
  }
  t.same(REBUILDABLE, ['stats', ...shared], 'ledger rebuild knows every shared model and the statistics');
});

t.test('a runner set / knows the filter of every runner it was given (the projection lag metrics)', async (t) => {
  const runners = new RunnerSet(new MemoryEventStore(), silentLogger);
  registerReadModels(runners, READ_MODELS);
  runners.addRunner('redis:meetingList', READ_MODELS.meetingList.projection.filter, () => {
    throw new Error('not started here');
  });
  t.same([...runners.filters().keys()], [...Object.keys(READ_MODELS), 'redis:meetingList']);
  t.equal(runners.filters().get('nodeList'), READ_MODELS.nodeList.projection.filter);
});
