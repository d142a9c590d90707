import type { Redis } from 'ioredis';
import { CENSUS_CHECKPOINT_FIELD } from '../projections/sharedShape.js';
import type { RedisReadModel } from './redisReadModels.js';

/** Census fields compared and index members looked up per check: a model of any size costs each check about the same. */
const PAGE = 100;

/**
 * In one script, so no commit lands between what it compares (commits are scripts too, and each writes the
 * census with the sets): one page of the census (sharedShape.ts), each index still holding as many members as
 * counted, then one page of one index, each member's record holding its field. ARGV: census key, prefix,
 * records' prefix and field, index (relative; '' none), its cursor, the census's cursor, page size. Returns
 * {'absent'}, {'size', index, found, expected}, {'type', index, type}, {'record', index, member}, or
 * {'ok', index cursor, census cursor}.
 */
const CHECK_SCRIPT = `
local census, prefix, recordPrefix, field, index, cursor, censusCursor, count = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8]
if redis.call('EXISTS', census) == 0 then return {'absent'} end
local function size(key)
  local kind = redis.call('TYPE', key)['ok']
  if kind == 'set' then return redis.call('SCARD', key), 1 end
  if kind == 'zset' then return redis.call('ZCARD', key), 2 end
  if kind == 'none' then return 0, 0 end
  return nil, kind
end
local counted = redis.call('HSCAN', census, censusCursor, 'COUNT', count)
local sizes = counted[2]
for i = 1, #sizes, 2 do
  if sizes[i] ~= '${CENSUS_CHECKPOINT_FIELD}' then
    local n, kind = size(prefix .. sizes[i])
    if not n then return {'type', sizes[i], kind} end
    if n ~= tonumber(sizes[i + 1]) then return {'size', sizes[i], tostring(n), sizes[i + 1]} end
  end
end
if index == '' then return {'ok', '0', counted[1]} end
local key = prefix .. index
local n, step = size(key)
if not n or n == 0 then return {'ok', '0', counted[1]} end
local page = redis.call(step == 1 and 'SSCAN' or 'ZSCAN', key, cursor, 'COUNT', count)
local members = page[2]
for i = 1, #members, step do
  if redis.call('HEXISTS', prefix .. recordPrefix .. members[i], field) == 0 then return {'record', index, members[i]} end
end
return {'ok', page[1], counted[1]}
`;

/**
 * Whether a shared model in Redis still holds what its census says it held at its checkpoint: finds data
 * deleted while the checkpoint stays (an index such as one tenant's meeting list, or the records it lists),
 * and members added by hand. Answers why the model is lost, or undefined.
 */
export class CensusCheck {
  private queue: string[] = [];
  private index = '';
  private cursor = '0';
  private censusCursor = '0';
  private readonly censusKey: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly model: RedisReadModel,
  ) {
    this.censusKey = `${prefix}${model.censusSuffix}`;
  }

  /** Every size, then every record every index lists, page by page (at start, before the model runs). */
  async all(): Promise<string | undefined> {
    this.censusCursor = '0';
    await this.refill();
    do {
      const problem = await this.page();
      if (problem) return problem;
    } while (this.cursor !== '0' || this.queue.length > 0 || this.censusCursor !== '0');
    return undefined;
  }

  /** The next page of sizes, then the next page of records; each wraps around at its end. */
  async next(): Promise<string | undefined> {
    if (this.cursor === '0' && this.queue.length === 0) await this.refill();
    return this.page();
  }

  private async refill(): Promise<void> {
    this.queue = (await this.redis.hkeys(this.censusKey)).filter((field) => field !== CENSUS_CHECKPOINT_FIELD);
    this.cursor = '0';
  }

  private async page(): Promise<string | undefined> {
    if (this.cursor === '0') this.index = this.queue.shift() ?? '';
    const { prefix, field } = this.model.shape.indexed;
    const args = [this.censusKey, this.prefix, prefix, field, this.index, this.cursor, this.censusCursor, String(PAGE)];
    const [kind, ...rest] = (await this.redis.eval(CHECK_SCRIPT, 0, ...args)) as string[];
    if (kind === 'ok') {
      this.cursor = rest[0] ?? '0';
      this.censusCursor = rest[1] ?? '0';
      return undefined;
    }
    this.cursor = '0';
    this.censusCursor = '0';
    if (kind === 'absent') return 'its census is missing beside its checkpoint (deleted, or written before censuses were kept)';
    const [index, a, b] = rest;
    if (kind === 'size') return `${index} holds ${a} members where its census counts ${b}`;
    if (kind === 'type') return `${index} is a ${a}, not an index`;
    return `${index} lists ${a} but ${prefix}${a} holds no ${field}`;
  }
}
