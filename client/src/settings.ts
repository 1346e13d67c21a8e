// The "hubsave" settings as the server expects them (initializationOptions and
// the workspace/configuration section), plus the VS Code-only ones.
import * as vscode from 'vscode';

export interface ServerSettings {
  enable: boolean;
  select: string[];
  ignore: string[];
  severity: Record<string, string>;
  ephemeral: boolean;
  unsafeFixes: boolean;
  placeholderNamespaces: string[];
  hub: { enabled: boolean; liveDiagnostics: boolean; timeout: number };
  trace: { server: string };
}

export type ImportStrategy = 'useBundled' | 'fromEnvironment';

export function serverSettings(scope?: vscode.ConfigurationScope): ServerSettings {
  const c = vscode.workspace.getConfiguration('hubsave', scope);
  return {
    enable: c.get('enable', true),
    select: c.get('select', []),
    ignore: c.get('ignore', []),
    severity: c.get('severity', {}),
    ephemeral: c.get('ephemeral', false),
    unsafeFixes: c.get('unsafeFixes', false),
    placeholderNamespaces: c.get('placeholderNamespaces', []),
    hub: {
      enabled: c.get('hub.enabled', true),
      liveDiagnostics: c.get('hub.liveDiagnostics', false),
      timeout: c.get('hub.timeout', 3),
    },
    trace: { server: c.get('trace.server', 'off') },
  };
}

export function interpreterSetting(scope?: vscode.ConfigurationScope): string[] {
  return vscode.workspace.getConfiguration('hubsave', scope).get<string[]>('interpreter', []);
}

export function importStrategy(scope?: vscode.ConfigurationScope): ImportStrategy {
  return vscode.workspace.getConfiguration('hubsave', scope).get<ImportStrategy>('importStrategy', 'useBundled');
}

/** Settings whose change needs a new server process, not just a configuration push. */
export const RESTART_SETTINGS = ['hubsave.interpreter', 'hubsave.importStrategy'];
