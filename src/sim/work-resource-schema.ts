// The fields a scenario's work (apps, task streams, `task` events) may ask beyond memory and disk:
// CPU, GPUs and GPU models, auctionlab's dimensions (Diego's work asks none). One schema fragment,
// one reader, one writer, one mapping onto Diego-shaped requests, for every kind of work.
import { Type } from '@sinclair/typebox';
import { childPath, type Reader } from '../core/json/reader.js';
import { integer, strings, stringsOf } from '../core/json/schema-says.js';
import { MAX_GPUS } from '../core/json/cell-state-json.js';
import { WHOLE_GPU } from '../core/model/gpus.js';
import type { PlacementConstraint, ResourceRequest } from '../core/model/resources.js';
import type { WorkResources } from './scenario-types.js';

/** The optional CPU and GPU fields of a piece of work, for an object schema's properties. */
export function workResourceFields() {
  return {
    cpuMilli: Type.Optional(integer({ min: 0, max: 2_147_483_647, description: 'CPU (millicores; 1000 = one core). Checked only on cells that account CPU.' })),
    gpus: Type.Optional(integer({ min: 0, max: MAX_GPUS, description: 'GPU devices (none when absent). A cell without GPUs has none to give.' })),
    gpuMilli: Type.Optional(integer({ min: 1, max: WHOLE_GPU, description: 'Thousandths of each of those devices: 1000 (the default) whole devices, less a share of one device (GPU sharing).' })),
    gpuModels: Type.Optional(strings('GPU models the work may run on, any of them (none: any cell).')),
  };
}

/** The names of {@link workResourceFields}, in order (for an object's problem order). */
export const WORK_RESOURCE_KEYS = ['cpuMilli', 'gpus', 'gpuMilli', 'gpuModels'] as const;

/** The work resources of a checked object: only the fields it has (an empty list of models is none). */
export function readWorkResources(o: { cpuMilli?: number | undefined; gpus?: number | undefined; gpuMilli?: number | undefined; gpuModels?: unknown }): WorkResources {
  const out: WorkResources = {};
  if (o.cpuMilli !== undefined) out.cpuMilli = o.cpuMilli;
  if (o.gpus !== undefined && o.gpus > 0) out.gpus = o.gpus;
  // The share is filled in (whole devices by default), as every default is once read.
  if (o.gpus !== undefined && o.gpus > 0) out.gpuMilli = o.gpuMilli ?? WHOLE_GPU;
  const models = stringsOf(o.gpuModels);
  if (models.length > 0) out.gpuModels = models;
  return out;
}

/** The work resources as a scenario file writes them (only those asked; with GPUs, the share filled in). */
export function writeWorkResources(w: WorkResources): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (w.cpuMilli !== undefined) out['cpuMilli'] = w.cpuMilli;
  if (w.gpus !== undefined) {
    out['gpus'] = w.gpus;
    out['gpuMilli'] = w.gpuMilli ?? WHOLE_GPU;
  }
  if (w.gpuModels !== undefined) out['gpuModels'] = [...w.gpuModels];
  return out;
}

/** Copies the work resources of a scenario record onto the request sent to the auctioneer (Diego's names). */
export function requestResources(w: WorkResources, into: Partial<ResourceRequest & PlacementConstraint>): void {
  if (w.cpuMilli !== undefined) into.CpuMilli = w.cpuMilli;
  if (w.gpus !== undefined) into.GpuCount = w.gpus;
  if (w.gpuMilli !== undefined) into.GpuMilli = w.gpuMilli;
  if (w.gpuModels !== undefined) into.GpuModels = w.gpuModels;
}

/** Whether the work asks for any of CPU, GPUs or GPU models. */
export function asksResources(w: WorkResources): boolean {
  return w.cpuMilli !== undefined || w.gpus !== undefined || w.gpuModels !== undefined;
}

/** What the schema cannot say about work resources: a share needs devices to be a share of. */
export function checkWorkResources(r: Reader, o: { gpus?: number | undefined; gpuMilli?: number | undefined; gpuModels?: unknown }, path: string): void {
  if (o.gpuMilli !== undefined && (o.gpus === undefined || o.gpus === 0)) r.report(childPath(path, 'gpuMilli'), 'expected gpus with it (gpuMilli is the share of each of those devices)');
  // A model named "" is one no cell can have (a cell's gpuModel is never empty).
  stringsOf(o.gpuModels).forEach((m, i) => m === '' && r.report(childPath(childPath(path, 'gpuModels'), i), 'expected a non-empty string, got ""'));
}
