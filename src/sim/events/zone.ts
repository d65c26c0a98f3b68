// A zone named by an event (`partition`, `heal`): `z1` or `{zone: z1}`.
import type { Reader } from '../../core/json/reader.js';

/** Reads a zone name, bare or as `{zone}`. */
export function readZone(r: Reader, value: unknown, path: string): string {
  if (typeof value === 'string' && value !== '') return value;
  const z = r.object(value, path, 'a zone name or {zone: name}');
  if (!z) return '';
  r.rejectUnknown(z, path, ['zone']);
  return r.string(z, 'zone', path, { nonEmpty: true });
}
