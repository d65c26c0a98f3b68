// A scenario's cell groups: the schema of one group and its reader.
import { Type } from '@sinclair/typebox';
import { boolean, integer, list, object, string, strings, stringsOf, withDefaults } from '../../core/json/schema-says.js';
import { MAX_GPUS } from '../../core/json/cell-state-json.js';
import type { CellGroup } from '../../sim/scenario-types.js';

/** One group of identical cells, as a scenario file writes it. */
export const cellGroupSchema = object(
  {
    count: integer({ min: 1, max: 100_000, description: 'How many cells.' }),
    zones: Type.Optional(strings('Zones, assigned round-robin (default [z1]).')),
    memoryMB: Type.Optional(integer({ min: 1, max: 2_147_483_647, default: 32 * 1024, description: 'Memory per cell (MB).' })),
    diskMB: Type.Optional(integer({ min: 1, max: 2_147_483_647, default: 64 * 1024, description: 'Disk per cell (MB).' })),
    containers: Type.Optional(integer({ min: 1, max: 100_000, default: 250, description: 'Containers per cell.' })),
    stacks: Type.Optional(strings('Stacks of the preloaded rootfs provider.', ['cflinuxfs4'])),
    docker: Type.Optional(boolean({ default: true, description: 'Whether the cell takes any docker image.' })),
    placementTags: Type.Optional(strings('Required placement tags (an isolation segment).')),
    optionalPlacementTags: Type.Optional(strings('Optional placement tags.')),
    volumeDrivers: Type.Optional(strings('Volume drivers present.')),
    proxyMemoryMB: Type.Optional(integer({ min: 0, max: 100_000, default: 0, description: "Memory of the Envoy proxy added to each LRP (MB)." })),
    prefix: Type.Optional(string({ nonEmpty: true, description: 'Cell ids are <prefix>-<n> (default cell, then cell1, cell2, ... for later groups).' })),
    ids: Type.Optional(strings('The cells\' own ids, one per cell (count of them), instead of <prefix>-<n>: an imported trace\'s machine names.')),
    cpuMilli: Type.Optional(integer({ min: 1, max: 2_147_483_647, description: 'CPU per cell (millicores; 1000 = one core). Absent: the cells do not account CPU, as Diego\'s do not.' })),
    gpus: Type.Optional(integer({ min: 0, max: MAX_GPUS, description: 'GPU devices per cell (none when absent).' })),
    gpuModel: Type.Optional(string({ nonEmpty: true, description: 'The model of those GPUs (work may ask for models by name).' })),
  },
  {
    expected: 'a cell group {count, zones, memoryMB, ...}',
    // The zones are read first (the order problems are listed in).
    order: ['$unknown', '$self', 'zones', 'count', 'memoryMB', 'diskMB', 'containers', 'stacks', 'docker', 'placementTags', 'optionalPlacementTags', 'volumeDrivers', 'proxyMemoryMB', 'prefix', 'ids', 'cpuMilli', 'gpus', 'gpuModel'],
  },
);

/** The cell groups: at least one. */
export const cellsSchema = list(cellGroupSchema, { description: 'Groups of identical cells.' });

/** A checked cell group as the simulator takes it (group `index` names its cells `cell<index>-n` unless it says). */
export function readCellGroup(value: unknown, index: number): CellGroup | undefined {
  if (value === undefined) return undefined;
  const g = withDefaults(cellGroupSchema, value);
  const zones = stringsOf(g.zones);
  return {
    count: g.count,
    zones: zones.length > 0 ? zones : ['z1'],
    memoryMB: g.memoryMB!,
    diskMB: g.diskMB!,
    containers: g.containers!,
    stacks: stringsOf(g.stacks),
    docker: g.docker!,
    placementTags: stringsOf(g.placementTags),
    optionalPlacementTags: stringsOf(g.optionalPlacementTags),
    volumeDrivers: stringsOf(g.volumeDrivers),
    proxyMemoryMB: g.proxyMemoryMB!,
    prefix: g.prefix === undefined || g.prefix === '' ? (index === 0 ? 'cell' : `cell${index}`) : g.prefix,
    ...(g.ids !== undefined && g.ids !== null ? { ids: stringsOf(g.ids) } : {}),
    ...(g.cpuMilli !== undefined ? { cpuMilli: g.cpuMilli } : {}),
    ...(g.gpus !== undefined && g.gpus > 0 ? { gpus: g.gpus } : {}),
    ...(g.gpuModel !== undefined ? { gpuModel: g.gpuModel } : {}),
  };
}
