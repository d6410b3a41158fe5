// Setup file of both vitest configs: one turn of the event loop after every test. A test that drives the
// agent through spawnSync holds the worker's event loop, and vitest awaits a synchronous test without
// turning the loop, so a file of such tests can run for minutes without the worker reading vitest's
// answers; its report calls time out after 60 s ("[vitest-worker]: Timeout calling "onTaskUpdate"") and
// the run fails with every test passed. Seen in a fresh-root run where test/integration/10-lxc-agent took
// 66.8 s; reproduced with 13 synchronous 5 s tests (the error without this file, none with it).
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
