import t from 'tap';
import { ConfigError, loadConfig } from '../src/config.js';

t.test('render and callback settings default to one video render per hour at most, private callbacks refused', async (t) => {
  t.match(loadConfig({}), { renderProfiles: ['video'], renderConcurrency: 1, renderTimeoutMs: 3_600_000, callbacksAllowPrivate: false });
});

t.test('render and callback settings are read from the environment', async (t) => {
  const config = loadConfig({ RENDER_PROFILES: 'composite,video', RENDER_CONCURRENCY: '2', RENDER_TIMEOUT_MS: '60000', CALLBACKS_ALLOW_PRIVATE: 'true' });
  t.match(config, { renderProfiles: ['composite', 'video'], renderConcurrency: 2, renderTimeoutMs: 60_000, callbacksAllowPrivate: true });
  t.same(loadConfig({ RENDER_PROFILES: 'none' }).renderProfiles, []);
});

t.test('wrong values name the variable', async (t) => {
  for (const [name, value] of [['RENDER_PROFILES', 'mp3'], ['RENDER_CONCURRENCY', '0'], ['RENDER_TIMEOUT_MS', '5'], ['CALLBACKS_ALLOW_PRIVATE', 'yes']] as const) {
    t.throws(() => loadConfig({ [name]: value }), ConfigError, `${name}=${value}`);
    t.throws(() => loadConfig({ [name]: value }), new RegExp(`^${name}: `));
  }
});
