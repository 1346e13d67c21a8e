// The settings payload: only what the user set reaches the server.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Inspected, userSettings } from '../src/settingsPayload';

const defaults: Record<string, unknown> = {
  enable: true, select: [], ignore: [], severity: {}, ephemeral: false, unsafeFixes: false, placeholderNamespaces: [],
  extendPlaceholderNamespaces: [], 'hub.enabled': true, 'hub.liveDiagnostics': false, 'hub.timeout': 3,
};

function inspector(user: Record<string, Partial<Inspected>>) {
  return (key: string): Inspected => ({ defaultValue: defaults[key], ...(user[key] ?? {}) });
}

test('nothing set: nothing sent (defaults never override pyproject.toml)', () => {
  assert.deepEqual(userSettings(inspector({})), {});
});

test('a value set in any scope is sent, the most specific scope winning', () => {
  const sent = userSettings(inspector({
    ignore: { globalValue: ['HS108'], workspaceValue: ['HS402'] },
    select: { globalValue: [] }, // an explicit empty list is the user's choice
    'hub.timeout': { workspaceFolderValue: 5 },
  }));
  assert.deepEqual(sent, { ignore: ['HS402'], select: [], hub: { timeout: 5 } });
});

test('a value equal to the default but set by the user is still sent', () => {
  assert.deepEqual(userSettings(inspector({ enable: { globalValue: true } })), { enable: true });
});
