import type { Redis } from 'ioredis';
import type { MeetingCounts } from '../domain/meeting/events.js';
import { RedisCheckpointTarget, type RedisCommand } from './targets/redisTarget.js';
import { byCreateTime, meetingListProjection, meetingViewOf, type MeetingListEntry, type MeetingListOp, type MeetingReadModel, type MeetingView } from './meetingList.js';
import type { LogIdentity } from './logIdentity.js';
import { checkShape, SHAPE_FIELD, sharedTargetOptions, type SharedShape } from './sharedShape.js';

/** What `meeting:<id>` holds; bump it with any change of the layout below (sharedShape.ts). */
const MEETING_LIST_SHAPE = 1;

/**
 * Layout under `prefix`: `meeting:<nodeMeetingID>` (a hash per running meeting: `entry` as JSON, `v` its shape
 * version), `meeting:<id>:joinCounts`
 * (a hash MeetingJoined position → `<moderators>:<viewers>:<when, ms>`: HSET makes a replayed event harmless),
 * `counts` and `countedAt` (ms) in the meeting's hash (the last poll's, JSON; a poll's counts empty the join
 * counts, and joins that happened before `countedAt` are in them already, so read() skips them), and the index sets
 * `meetings:tenant:<tenant>` and `meetings:scope:<scope>`. Join reads one hash and the join counts (a few
 * fields: one per recording window since the last poll).
 */
export class RedisMeetingList implements MeetingReadModel {
  readonly target: RedisCheckpointTarget<MeetingListOp>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** This log's identity, kept with every commit (logIdentity.ts); absent for an instance that only reads. */
    log?: LogIdentity,
  ) {
    this.target = new RedisCheckpointTarget(redis, `${prefix}checkpoint:meetingList`, (ops) => this.toCommands(ops), ...sharedTargetOptions(prefix, meetingListProjection.name, MEETING_LIST_SHAPE, log));
  }

  async find(nodeMeetingID: string): Promise<MeetingView | undefined> {
    const [view] = await this.read([nodeMeetingID]);
    return view;
  }

  async list(tenant: string, scope: string): Promise<MeetingView[]> {
    const index = scope === tenant ? `${this.prefix}meetings:tenant:${tenant}` : `${this.prefix}meetings:scope:${scope}`;
    const ids = await this.redis.smembers(index);
    return (await this.read(ids)).sort(byCreateTime);
  }

  /** Another instance may change the lists at any time: no version, every getMeetings reads them. */
  listVersion(): undefined {
    return undefined;
  }

  toCommands(ops: MeetingListOp[]): RedisCommand[] {
    return ops.flatMap((op): RedisCommand[] => {
      if (op.op === 'join') return [['HSET', this.joinsKey(op.nodeMeetingID), op.position, `${op.moderators}:${op.viewers}:${Date.parse(op.at)}`]];
      if (op.op === 'counts') {
        const id = op.nodeMeetingID;
        // HSETs on an ended meeting would leave a hash without `entry`, which read() skips; EXISTS-free on purpose.
        return [['HSET', this.meetingKey(id), 'counts', JSON.stringify(op.counts), 'countedAt', String(Date.parse(op.at))], ['DEL', this.joinsKey(id)]];
      }
      const id = op.op === 'remove' ? op.nodeMeetingID : op.entry.nodeMeetingID;
      // The per-role sets are the layout before join counts (MeetingJoined v1); deleted with the meeting.
      const clear: RedisCommand = ['DEL', this.meetingKey(id), this.joinsKey(id), `${this.meetingKey(id)}:joins:MODERATOR`, `${this.meetingKey(id)}:joins:VIEWER`];
      if (op.op === 'remove') {
        return [clear, ['SREM', `${this.prefix}meetings:tenant:${op.tenant}`, id], ['SREM', `${this.prefix}meetings:scope:${op.scope}`, id]];
      }
      const { entry } = op;
      return [
        clear,
        ['HSET', this.meetingKey(id), 'entry', JSON.stringify(entry), SHAPE_FIELD, String(MEETING_LIST_SHAPE)],
        ['SADD', `${this.prefix}meetings:tenant:${entry.tenant}`, id],
        ['SADD', `${this.prefix}meetings:scope:${entry.scope}`, id],
      ];
    });
  }

  private async read(ids: string[]): Promise<MeetingView[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.hmget(this.meetingKey(id), 'entry', 'counts', 'countedAt', SHAPE_FIELD);
      pipeline.hvals(this.joinsKey(id));
    }
    const results = (await pipeline.exec()) ?? [];
    const values = results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    const views: MeetingView[] = [];
    for (let i = 0; i < ids.length; i++) {
      const [fields, joinCounts] = values.slice(i * 2, i * 2 + 2);
      const [raw, counts, countedAt, v] = (Array.isArray(fields) ? fields : []) as Array<string | null>;
      const decoded = decodeMeeting(this.meetingKey(ids[i]!), { entry: raw ?? undefined, counts: counts ?? undefined, [SHAPE_FIELD]: v ?? undefined });
      if (!decoded) continue;
      const { entry, counts: parsedCounts } = decoded;
      const countedAtMs = typeof countedAt === 'string' ? Number(countedAt) : -Infinity;
      let moderatorJoins = 0;
      let viewerJoins = 0;
      for (const value of Array.isArray(joinCounts) ? joinCounts : []) {
        // No time: written before join times were kept, when counts emptied every join they covered.
        const [moderators, viewers, at] = String(value).split(':');
        if (at !== undefined && Number(at) <= countedAtMs) continue;
        moderatorJoins += Number(moderators);
        viewerJoins += Number(viewers);
      }
      views.push(meetingViewOf(entry, moderatorJoins, viewerJoins, parsedCounts));
    }
    return views;
  }

  private meetingKey(id: string): string {
    return `${this.prefix}meeting:${id}`;
  }

  private joinsKey(id: string): string {
    return `${this.prefix}meeting:${id}:joinCounts`;
  }
}

/** The meeting list as every instance shares it in Redis: its keys, and the check of what they hold. */
export const MEETING_LIST_SHARED: SharedShape<MeetingListOp> = {
  version: MEETING_LIST_SHAPE,
  keyPatterns: ['meeting:*', 'meetings:*'],
  recordPattern: 'meeting:*',
  indexed: { prefix: 'meeting:', field: 'entry' },
  target: (redis, prefix, log) => new RedisMeetingList(redis, prefix, log).target,
  decode: (key, hash) => void decodeMeeting(key, hash),
};

/**
 * A meeting's hash: undefined without `entry` (counts that trailed the meeting's end, or a join counts hash);
 * ReadModelShapeError when another shape wrote it, a SyntaxError when its JSON is not.
 */
function decodeMeeting(key: string, hash: Record<string, string | undefined>): { entry: MeetingListEntry; counts: MeetingCounts | null } | undefined {
  if (hash[SHAPE_FIELD] !== undefined || hash.entry !== undefined) checkShape(key, hash, MEETING_LIST_SHAPE);
  if (hash.entry === undefined) return undefined;
  return { entry: JSON.parse(hash.entry) as MeetingListEntry, counts: hash.counts !== undefined ? (JSON.parse(hash.counts) as MeetingCounts) : null };
}
