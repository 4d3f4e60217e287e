/**
 * Appends `items` to `target` one by one. `target.push(...items)` passes every item as an argument, and
 * past some hundred thousand items (a quarter's order lines read in chunks of partners) that overflows the
 * call stack ("Maximum call stack size exceeded"); this does not.
 */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i] as T);
  return target;
}
