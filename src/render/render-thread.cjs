// The file a render thread starts from. Threads do not inherit the TypeScript loader the process
// was started with (tsx, or mocha's --require tsx/cjs), so this plain script registers it first.
require('tsx/cjs');
module.exports = require('./render-thread.ts');
