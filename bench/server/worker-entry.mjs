// Worker threads don't inherit tsx's loader on Node 20 (even with execArgv --import tsx), so each
// thread registers it before importing the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
