/**
 * Where each setting the user gave came from, by config path: `columns.ignore` → `--ignore` or
 * `columns.ignore in mlobs.yaml`, so an error names what the user actually wrote.
 */
export type Origins = Readonly<Record<string, string>>;

/** The setting at `path` as the user wrote it; the config path itself when nobody said (library callers). */
export function originOf(origins: Origins | undefined, path: string): string {
  return origins?.[path] ?? path;
}
