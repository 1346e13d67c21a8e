// The Python extension's active interpreter, when that extension is installed.
// It is optional (no extensionDependencies): without it we return undefined.
import * as vscode from 'vscode';

const PYTHON_EXTENSION_ID = 'ms-python.python';

// The slice of the Python extension's public API that we use.
interface PythonApi {
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { path: string };
    resolveEnvironment(env: { path: string }): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
  };
}

async function pythonApi(): Promise<PythonApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonApi>(PYTHON_EXTENSION_ID);
  if (!extension) return undefined;
  return extension.isActive ? extension.exports : extension.activate();
}

export async function activeInterpreter(resource?: vscode.Uri): Promise<string[] | undefined> {
  const environments = (await pythonApi())?.environments;
  if (!environments) return undefined;
  const env = await environments.resolveEnvironment(environments.getActiveEnvironmentPath(resource));
  const executable = env?.executable.uri?.fsPath;
  return executable ? [executable] : undefined;
}

/** Calls `listener` when the user picks another interpreter in the Python extension. */
export async function onActiveInterpreterChanged(listener: () => void): Promise<vscode.Disposable | undefined> {
  const environments = (await pythonApi())?.environments;
  return environments?.onDidChangeActiveEnvironmentPath(() => listener());
}
