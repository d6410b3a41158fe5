// Types of preflight.mjs, for the unit test that imports it.
export interface SetupContext {
  env?: NodeJS.ProcessEnv;
  uid?: number | undefined;
  platform?: string;
  nodeVersion?: string;
}
export function setupProblem(command: string, context?: SetupContext): string | undefined;
export function preflight(command: string): void;
