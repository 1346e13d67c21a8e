// The custom request `hubsave/hubLogin`: who the server's huggingface_hub login is.
// The server never sends the token, only the account facts below.
import { LanguageClient, RequestType } from 'vscode-languageclient/node';

export interface HubLogin {
  loggedIn: boolean;
  name: string | null;
  orgs: { name: string; role?: string | null }[];
  endpoint: string;
  error: string | null;
}

export const hubLoginRequest = new RequestType<Record<string, never>, HubLogin, void>('hubsave/hubLogin');

export function fetchHubLogin(client: LanguageClient): Promise<HubLogin> {
  // Send `params: {}`: pygls 2.1 rejects a custom request without params (Internal Error).
  return client.sendRequest(hubLoginRequest, {});
}

/** One line for a notification. */
export function describeHubLogin(login: HubLogin): string {
  if (login.error) return `hubsave: could not ask ${login.endpoint} who you are: ${login.error}`;
  if (!login.loggedIn || !login.name) {
    return `hubsave: not logged in to ${login.endpoint}. Run "hf auth login" (or set HF_TOKEN) so jobs and pushes can use your account.`;
  }
  const orgs = login.orgs.map((o) => (o.role ? `${o.name} (${o.role})` : o.name));
  return `hubsave: logged in to ${login.endpoint} as ${login.name}` + (orgs.length ? `; orgs: ${orgs.join(', ')}` : '') + '.';
}
