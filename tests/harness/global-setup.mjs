// Jest loads its global hooks outside its own module system, where Node cannot import
// TypeScript; tsx's loader, registered here, lets the hooks be written in TypeScript.
import { register } from 'tsx/esm/api';

register();
const { setupTestRun } = await import('./test-run.ts');

export default setupTestRun;
