import { MemoryCheckpointTarget } from '../projections/targets/memoryTarget.js';
import type { UsageOp } from './usageProjection.js';

export interface Usage {
  meetings: number;
  participants: number;
  voice: number;
  video: number;
}

interface MeetingUsage {
  tenant: string;
  /** The last poll's participants; joins since are added. */
  polled: number;
  joined: number;
  voice: number;
  video: number;
}

const zero = (): Usage => ({ meetings: 0, participants: 0, voice: 0, video: 0 });

/**
 * Usage per tenant and per node kept as running totals (each event moves them by its delta), so a scrape
 * reads O(tenants + nodes) numbers and never walks meetings or the log. Also the counters the log explains:
 * placements, refusals, health transitions; failover durations go to `onFailover` as they are replayed.
 */
export class UsageModel {
  readonly tenants = new Map<string, Usage>();
  /** Voice and video as the node itself last reported them (meetings not placed by us included). */
  readonly nodeMedia = new Map<string, { voice: number; video: number }>();
  readonly placements = new Map<string, number>();
  readonly refusals = new Map<string, number>();
  /** `tenant\nlimit\noutcome` → calls that ran into a tenant limit (TenantLimitExceeded occurrences). */
  readonly limitHits = new Map<string, number>();
  /** `node\nhealth` → transitions into that health. */
  readonly healthTransitions = new Map<string, number>();
  private readonly meetings = new Map<string, MeetingUsage>();
  private readonly offlineSince = new Map<string, number>();
  readonly target = new MemoryCheckpointTarget<UsageOp>((ops) => this.apply(ops));

  constructor(private readonly onFailover: (seconds: number) => void = () => undefined) {}

  apply(ops: UsageOp[]): void {
    for (const op of ops) {
      switch (op.op) {
        case 'tenant':
          if (!this.tenants.has(op.tenant)) this.tenants.set(op.tenant, zero());
          break;
        case 'meetingOn':
          this.replace(op.meeting, { tenant: op.tenant, polled: 0, joined: 0, voice: 0, video: 0 });
          break;
        case 'meetingOff':
          this.replace(op.meeting, undefined);
          break;
        case 'joined': {
          const m = this.meetings.get(op.meeting);
          if (m) this.replace(op.meeting, { ...m, joined: m.joined + op.count });
          break;
        }
        case 'counts': {
          const m = this.meetings.get(op.meeting);
          if (m) this.replace(op.meeting, { ...m, polled: op.participants, joined: 0, voice: op.voice, video: op.video });
          break;
        }
        case 'placed':
          increment(this.placements, op.node);
          break;
        case 'refused':
          increment(this.refusals, op.reason);
          break;
        case 'health':
          increment(this.healthTransitions, `${op.node}\n${op.health}`);
          if (op.health === 'offline') this.offlineSince.set(op.node, op.at);
          else this.offlineSince.delete(op.node);
          break;
        case 'moved': {
          const since = this.offlineSince.get(op.from);
          if (since !== undefined && op.at >= since) this.onFailover((op.at - since) / 1000);
          break;
        }
        case 'nodeLoad':
          this.nodeMedia.set(op.node, { voice: op.voice, video: op.video });
          break;
        case 'nodeGone':
          this.nodeMedia.delete(op.node);
          break;
        case 'limitHits':
          increment(this.limitHits, `${op.tenant}\n${op.limit}\n${op.outcome}`, op.occurrences);
          break;
      }
    }
  }

  /** Moves a meeting's contribution out of its old totals and into the new ones. */
  private replace(stream: string, next: MeetingUsage | undefined): void {
    const previous = this.meetings.get(stream);
    if (previous) add(this.tenantUsage(previous.tenant), previous, -1);
    if (next) {
      this.meetings.set(stream, next);
      add(this.tenantUsage(next.tenant), next, 1);
    } else this.meetings.delete(stream);
  }

  private tenantUsage(tenant: string): Usage {
    let usage = this.tenants.get(tenant);
    if (!usage) {
      usage = zero();
      this.tenants.set(tenant, usage);
    }
    return usage;
  }
}

function add(usage: Usage, meeting: MeetingUsage, sign: 1 | -1): void {
  usage.meetings += sign;
  usage.participants += sign * (meeting.polled + meeting.joined);
  usage.voice += sign * meeting.voice;
  usage.video += sign * meeting.video;
}

function increment(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}
