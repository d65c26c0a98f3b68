/** A figure for a table: whole numbers from 1000, one decimal from 10, three from 0.1, two significant digits below. */
export function formatFigure(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1000 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : a >= 0.1 ? x.toFixed(3) : x.toPrecision(2);
}

/** A figure for a CSV field: the number, or empty when there is none (NaN from a figure no run had, or null read back from JSON). */
export function csvFigure(x: number | null | undefined): number | '' {
  return x === null || x === undefined || !Number.isFinite(x) ? '' : x;
}
