// hubsave for VS Code: runs the hubsave language server and wires its commands,
// settings and status bar item.
import * as vscode from 'vscode';
import { LanguageClient, State } from 'vscode-languageclient/node';
import { describeHubLogin, fetchHubLogin } from './hubLogin';
import { onActiveInterpreterChanged } from './pythonExtension';
import { RESTART_SETTINGS, interpreterSetting } from './settings';
import { startServer } from './server';
import { StatusBar } from './statusBar';

let client: LanguageClient | undefined;
// Set the moment a restart is decided, before the old client hears of the change.
let restartPending = false;
// Start and stop run one at a time, in order, however fast the user clicks.
let lifecycle: Promise<void> = Promise.resolve();

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('hubsave', { log: true });
  const status = new StatusBar();
  context.subscriptions.push(output, status);

  const stop = async (): Promise<void> => {
    const old = client;
    client = undefined;
    if (old) await old.dispose().catch((e) => output.warn(`stopping the server: ${e}`));
  };

  const start = async (): Promise<void> => {
    restartPending = false;
    status.setRestricted(!vscode.workspace.isTrusted);
    status.setState('starting');
    try {
      const result = await startServer(context, output, (state) => {
        if (state === State.Stopped) status.setState('stopped');
      }, () => !restartPending);
      if ('problem' in result) {
        // One notification per start attempt, and no server to crash-loop.
        status.setState('no-python', result.interpreter.command.join(' '));
        output.error(result.problem);
        void vscode.window.showErrorMessage(result.problem, 'Open Settings', 'Show Output').then((choice) => {
          if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'hubsave.interpreter');
          if (choice === 'Show Output') output.show();
        });
        return;
      }
      client = result.client;
      status.setState('running', `${result.interpreter.command.join(' ')} (${result.version})`);
      void refreshLogin();
    } catch (e) {
      status.setState('stopped');
      output.error(`the hubsave server did not start: ${e}`);
      void vscode.window.showErrorMessage('hubsave: the server did not start. See "hubsave: Show Output".');
    }
  };

  const refreshLogin = async (): Promise<void> => {
    const current = client;
    if (!current) return;
    try {
      status.setLogin(await fetchHubLogin(current));
    } catch (e) {
      output.warn(`hubsave/hubLogin failed: ${e}`);
    }
  };

  const restart = (): Promise<void> => {
    restartPending = true;
    return (lifecycle = lifecycle.then(stop).then(start));
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('hubsave.restart', restart),
    vscode.commands.registerCommand('hubsave.showOutput', () => output.show()),
    vscode.commands.registerCommand('hubsave.showHubLogin', async () => {
      if (!client) {
        void vscode.window.showWarningMessage('hubsave: the server is not running. See "hubsave: Show Output".');
        return;
      }
      try {
        const login = await fetchHubLogin(client);
        status.setLogin(login);
        void vscode.window.showInformationMessage(describeHubLogin(login));
      } catch (e) {
        void vscode.window.showErrorMessage(`hubsave: could not get the Hub login: ${e}`);
      }
    }),
    // Trusting the workspace lifts Restricted Mode: its settings and environment now count.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void watchPython();
      void restart();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (RESTART_SETTINGS.some((s) => e.affectsConfiguration(s))) void restart();
    }),
    { dispose: () => void stop() },
  );

  // Follow the Python extension's choice; not in an untrusted workspace (it is not used there).
  async function watchPython(): Promise<void> {
    const watch = await onActiveInterpreterChanged(() => {
      if (interpreterSetting().length === 0) void restart();
    }).catch(() => undefined);
    if (watch) context.subscriptions.push(watch);
  }
  if (vscode.workspace.isTrusted) await watchPython();

  await (lifecycle = lifecycle.then(start));
}

export function deactivate(): Promise<void> | undefined {
  return client?.stop();
}
