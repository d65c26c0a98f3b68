// A scenario's control plane: the network, the auctioneers' lock, the converger, evacuation, cell
// presence, the reps' sync, Diego's service times and the file server. Each part's schema, with
// Diego's defaults (and where they come from), and its reader.
import { Type } from '@sinclair/typebox';
import type { Reader } from '../../core/json/reader.js';
import { childPath } from '../../core/json/reader.js';
import { boolean, byType, integer, number, object, say } from '../../core/json/schema-says.js';
import { CONVERGENCE_DEFAULTS } from '../../core/convergence/states.js';
import { distributionSchema, durationMs, durationSchema } from '../../sim/field-schemas.js';
import { durationText } from '../../sim/field-writers.js';
import type { ServiceTimes } from '../../sim/scenario-types.js';

const d = (ms: number) => durationText(ms);

/** The simulated network. */
export const networkSchema = object(
  {
    latency: Type.Optional(distributionSchema({ default: '1ms', nullable: true, description: 'One-way latency of a message.' })),
    loss: Type.Optional(number({ min: 0, max: 1, default: 0, description: 'Chance that a message is lost.' })),
    timeout: Type.Optional(durationSchema({ default: '10s', description: "A request's timeout (Diego: 10 s)." })),
  },
  { description: 'The network between the auctioneers, the cells and the BBS.' },
);

/** The auctioneers' lock (locket). */
export const lockSchema = object(
  {
    ttl: Type.Optional(durationSchema({ default: '15s', description: "The lock's TTL: a dead auctioneer's lock lapses after it." })),
    // Diego's auctioneer runs its locket lock with locket.SQLRetryInterval (1 s), not its 5 s config
    // value (auctioneer cmd/auctioneer/main.go; locket's constants).
    retry: Type.Optional(durationSchema({ default: '1s', description: 'How often a standby tries for the lock (Diego: 1 s).' })),
  },
  { description: "The auctioneers' lock." },
);

/** The converger's settings (bbs converger, Diego's defaults). */
export const convergenceSchema = object(
  {
    interval: Type.Optional(durationSchema({ default: d(CONVERGENCE_DEFAULTS.intervalMs), description: 'Time between convergence passes.' })),
    staleUnclaimed: Type.Optional(durationSchema({ default: d(CONVERGENCE_DEFAULTS.staleUnclaimedMs), description: 'An unclaimed instance older than this is auctioned again.' })),
    pendingTaskTimeout: Type.Optional(durationSchema({ default: d(CONVERGENCE_DEFAULTS.pendingTaskTimeoutMs), description: 'A pending task older than this fails.' })),
    resolvingTimeout: Type.Optional(durationSchema({ default: d(CONVERGENCE_DEFAULTS.resolvingTimeoutMs), description: 'A resolving task older than this is completed again.' })),
    completedTaskTtl: Type.Optional(durationSchema({ default: d(CONVERGENCE_DEFAULTS.completedTaskTtlMs), description: 'A completed task is kicked after this.' })),
    maxTaskRetries: Type.Optional(integer({ min: 0, max: 1000, default: CONVERGENCE_DEFAULTS.maxTaskRetries, description: 'Times a task is retried.' })),
    // Current Diego runs only its periodic pass: the BBS's CellEvents() returns nil since cell
    // presence moved from consul to locket (bbs serviceclient/service_client.go), so the converger's
    // cell-event case never fires (bbs converger/converger.go). Older Diego ran a pass at once.
    onCellLoss: Type.Optional(boolean({ default: false, description: 'Run a pass as soon as a cell is lost (older Diego).' })),
  },
  { description: "The BBS's converger." },
);

/** Evacuation of draining cells. */
export const evacuationSchema = object(
  {
    timeout: Type.Optional(durationSchema({ default: '10m', description: 'A draining cell stops its instances after this at the latest.' })),
    poll: Type.Optional(durationSchema({ default: '10s', description: 'How often a draining rep checks its replacements.' })),
  },
  { description: 'Evacuation of draining cells.' },
);

/** The file server the cells download droplets from. */
export const fileServerSchema = object(
  { bandwidthMBps: Type.Optional(number({ min: 0.001, max: 1_000_000, default: 100, description: "The file server's bandwidth (MB/s), shared by every download." })) },
  { expected: 'the file server {bandwidthMBps}', description: 'The file server the cells download droplets from.' },
);

