import type { Redis } from 'ioredis';
import { ALL_CHECKSUM_ALGORITHMS } from '../domain/bbb/checksum.js';
import { NODE_ADMIN_STATES } from '../domain/node/events.js';
import { NODE_HEALTHS } from '../domain/node/health.js';
import { RedisCheckpointTarget, type RedisCommand } from './targets/redisTarget.js';
import { nodeListProjection, type NodeListEntry, type NodeListOp, type NodeListReadModel } from './nodeList.js';
import type { LogIdentity } from './logIdentity.js';
import { checkShape, SHAPE_FIELD, sharedTargetOptions, type SharedShape } from './sharedShape.js';

/** What `node:<id>` holds; bump it with any change of the layout below (sharedShape.ts). */
const NODE_LIST_SHAPE = 1;

/**
 * Layout under `prefix`: `nodes` (sorted set of ids scored by registration time) and `node:<id>` (a hash per
 * node, `v` its shape version). HSET and ZADD are idempotent, which the checkpoint script relies on only as a
 * second line of defence.
 */
export class RedisNodeList implements NodeListReadModel {
  readonly target: RedisCheckpointTarget<NodeListOp>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** This log's identity, kept with every commit (logIdentity.ts); absent for an instance that only reads. */
    log?: LogIdentity,
  ) {
    this.target = new RedisCheckpointTarget(redis, `${prefix}checkpoint:nodeList`, (ops) => this.toCommands(ops), ...sharedTargetOptions(prefix, nodeListProjection.name, NODE_LIST_SHAPE, log));
  }

  async list(): Promise<NodeListEntry[]> {
    const ids = await this.redis.zrange(`${this.prefix}nodes`, '0', '-1');
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.nodeKey(id));
    const results = (await pipeline.exec()) ?? [];
    return results.flatMap(([error, hash], i) => {
      if (error) throw error;
      const entry = parseEntry(this.nodeKey(ids[i]!), hash);
      return entry ? [entry] : [];
    });
  }

  async get(id: string): Promise<NodeListEntry | undefined> {
    return parseEntry(this.nodeKey(id), await this.redis.hgetall(this.nodeKey(id)));
  }

  toCommands(ops: NodeListOp[]): RedisCommand[] {
    return ops.flatMap((op): RedisCommand[] => {
      if (op.op === 'setAdminState') return [['HSET', this.nodeKey(op.id), 'adminState', op.adminState]];
      if (op.op === 'setHealth') return [['HSET', this.nodeKey(op.id), 'health', op.health]];
      if (op.op === 'setTags') return [['HSET', this.nodeKey(op.id), 'tags', JSON.stringify(op.tags)]];
      if (op.op === 'setMaxLoad') return [['HSET', this.nodeKey(op.id), 'maxLoad', op.maxLoad === null ? '' : String(op.maxLoad)]];
      if (op.op === 'setLoad') return [['HSET', this.nodeKey(op.id), 'meetings', String(op.meetings), 'participants', String(op.participants)]];
      if (op.op === 'remove') return [['DEL', this.nodeKey(op.id)], ['ZREM', `${this.prefix}nodes`, op.id]];
      const { id, url, checksumAlgorithm, tags, loadFactor, adminState, health, meetings, participants, registeredAt } = op.entry;
      return [
        [
          'HSET', this.nodeKey(id),
          'id', id,
          'url', url,
          'checksumAlgorithm', checksumAlgorithm,
          'tags', JSON.stringify(tags),
          'loadFactor', String(loadFactor),
          'adminState', adminState,
          'health', health,
          'meetings', String(meetings),
          'participants', String(participants),
          'registeredAt', registeredAt,
          SHAPE_FIELD, String(NODE_LIST_SHAPE),
        ],
        ['ZADD', `${this.prefix}nodes`, String(Date.parse(registeredAt)), id],
      ];
    });
  }

  private nodeKey(id: string): string {
    return `${this.prefix}node:${id}`;
  }
}

/** The node list as every instance shares it in Redis: its keys, and the check of what they hold. */
export const NODE_LIST_SHARED: SharedShape<NodeListOp> = {
  version: NODE_LIST_SHAPE,
  keyPatterns: ['nodes', 'node:*'],
  recordPattern: 'node:*',
  indexed: { prefix: 'node:', field: 'url' },
  target: (redis, prefix, log) => new RedisNodeList(redis, prefix, log).target,
  decode: (key, hash) => void parseEntry(key, hash),
};

/**
 * A hash without `url` only ever saw an admin-state change, never a registration: not a node (yet). A node
 * written by another shape throws ReadModelShapeError.
 */
function parseEntry(key: string, hash: unknown): NodeListEntry | undefined {
  if (typeof hash !== 'object' || hash === null) return undefined;
  const h = hash as Record<string, string | undefined>;
  // Only a registration writes `v`: a hash of admin-state changes alone has none, whatever the shape.
  if (h[SHAPE_FIELD] !== undefined || h.url !== undefined) checkShape(key, h, NODE_LIST_SHAPE);
  const adminState = NODE_ADMIN_STATES.find((s) => s === h.adminState);
  if (!h.id || !h.url || !h.registeredAt || !adminState) return undefined;
  const tags: unknown = JSON.parse(h.tags ?? '[]');
  return {
    id: h.id,
    url: h.url,
    // Hashes written before these fields existed read as the defaults their events imply.
    checksumAlgorithm: ALL_CHECKSUM_ALGORITHMS.find((a) => a === h.checksumAlgorithm) ?? 'sha256',
    tags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [],
    loadFactor: Number(h.loadFactor),
    maxLoad: h.maxLoad ? Number(h.maxLoad) : null,
    adminState,
    health: NODE_HEALTHS.find((x) => x === h.health) ?? 'unknown',
    meetings: Number(h.meetings ?? 0),
    participants: Number(h.participants ?? 0),
    registeredAt: h.registeredAt,
  };
}
