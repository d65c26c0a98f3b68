// The scenario file's schema, assembled from its parts (one file each in this folder; each event
// kind's body in sim/events/): what `schemas/scenario.schema.json` publishes for editors and what
// the loader checks with ajv before it reads.
import { Type, type Static } from '@sinclair/typebox';
import { integer, object, say, string } from '../../core/json/schema-says.js';
import { distributionSchema, durationSchema } from '../../sim/field-schemas.js';
import { appsSchema } from './apps.js';
import { cellsSchema } from './cells.js';
import { convergenceSchema, evacuationSchema, fileServerSchema, lockSchema, networkSchema, serviceTimeSchema } from './control.js';
import { eventsSchema } from './events.js';
import { expectSchema } from './expect.js';
import { tasksSchema } from './tasks.js';
import { cronSchema } from './cron.js';
import { rebalanceSchema } from './rebalance.js';

/** Strategy settings: a name and a number each (the strategy refuses names it does not know). */
const settingsSchema = say(
  Type.Unsafe<Record<string, number>>({ type: 'object', additionalProperties: say(Type.Number(), { expected: 'a number' }), description: 'Settings of the strategy, by name (see auctionlab strategies).' }),
  { expected: 'an object of strategy settings {name: number}' },
);

/** A scenario file: the cluster, its workload, Diego's settings and the timed events. */
export const scenarioSchema = object(
  {
    name: Type.Optional(string({ description: 'The scenario name (default: the file name).' })),
    description: Type.Optional(string({ default: '', description: 'What the scenario shows, in a sentence.' })),
    seed: Type.Optional(integer({ min: 0, max: 2 ** 31 - 1, default: 1, description: 'The seed of every random stream of the run.' })),
    duration: Type.Optional(durationSchema({ default: '10m', description: 'Simulated time of the run (at most 24h; --allow-large: 30 days).' })),
    sampleInterval: Type.Optional(durationSchema({ default: '10s', description: 'Time between samples of the time series.' })),
    strategy: Type.Optional(say(Type.String({ minLength: 1, default: 'diego', description: 'The placement strategy (auctionlab strategies lists them).' }), { expected: 'a strategy name such as diego' })),
    settings: Type.Optional(settingsSchema),
    cells: cellsSchema,
    startup: Type.Optional(distributionSchema({ default: { uniform: ['2s', '8s'] }, nullable: true, description: 'Time for a container to start.' })),
    fileServer: Type.Optional(fileServerSchema),
    network: Type.Optional(networkSchema),
    auctioneers: Type.Optional(integer({ min: 1, max: 10, default: 2, description: 'Auctioneers, one active at a time (the lock holder).' })),
    lock: Type.Optional(lockSchema),
    convergence: Type.Optional(convergenceSchema),
    evacuation: Type.Optional(evacuationSchema),
    presenceTtl: Type.Optional(durationSchema({ default: '15s', description: "A cell's presence lapses this long after its last refresh." })),
    // The rep's presence runner refreshes at locket.RetryInterval (rep cmd/rep/main.go; locket constants).
    presenceRefresh: Type.Optional(durationSchema({ default: '5s', description: 'How often a cell refreshes its presence (Diego: 5 s).' })),
    // The rep's bulk sync: diego-release jobs/rep/spec polling_interval_in_seconds, 30.
    repPolling: Type.Optional(durationSchema({ default: '30s', description: "How often a rep syncs its containers with the BBS (Diego: 30 s)." })),
    serviceTime: Type.Optional(serviceTimeSchema),
    apps: Type.Optional(appsSchema),
    tasks: Type.Optional(tasksSchema),
    cron: Type.Optional(cronSchema),
    rebalance: Type.Optional(rebalanceSchema),
    events: Type.Optional(eventsSchema),
    expect: Type.Optional(expectSchema),
  },
  {
    expected: 'a scenario object (see scenarios/README.md)',
    description: 'An auctionlab scenario: cells, apps, tasks, timed events and Diego settings (scenarios/README.md).',
    // The order problems are listed in: the objects' own problems and unknown fields early, as the
    // reader meets them.
    order: [
      '$unknown', '$self', 'duration', 'network/$node', 'lock/$node', 'convergence/$node', 'evacuation/$node', 'strategy', 'settings', 'name', 'description', 'seed', 'sampleInterval', 'cells',
      'startup', 'fileServer', 'network', 'auctioneers', 'lock', 'convergence', 'serviceTime', 'evacuation', 'presenceTtl', 'presenceRefresh', 'repPolling', 'apps', 'tasks', 'cron', 'rebalance', 'events', 'expect',
    ],
  },
);

/**
 * A scenario file as written (before Diego's defaults are filled in): the schema's type. Event
 * bodies are typed by their kind's name only (`kill: unknown`); the loader checks each.
 */
export type ScenarioFile = Static<typeof scenarioSchema>;
