/** "1 step", "2 steps": every count campfire prints goes through this, so none reads "1 steps". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
