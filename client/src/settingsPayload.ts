// The settings the server gets: only what the user set. A setting left at its default
// is absent, so the server's own layers decide (built-in, then pyproject.toml); an
// empty list sent for an unset `select` would override the project's. Pure (no
// `vscode` import): unit-tested under node, and run by the cross-client test with the
// defaults from package.json.

/** What `WorkspaceConfiguration.inspect(key)` returns (the parts read here). */
export interface Inspected {
  defaultValue?: unknown;
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
  globalLanguageValue?: unknown;
  workspaceLanguageValue?: unknown;
  workspaceFolderLanguageValue?: unknown;
}

export type Inspect = (key: string) => Inspected | undefined;

/** The `hubsave.*` settings the server reads (dotted: nested objects). */
export const SERVER_KEYS = [
  'enable',
  'select',
  'ignore',
  'severity',
  'ephemeral',
  'unsafeFixes',
  'placeholderNamespaces',
  'extendPlaceholderNamespaces',
  'hub.enabled',
  'hub.liveDiagnostics',
  'hub.timeout',
] as const;

/** The value the user set, most specific scope first; undefined when only the default applies. */
export function userValue(inspected: Inspected | undefined): unknown {
  if (!inspected) return undefined;
  return [
    inspected.workspaceFolderLanguageValue,
    inspected.workspaceLanguageValue,
    inspected.globalLanguageValue,
    inspected.workspaceFolderValue,
    inspected.workspaceValue,
    inspected.globalValue,
  ].find((value) => value !== undefined);
}

/** `{select: [...], hub: {timeout: 5}}` with only the keys the user set. */
export function userSettings(inspect: Inspect): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const key of SERVER_KEYS) {
    const value = userValue(inspect(key));
    if (value === undefined) continue;
    const parts = key.split('.');
    let target = settings;
    for (const part of parts.slice(0, -1)) {
      target = (target[part] ??= {}) as Record<string, unknown>;
    }
    target[parts[parts.length - 1]] = value;
  }
  return settings;
}
