/** The api process's first import: tracing, when configured, starts before http and mongodb are loaded (so they can be instrumented). */
import { traceProcess } from './instrument';

traceProcess('sharing-tasks-api');
