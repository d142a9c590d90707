import t from 'tap';
import { carriesTag, parseServerTag } from '../../../src/domain/placement/serverTag.js';

t.test('meta_server-tag / absent, empty or a bare "!" / asks for nothing', async (t) => {
  for (const raw of [undefined, '', '!', ' ; ', ';!;']) t.same(parseServerTag(raw), { required: [], preferred: [] }, JSON.stringify(raw));
});

t.test('meta_server-tag / "a" is preferred, "a!" required', async (t) => {
  t.same(parseServerTag('gpu'), { required: [], preferred: ['gpu'] });
  t.same(parseServerTag('gpu!'), { required: ['gpu'], preferred: [] });
});

t.test('meta_server-tag / several, separated by ";" (or Scalelite\'s ","), each its own kind', async (t) => {
  t.same(parseServerTag('large;eu!'), { required: ['eu'], preferred: ['large'] });
  t.same(parseServerTag('b!, a ; c'), { required: ['b'], preferred: ['a', 'c'] });
  t.same(parseServerTag('a;a!;a'), { required: ['a'], preferred: [] }, 'required wins over preferred, duplicates collapse');
});

t.test('a tag / "none" matches an untagged node, any other must be on the node', async (t) => {
  t.ok(carriesTag([], 'none'));
  t.notOk(carriesTag(['eu'], 'none'));
  t.ok(carriesTag(['eu', 'gpu'], 'gpu'));
  t.notOk(carriesTag(['eu'], 'EU'), 'tags compare exactly');
});
