// The guid of a cron tick's task: the entry's name and the tick's time on the calendar. One tick, one
// guid: a tick sent twice (a retried request, a new auctioneer catching up, an auctioneer restarted
// from its journal) is a second desire of the same task, which the BBS refuses, so a tick never runs
// twice. Only letters, digits, "-" and "_", as Diego's BBS takes a guid.
/** `<name>-<tick>`, the tick in compact ISO 8601 UTC (`report-20240101T000500Z`; `_250` before the Z when it has milliseconds). */
export function tickGuid(name: string, tickCalendarMs: number): string {
  const iso = new Date(tickCalendarMs).toISOString().replace(/[-:]/g, '');
  return `${name}-${iso.replace(/\.000Z$/, 'Z').replace('.', '_')}`;
}
