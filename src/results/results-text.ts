// results.json as people and tools read it: indented, but an array of numbers or strings on one
// line, and so is any array of more than a hundred things. Indented throughout, a 250,000-instance run's placement and timeline put every number on
// a line of its own (88 MB, and seconds to write); on one line they read the same and weigh far less.

/** Arrays of numbers or strings shorter than this stay indented, one element a line (a short list reads better so). */
const ONE_LINE_FROM = 8;
/** Arrays of anything longer than this are one line too: a timeline's frames, an app table, a placement's cells. */
const ONE_LINE_PAST = 100;

// JSON.stringify's rules for what a value becomes: undefined and functions are left out of objects
// and are null in arrays; numbers that are not finite are null.
function print(v: unknown, pad: string, out: string[]): void {
  if (Array.isArray(v)) {
    if (v.length === 0) return void out.push('[]');
    if (v.length > ONE_LINE_PAST || (v.length >= ONE_LINE_FROM && v.every((x) => typeof x === 'number' || typeof x === 'string'))) return void out.push(JSON.stringify(v));
    const inner = `${pad}  `;
    out.push('[\n');
    v.forEach((x, i) => {
      out.push(inner);
      if (x === undefined || typeof x === 'function') out.push('null');
      else print(x, inner, out);
      out.push(i < v.length - 1 ? ',\n' : '\n');
    });
    out.push(`${pad}]`);
    return;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && typeof x !== 'function');
    if (entries.length === 0) return void out.push('{}');
    const inner = `${pad}  `;
    out.push('{\n');
    entries.forEach(([k, x], i) => {
      out.push(`${inner}${JSON.stringify(k)}: `);
      print(x, inner, out);
      out.push(i < entries.length - 1 ? ',\n' : '\n');
    });
    out.push(`${pad}}`);
    return;
  }
  out.push(JSON.stringify(v) ?? 'null');
}

/** `value` as JSON text, indented by two spaces, with long arrays of numbers or strings on one line, and a final newline. */
export function resultsText(value: unknown): string {
  const out: string[] = [];
  // Through JSON first, so every rule of JSON.stringify holds (toJSON, holes, symbols, boxed values).
  print(JSON.parse(JSON.stringify(value) ?? 'null'), '', out);
  out.push('\n');
  return out.join('');
}