/** Diego's service times (see scenarios/README.md for where each default comes from). */
export const SERVICE_TIME_DEFAULTS: Readonly<ServiceTimes> = Object.freeze({
  // Fitted to Diego's Go scheduler on the stress mix: 10,000 instances onto 1,000 empty cells in
  // 10.5-23.9 s, 100,000 in 198-251 s (mid-points: 1.7 ms and 2.25 ms per auction over 1,000 cells
  // averaging 5 and 50 instances): 1.64 us per cell plus 0.0122 us per instance on it, the batch's own
  // counted at half (see SimAuctioneer.schedulingMs); the model gives 17.0 s and 225 s for those two.
  schedulingPerAuctionMs: 0,
  schedulingPerCellMs: 0.00164,
  schedulingPerInstanceMs: 0.0000122,
  // Assumed (Diego publishes no figure; bbs indicators.yml reports RequestLatency with no
  // threshold): a write by a cell to the BBS, over the network into its SQL store, takes 5 ms.
  bbsWriteMs: 5,
  // Assumed: the rep's executor allocates a container in memory (rep auction_cell_rep.go Perform
  // calls AllocateContainers before it replies), 0.1 ms each.
  repAllocationMs: 0.1,
  // Assumed (Diego publishes no figure; its alert fires at 10 s): 10 us per record read, so 2.5 s
  // for 250,000 instances.
  convergenceFixedMs: 0,
  convergencePerRecordMs: 0.01,
});

const SERVICE_TIME_SYNTAX = 'none, or {scheduling: {perAuction, perCell, perInstance}, bbs: {write}, rep: {allocation}, convergence: {fixed, perRecord}} (ms)';

// Milliseconds as numbers (fractions for microseconds: 0.00164), or durations such as 2s.
function msPart<K extends string>(fields: Record<K, [number, string]>) {
  const props: Record<string, ReturnType<typeof Type.Optional>> = {};
  for (const [k, [ms, description]] of Object.entries(fields) as [K, [number, string]][]) props[k] = Type.Optional(durationSchema({ default: ms, description }));
  return object(props, { expected: `an object {${Object.keys(fields).join(', ')}} of milliseconds` });
}

const D = SERVICE_TIME_DEFAULTS;

/** Diego's own work, in simulated time: `none`, or its parts. */
export const serviceTimeSchema = byType<'none', object>(
  'string',
  say(Type.Literal('none'), { expected: SERVICE_TIME_SYNTAX }),
  object(
    {
      scheduling: Type.Optional(msPart({ perAuction: [D.schedulingPerAuctionMs, 'Per auction of a batch.'], perCell: [D.schedulingPerCellMs, 'Per auction, per cell scored.'], perInstance: [D.schedulingPerInstanceMs, 'Per auction, per instance on the cells.'] })),
      bbs: Type.Optional(msPart({ write: [D.bbsWriteMs, "A cell's write to the BBS (assumed)."] })),
      rep: Type.Optional(msPart({ allocation: [D.repAllocationMs, 'A rep allocating one container (assumed).'] })),
      convergence: Type.Optional(msPart({ fixed: [D.convergenceFixedMs, 'A convergence pass, whatever it reads.'], perRecord: [D.convergencePerRecordMs, 'Per record a pass reads (assumed).'] })),
    },
    { expected: SERVICE_TIME_SYNTAX, order: ['$unknown', '$self', 'scheduling/$node', 'convergence/$node', 'bbs/$node', 'rep/$node', 'scheduling', 'bbs', 'rep', 'convergence'] },
  ),
  { expected: SERVICE_TIME_SYNTAX, description: "How long Diego's own work takes (ms), or none." },
);

/** Checked service times as the simulator takes them (null: none); more than an hour per step is reported to `r`. */
export function readServiceTime(r: Reader, value: unknown): ServiceTimes | null {
  if (value === 'none') return null;
  if (value === undefined) return { ...SERVICE_TIME_DEFAULTS };
  const o = value as Record<string, Record<string, unknown> | undefined>;
  // An hour of Diego's own work per step is surely a slip of a unit: the run would stall, not teach.
  const ms = (part: string, key: string, fallback: number) => {
    const raw = o[part]?.[key];
    const v = durationMs(raw, fallback);
    if (v > 3_600_000) r.report(childPath(childPath('serviceTime', part), key), `expected at most 1h, got ${String(raw)}`);
    return v;
  };
  return {
    schedulingPerAuctionMs: ms('scheduling', 'perAuction', D.schedulingPerAuctionMs),
    schedulingPerCellMs: ms('scheduling', 'perCell', D.schedulingPerCellMs),
    schedulingPerInstanceMs: ms('scheduling', 'perInstance', D.schedulingPerInstanceMs),
    bbsWriteMs: ms('bbs', 'write', D.bbsWriteMs),
    repAllocationMs: ms('rep', 'allocation', D.repAllocationMs),
    convergenceFixedMs: ms('convergence', 'fixed', D.convergenceFixedMs),
    convergencePerRecordMs: ms('convergence', 'perRecord', D.convergencePerRecordMs),
  };
}
