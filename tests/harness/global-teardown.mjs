// See global-setup.mjs. Node caches modules, so this imports the very module the setup used.
import { register } from 'tsx/esm/api';

register();
const { teardownTestRun } = await import('./test-run.ts');

export default teardownTestRun;
