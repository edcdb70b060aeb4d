import { UsageError } from '../errors.js';
import { didYouMean } from '../suggest.js';

/** The monitor name of a run whose config names none: the `monitor` label and `mlobs_default.prom`. */
export const DEFAULT_MONITOR = 'default';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` on top of `base`, key by key: sections (and per-column maps) merge, lists and values replace. */
export function overlay(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const merged = structuredClone(base);
  for (const [key, value] of Object.entries(over)) {
    const current = Object.hasOwn(merged, key) ? merged[key] : undefined;
    // defineProperty, not assignment: a column named `__proto__` (a per-column map key) would set the prototype.
    Object.defineProperty(merged, key, {
      value: isRecord(value) && isRecord(current) ? overlay(current, value) : structuredClone(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
}

export interface MonitorEntry {
  name: string;
  /** A single run's config: the entry over the file's top-level keys, before flags. */
  config: Record<string, unknown>;
}

/** The `monitors:` of a config file that run: all of them, or the one named `only`. */
export function selectMonitors(file: Record<string, unknown> & { monitors: { name: string }[] }, only: string | undefined): MonitorEntry[] {
  const { monitors, monitor: _selected, ...defaults } = file;
  const chosen = only === undefined ? monitors : monitors.filter((m) => m.name === only);
  if (chosen.length === 0) {
    throw new UsageError(
      `no monitor "${only}" in the config file${
        didYouMean(
          only ?? '',
          monitors.map((m) => m.name),
        ) || `; its monitors: ${monitors.map((m) => m.name).join(', ')}`
      }`,
    );
  }
  return chosen.map(({ name, ...entry }) => ({ name, config: overlay(defaults, entry) }));
}
