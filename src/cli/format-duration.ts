/** A simulated duration for people: minutes from one minute, seconds from one second, else milliseconds. */
export function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}
