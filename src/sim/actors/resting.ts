import { WakeHeap } from '../kernel/wake-heap.js';

/**
 * Groups set aside until a time: the converger rests here the watched groups that only time can
 * make due (a CRASHED record waiting out its backoff, an UNCLAIMED one not yet stale), so a pass
 * looks at them again when their time comes instead of at every pass (see converger.ts).
 */
export class Resting<T> extends WakeHeap<T> {}
