// Preloaded with `node --import` by test/e2e/startup-modules.test.ts: records the URL of every module
// the process loads (ESM import and CommonJS require alike) and writes the list, one per line, to the
// file named by CAMPFIRE_TRACE_MODULES when the process exits.
import { writeFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const urls = [];
registerHooks({
  load(url, context, nextLoad) {
    urls.push(url);
    return nextLoad(url, context);
  },
});
process.on('exit', () => writeFileSync(process.env.CAMPFIRE_TRACE_MODULES, `${urls.join('\n')}\n`));
