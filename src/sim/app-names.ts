// A scenario app's process guids: group members (`web-3`) and deployed versions (`web@v2`).

/** A process guid without its deployed version (`web@v3` is `web`). */
export function versionless(processGuid: string): string {
  return processGuid.replace(/@v\d+$/, '');
}

/** Whether a process guid belongs to the scenario app `name` (its group members and deployed versions). */
export function belongsTo(processGuid: string, name: string): boolean {
  const base = versionless(processGuid);
  return base === name || base.startsWith(`${name}-`);
}
