// Usage of one running process as the rep's `GET /container_metrics` reports a container's
// (executor `containermetrics` CachedContainerMetrics), read from Linux's /proc. A real cell runs
// plain processes, so the figures are the process's own: resident memory and CPU time averaged over
// its life; disk use is not measured (no container filesystem) and reads 0.
import { readFileSync } from 'node:fs';
import { statFields } from './proc-stat.js';

/** Bytes in a MiB. */
const MIB = 1024 * 1024;
/** Linux's page size on x86-64 and arm64 (assumed: Node cannot ask sysconf). */
const PAGE_BYTES = 4096;
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times (100 on every mainstream build; assumed). */
const CLOCK_TICKS = 100;

/** Diego's `CachedContainerMetrics` fields (JSON names as the rep writes them). */
export interface ContainerMetrics {
  /** The app's metric guid (none here: empty). */
  metric_guid: string;
  /** CPU time used over wall time since start (1 = one core busy). */
  cpu_usage_fraction: number;
  /** Disk used (not measured: 0). */
  disk_usage_bytes: number;
  /** Disk allocated. */
  disk_quota_bytes: number;
  /** Resident memory of the process. */
  memory_usage_bytes: number;
  /** Memory allocated. */
  memory_quota_bytes: number;
}


/**
 * Metrics of a process with its allocation; null pid (not running, or not Linux) gives zero usage.
 */
export function processMetrics(pid: number | null, memoryMB: number, diskMB: number): ContainerMetrics {
  const out: ContainerMetrics = { metric_guid: '', cpu_usage_fraction: 0, disk_usage_bytes: 0, disk_quota_bytes: diskMB * MIB, memory_usage_bytes: 0, memory_quota_bytes: memoryMB * MIB };
  if (pid === null) return out;
  try {
    const resident = Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]);
    if (Number.isFinite(resident)) out.memory_usage_bytes = resident * PAGE_BYTES;
  } catch {
    // Gone since: no usage.
  }
  // utime is field 14, stime 15, starttime 22 (statFields starts at field 3).
  const f = statFields(pid);
  if (f) {
    const cpu = (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
    const startedAt = Number(f[19]) / CLOCK_TICKS;
    let uptime = NaN;
    try {
      uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    } catch {
      // No uptime: no fraction.
    }
    const alive = uptime - startedAt;
    if (Number.isFinite(cpu) && alive > 0) out.cpu_usage_fraction = Math.round((cpu / alive) * 1e4) / 1e4;
  }
  return out;
}
