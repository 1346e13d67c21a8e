// Starting one hubsave language server: pick and check Python, then run the launcher.
import * as os from 'node:os';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification, LanguageClient, LanguageClientOptions, ServerOptions, State, TransportKind,
} from 'vscode-languageclient/node';
import { Interpreter, checkPython, problemMessage, selectInterpreter } from './interpreter';
import { activeInterpreter } from './pythonExtension';
import { importStrategy, interpreterSetting, serverSettings } from './settings';

// Python files on disk and unsaved, and Python cells of any notebook.
export const DOCUMENT_SELECTOR = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  { scheme: 'vscode-notebook-cell', language: 'python' },
  { notebook: '*', language: 'python' },
  // Jobs written as command lines (hubsave.kinds on the server): only documents that
  // mention a job cost the server anything.
  { scheme: 'file', language: 'shellscript' },
  { scheme: 'file', language: 'makefile' },
  { scheme: 'file', language: 'markdown' },
  { scheme: 'file', language: 'github-actions-workflow' },
  { scheme: 'file', language: 'yaml', pattern: '**/.github/workflows/*.{yml,yaml}' },
];

export type StartResult =
  | { client: LanguageClient; interpreter: Interpreter; version: string }
  | { problem: string; interpreter: Interpreter };

export async function resolveInterpreter(): Promise<Interpreter> {
  const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
  const setting = interpreterSetting(resource);
  const trusted = vscode.workspace.isTrusted;
  return selectInterpreter({
    setting,
    // Only ask the Python extension when the setting is empty (activating it costs time),
    // and never in an untrusted workspace (no environment lookups there).
    pythonExtension: setting.length === 0 && trusted ? await activeInterpreter(resource).catch(() => undefined) : undefined,
    vars: { workspaceFolder: resource?.fsPath, userHome: os.homedir(), env: process.env },
    platform: process.platform,
    trusted,
  });
}

export async function startServer(
  context: vscode.ExtensionContext,
  output: vscode.LogOutputChannel,
  onState: (state: State) => void,
  // False while this server is about to be replaced: a configuration push to a stopping
  // client would fail with a second, confusing notification.
  isCurrent: () => boolean,
): Promise<StartResult> {
  const interpreter = await resolveInterpreter();
  const check = await checkPython(interpreter.command);
  if (!check.ok) return { problem: problemMessage(interpreter, check), interpreter };

  // Restricted Mode (untrusted workspace): the bundled server, and the server is told to
  // do no environment lookups (docs/security.md).
  const trusted = vscode.workspace.isTrusted;
  const strategy = trusted ? importStrategy(vscode.workspace.workspaceFolders?.[0]?.uri) : 'useBundled';
  const launcher = context.asAbsolutePath('bundled/tool/launch.py');
  output.info(`Python ${check.version}: ${interpreter.command.join(' ')} (${interpreter.source}); importStrategy ${strategy}`
    + (trusted ? '' : '; Restricted Mode: untrusted workspace, no environment lookups'));

  const serverOptions: ServerOptions = {
    command: interpreter.command[0],
    args: [...interpreter.command.slice(1), launcher],
    transport: TransportKind.stdio,
    options: { env: { ...process.env, HUBSAVE_IMPORT_STRATEGY: strategy, PYTHONUNBUFFERED: '1' } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    initializationOptions: { settings: serverSettings(), workspaceTrusted: trusted },
    synchronize: { configurationSection: 'hubsave' },
    middleware: {
      workspace: {
        // Both answer with the settings the user set, never the defaults (settingsPayload.ts).
        configuration: (params) =>
          params.items.map((item) =>
            item.section === 'hubsave' ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined) : null,
          ),
        didChangeConfiguration: () =>
          isCurrent()
            ? client.sendNotification(DidChangeConfigurationNotification.type, { settings: { hubsave: serverSettings() } })
            : Promise.resolve(),
      },
    },
  };
  const client = new LanguageClient('hubsave', 'hubsave', serverOptions, clientOptions);
  client.onDidChangeState((e) => onState(e.newState));
  await client.start();
  return { client, interpreter, version: check.version };
}
