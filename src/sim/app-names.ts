// A scenario app's process guids: group members (`web-3`) and deployed versions (`web@v2`).

/** A process guid without its deployed version (`web@v3` is `web`). */
export function versionless(processGuid: string): string {
  return processGuid.replace(/@v\d+$/, '');
}

/**
 * Whether a process guid belongs to the scenario app `name`: the app itself, a member of its group
 * (`web-3`) or a deployed version of either (`web-3@v2`). Another app whose name merely starts
 * alike (`tiny-x4-0` for `tiny`) does not.
 */
export function belongsTo(processGuid: string, name: string): boolean {
  const base = versionless(processGuid);
  if (base === name) return true;
  if (!base.startsWith(`${name}-`)) return false;
  return /^(0|[1-9]\d*)$/.test(base.slice(name.length + 1));
}
