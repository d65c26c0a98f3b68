import { InvalidArgumentError } from 'commander';

/** Commander parser for a whole number >= min. */
export function wholeNumber(min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** Commander parser for a finite number >= min. */
export function finiteNumber(min: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new InvalidArgumentError(`expected a number >= ${min}, got ${JSON.stringify(value)}`);
    return n;
  };
}

/** Commander collector for repeatable `--set name=value`. */
export function collectSetting(value: string, previous: Record<string, number> | undefined): Record<string, number> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected name=value, got ${JSON.stringify(value)}`);
  const name = value.slice(0, eq).trim();
  const raw = value.slice(eq + 1).trim();
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number after ${name}=, got ${JSON.stringify(raw)}`);
  return { ...previous, [name]: n };
}
