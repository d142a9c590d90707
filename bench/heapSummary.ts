/**
 * What a V8 heap snapshot holds, for the memory bench: self size by constructor, the strings held most often,
 * and the largest retainers (dominator tree, weak edges ignored) with what each dominates by constructor.
 * `npx tsx bench/heapSummary.ts <file.heapsnapshot> [top]`; a 100 MB snapshot needs ~1 GB and a few seconds.
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; edge_fields: string[]; node_types: [string[]]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/heapSummary.ts <file.heapsnapshot> [top]');
const top = Number(topArg ?? 25);
const { snapshot, nodes, edges, strings } = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
const { meta } = snapshot;
const NF = meta.node_fields.length;
const EF = meta.edge_fields.length;
const [nType, nName, nId, nSelf, nEdges] = ['type', 'name', 'id', 'self_size', 'edge_count'].map((f) => meta.node_fields.indexOf(f)) as [number, number, number, number, number];
const [eType, eTo] = ['type', 'to_node'].map((f) => meta.edge_fields.indexOf(f)) as [number, number];
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const N = nodes.length / NF;
const firstEdge = new Uint32Array(N + 1);
for (let i = 0, e = 0; i < N; i++) {
  firstEdge[i] = e;
  e += nodes[i * NF + nEdges]! * EF;
  firstEdge[i + 1] = e;
}
const typeOf = (i: number) => nodeTypes[nodes[i * NF + nType]!]!;
const nameOf = (i: number) => strings[nodes[i * NF + nName]!]!;
const selfOf = (i: number) => nodes[i * NF + nSelf]!;
const kindOf = (i: number) => (['object', 'closure', 'native'].includes(typeOf(i)) ? `${typeOf(i)} ${nameOf(i)}` : typeOf(i));
const label = (i: number) => `${kindOf(i).slice(0, 60)} @${nodes[i * NF + nId]}`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(2).padStart(8)} MB`;
const skipped = (e: number) => ['weak', 'shortcut'].includes(edgeTypes[edges[e + eType]!]!);

function printGroups(title: string, groups: Map<string, [number, number]>, indent = ''): void {
  if (title) console.log(title);
  for (const [key, [bytes, count]] of [...groups].sort((a, b) => b[1][0] - a[1][0]).slice(0, top)) console.log(`${indent}${mb(bytes)} ${String(count).padStart(8)}  ${key.slice(0, 90)}`);
}
function addTo(groups: Map<string, [number, number]>, key: string, bytes: number): void {
  const g = groups.get(key) ?? [0, 0];
  g[0] += bytes;
  g[1]++;
  groups.set(key, g);
}

const byKind = new Map<string, [number, number]>();
const byString = new Map<string, [number, number]>();
let total = 0;
for (let i = 0; i < N; i++) {
  total += selfOf(i);
  addTo(byKind, kindOf(i), selfOf(i));
  if (typeOf(i) === 'string') addTo(byString, nameOf(i), selfOf(i));
}
console.log(`${N} nodes, ${mb(total).trim()} in all`);
printGroups('--- self size by constructor (bytes, count)', byKind);
const repeated = new Map([...byString].filter(([, [, count]]) => count > 1).map(([s, [bytes, count]]) => [JSON.stringify(s), [bytes - bytes / count, count] as [number, number]]));
printGroups('--- strings held more than once (bytes beyond one copy, copies)', repeated);

// Dominators (Cooper, Harvey, Kennedy) over a depth-first post-order from the root, node 0.
const order = new Int32Array(N).fill(-1);
const post: number[] = [];
{
  const stack = [0];
  const next = [firstEdge[0]!];
  order[0] = -2;
  while (stack.length > 0) {
    const v = stack.at(-1)!;
    let e = next.at(-1)!;
    let child = -1;
    for (; e < firstEdge[v + 1]! && child < 0; e += EF) {
      const to = edges[e + eTo]! / NF;
      if (!skipped(e) && order[to] === -1) child = to;
    }
    next[next.length - 1] = e;
    if (child >= 0) {
      order[child] = -2;
      stack.push(child);
      next.push(firstEdge[child]!);
    } else {
      stack.pop();
      next.pop();
      order[v] = post.length;
      post.push(v);
    }
  }
}
const predStart = new Uint32Array(N + 1);
const forEachEdge = (fn: (from: number, to: number) => void) => {
  for (let v = 0; v < N; v++) if (order[v]! >= 0) for (let e = firstEdge[v]!; e < firstEdge[v + 1]!; e += EF) if (!skipped(e)) fn(v, edges[e + eTo]! / NF);
};
forEachEdge((_, to) => predStart[to + 1]!++);
for (let i = 1; i <= N; i++) predStart[i]! += predStart[i - 1]!;
const preds = new Uint32Array(predStart[N]!);
const fill = predStart.slice();
forEachEdge((from, to) => (preds[fill[to]!++] = from));
const idom = new Int32Array(N).fill(-1);
idom[0] = 0;
const intersect = (a: number, b: number) => {
  while (a !== b) {
    while (order[a]! < order[b]!) a = idom[a]!;
    while (order[b]! < order[a]!) b = idom[b]!;
  }
  return a;
};
for (let changed = true; changed; ) {
  changed = false;
  for (let k = post.length - 1; k >= 0; k--) {
    const v = post[k]!;
    if (v === 0) continue;
    let dom = -1;
    for (let p = predStart[v]!; p < predStart[v + 1]!; p++) {
      const u = preds[p]!;
      if (order[u]! >= 0 && idom[u] !== -1) dom = dom === -1 ? u : intersect(u, dom);
    }
    if (dom !== -1 && idom[v] !== dom) {
      idom[v] = dom;
      changed = true;
    }
  }
}
const retained = new Float64Array(N);
for (const v of post) {
  retained[v]! += selfOf(v);
  if (v !== 0) retained[idom[v]!]! += retained[v]!;
}

console.log('--- largest retainers (not counting one that is ≥ 90 % of a larger one listed above it)');
const listed: number[] = [];
for (const i of post.filter((v) => v !== 0 && retained[v]! >= 512 * 1024).sort((a, b) => retained[b]! - retained[a]!)) {
  if (listed.length >= top) break;
  let holder = idom[i]!;
  while (holder !== 0 && !(listed.includes(holder) && retained[i]! > 0.9 * retained[holder]!)) holder = idom[holder]!;
  if (holder !== 0) continue;
  listed.push(i);
  const chain: string[] = [];
  for (let u = idom[i]!, d = 0; u !== 0 && d < 4; u = idom[u]!, d++) chain.push(nameOf(u).slice(0, 30) || typeOf(u));
  console.log(`${mb(retained[i]!)}  ${label(i)}${chain.length ? `  (held by ${chain.join(' < ')})` : ''}`);
}
console.log('--- what the ten largest of them hold, by constructor');
const holderOf = new Int32Array(N).fill(-1);
for (const h of listed.slice(0, 10)) holderOf[h] = h;
for (let k = post.length - 1; k >= 0; k--) {
  const v = post[k]!;
  if (holderOf[v] === -1 && v !== 0) holderOf[v] = holderOf[idom[v]!]!;
}
for (const h of listed.slice(0, 10)) {
  const groups = new Map<string, [number, number]>();
  for (const v of post) if (holderOf[v] === h) addTo(groups, kindOf(v), selfOf(v));
  console.log(`${label(h)}:`);
  printGroups('', new Map([...groups].sort((a, b) => b[1][0] - a[1][0]).slice(0, 8)), '    ');
}
