// The "hubsave" settings as the server expects them (initializationOptions and
// the workspace/configuration section), plus the VS Code-only ones.
import * as vscode from 'vscode';
import { userSettings } from './settingsPayload';

export type ImportStrategy = 'useBundled' | 'fromEnvironment';

/** The server's settings (initializationOptions, the `hubsave` configuration section):
 * only those the user set, so unset ones leave pyproject.toml and the built-in defaults in force. */
export function serverSettings(scope?: vscode.ConfigurationScope): Record<string, unknown> {
  const c = vscode.workspace.getConfiguration('hubsave', scope);
  return userSettings((key) => c.inspect(key));
}

export function interpreterSetting(scope?: vscode.ConfigurationScope): string[] {
  return vscode.workspace.getConfiguration('hubsave', scope).get<string[]>('interpreter', []);
}

export function importStrategy(scope?: vscode.ConfigurationScope): ImportStrategy {
  return vscode.workspace.getConfiguration('hubsave', scope).get<ImportStrategy>('importStrategy', 'useBundled');
}

/** Settings whose change needs a new server process, not just a configuration push. */
export const RESTART_SETTINGS = ['hubsave.interpreter', 'hubsave.importStrategy'];
