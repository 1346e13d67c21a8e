// Status bar item: server state and Hub login name (never the token).
import * as vscode from 'vscode';
import type { HubLogin } from './hubLogin';

export type ServerState = 'starting' | 'running' | 'stopped' | 'no-python';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('hubsave.status', vscode.StatusBarAlignment.Right, 100);
  private state: ServerState = 'starting';
  private login: HubLogin | undefined;
  private python = '';
  private restricted = false;

  constructor() {
    this.item.name = 'hubsave';
    this.render();
    this.item.show();
  }

  setState(state: ServerState, python?: string): void {
    this.state = state;
    if (python !== undefined) this.python = python;
    if (state !== 'running') this.login = undefined;
    this.render();
  }

  /** Untrusted workspace: bundled server, no environment lookups, until the user trusts it. */
  setRestricted(restricted: boolean): void {
    this.restricted = restricted;
    this.render();
  }

  setLogin(login: HubLogin | undefined): void {
    this.login = login;
    this.render();
  }

  private render(): void {
    const icon = { starting: '$(loading~spin)', running: '$(check)', stopped: '$(error)', 'no-python': '$(warning)' }[this.state];
    const who = this.state === 'running' && this.login
      ? (this.login.loggedIn && this.login.name ? this.login.name : 'not logged in')
      : undefined;
    this.item.text = `${icon} hubsave` + (this.restricted ? ' (Restricted Mode)' : '') + (who ? `: ${who}` : '');
    const lines = [`hubsave server: ${this.state}`];
    if (this.restricted) {
      lines.push('Restricted Mode: this workspace is not trusted. The bundled server runs, the workspace cannot '
        + 'choose its Python, and HS109 uses the bundled schema (no environment lookups). Trust the workspace for all features.');
    }
    if (this.python) lines.push(`Python: ${this.python}`);
    if (this.login) lines.push(this.login.loggedIn ? `Hub: ${this.login.name} on ${this.login.endpoint}` : `Hub: not logged in (${this.login.endpoint})`);
    this.item.tooltip = lines.join('\n');
    this.item.command = this.state === 'running' ? 'hubsave.showHubLogin' : 'hubsave.showOutput';
    this.item.backgroundColor = this.state === 'stopped' || this.state === 'no-python'
      ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
