/**
 * Regenerates the workflow histories replayed by test/workflows/replay-histories.test.ts: starts a
 * throwaway local stack (as the test suite does), drives the real API and worker through every
 * trigger kind and control, and writes each workflow run's history (Temporal's JSON export) with
 * its workflow id to test/workflows/histories/<scenario>.<workflow>.json.
 *
 *   npm run histories:capture            # all scenarios
 *   npm run histories:capture -- scheduled catch-up
 *
 * Keep the histories of every released version: new files are added, old ones are kept, because
 * they stand for workflows still open in production. Rerun only to add a scenario or a version
 * (name its files after it: HISTORY_SUFFIX=v2 writes <scenario>.<workflow>.v2.json).
 */
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Client } from '@temporalio/client';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../../../scripts/stack/local-stack';
import type { ExecutionRecord } from '../../../src/sharing-tasks/execution-record';
import type { SharingTask } from '../../../src/sharing-tasks/schemas';
import { createTemporalClient } from '../../../src/temporal/connection';
import { createLogger } from '../../../src/logger';
import { TaskWorkflows } from '../../../src/temporal/task-workflows';
import { installTemporalRuntime } from '../../../src/worker/create-worker';
import { chartTaskRequest } from '../../support/fixtures';
import { eventually, startWorker, TestService } from '../../support/service';

const OUT_DIR = __dirname;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Scenario {
  name: string;
  /** Drives one task through the scenario; returns the task whose workflow runs are written. */
  run(context: ScenarioContext): Promise<SharingTask>;
  /** Also write the history of the task's first run workflow. */
  withRun?: boolean;
  /** Other workflows the scenario drove (fan-out, reconciler), written as <scenario>.<name>.json. */
  others?: (context: ScenarioContext) => Record<string, string>;
}

interface ScenarioContext {
  service: TestService;
  token: string;
  create(overrides: Record<string, unknown>): Promise<SharingTask>;
  executions(task: SharingTask): Promise<ExecutionRecord[]>;
  waitFor(task: SharingTask, what: string, done: (executions: ExecutionRecord[]) => boolean): Promise<void>;
  patch(task: SharingTask, operations: unknown[]): Promise<void>;
}

const everySeconds = (seconds: number) => ({ scheduleOptions: { timezone: 'UTC', recurrence: [`FREQ=SECONDLY;INTERVAL=${seconds}`] } });
const yearly = { scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=YEARLY'] } };
const ran = (count: number) => (executions: ExecutionRecord[]) => executions.filter((e) => e.endTime && e.status !== 'invalid').length >= count;

const SCENARIOS: Scenario[] = [
  {
    name: 'scheduled',
    withRun: true,
    async run({ create, waitFor }) {
      const task = await create(everySeconds(2));
      await waitFor(task, 'three scheduled runs', ran(3));
      return task;
    },
  },
  {
    name: 'creation',
    withRun: true,
    async run({ create, waitFor }) {
      const task = await create({ ...yearly, executeOnCreation: true });
      await waitFor(task, 'the creation run', ran(1));
      return task;
    },
  },
  {
    name: 'execute-now',
    async run({ create, waitFor, service, token }) {
      const task = await create(yearly);
      await service.request(token, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: task.id });
      await waitFor(task, 'the execute-now run', ran(1));
      await service.request(token, 'POST', '/api/v1/sharing-tasks/actions/execute', { sharingTaskID: task.id });
      await waitFor(task, 'the second execute-now run', ran(2));
      return task;
    },
  },
  {
    name: 'app-reload',
    // Newer code fans each reload out in a workflow of its own; older code signalled from the API.
    others: () => ({ 'fanout-r1': 'app-reload-tenant-history-app-sales-r1', 'fanout-r2': 'app-reload-tenant-history-app-sales-r2' }),
    async run({ create, waitFor, service, token }) {
      const task = await create({ ...yearly, trigger: { executeOnAppReload: true } });
      const reload = (reloadId: string) =>
        service.request(token, 'POST', '/api/v1/sharing-tasks/actions/app-reloaded', { appId: 'app-sales', reloadId, reloadTime: new Date().toISOString() });
      await reload('r1');
      await sleep(1_000);
      await reload('r2');
      await waitFor(task, 'the coalesced reload run', ran(1));
      return task;
    },
  },
  {
    name: 'pause-resume',
    async run({ create, waitFor, patch }) {
      const task = await create(everySeconds(2));
      await waitFor(task, 'a first run', ran(1));
      await patch(task, [{ op: 'replace', path: '/enabled', value: false }]);
      await sleep(4_000);
      await patch(task, [{ op: 'replace', path: '/enabled', value: true }]);
      await waitFor(task, 'a run after resuming', ran(2));
      return task;
    },
  },
  {
    name: 'patch',
    async run({ create, waitFor, patch }) {
      const task = await create(yearly);
      await patch(task, [{ op: 'replace', path: '/scheduleOptions', value: everySeconds(2).scheduleOptions }]);
      await waitFor(task, 'a run on the new schedule', ran(1));
      await patch(task, [{ op: 'replace', path: '/name', value: 'renamed' }]);
      await patch(task, [{ op: 'replace', path: '/scheduleOptions', value: yearly.scheduleOptions }]);
      await sleep(2_000);
      return task;
    },
  },
  {
    name: 'cancel',
    withRun: true,
    async run({ create, waitFor, service, token }) {
      const task = await create(everySeconds(2));
      await waitFor(task, 'a first run', ran(1));
      await service.request(token, 'POST', `/api/v1/sharing-tasks/${task.id}/actions/cancel`);
      await sleep(3_000);
      return task;
    },
  },
  {
    name: 'series-end',
    async run({ create, service }) {
      const start = new Date(Date.now() + 3_000).toISOString().slice(0, 19);
      const task = await create({ scheduleOptions: { timezone: 'UTC', recurrence: ['FREQ=SECONDLY;INTERVAL=2;COUNT=3'], startDateTime: start } });
      await eventually(
        async () => ((await service.stores.tasks.get(task.tenant, task.id))?.statusCode === 'COMPLETED' ? true : undefined),
        60_000,
        'the series to end',
      );
      return task;
    },
  },
  {
    name: 'catch-up',
    async run({ create, waitFor, service }) {
      const task = await create(everySeconds(2));
      await waitFor(task, 'a first run', ran(1));
      await service.worker!.stop();
      await sleep(7_000);
      service.worker = await startWorker(service.config);
      await waitFor(task, 'the catch-up run', (all) => all.some((e) => e.trigger === 'catch-up' && e.endTime));
      return task;
    },
  },
  {
    name: 'max-failures',
    async run({ create, waitFor, service }) {
      // Nobody to deliver to (an unknown user): every run fails with NO_RECIPIENTS.
      const task = await create({ ...everySeconds(2), recipients: { userIds: ['nobody'] } });
      await eventually(
        async () => ((await service.stores.tasks.get(task.tenant, task.id))?.statusCode === 'MAX_FAILURES_REACHED' ? true : undefined),
        60_000,
        'the system to disable the task',
      );
      await waitFor(task, 'the failed runs', ran(2));
      await sleep(2_000);
      return task;
    },
  },
  {
    name: 'reconciler',
    others: ({ service }) => ({ reconciler: `sharing-tasks-reconciler-${service.config.temporal.taskQueue}` }),
    async run({ create, service }) {
      // A task stored without its workflow, repaired by two rounds of the deployment's reconciler.
      const task = await create(yearly);
      const client = createTemporalClient(service.config.temporal);
      try {
        await client.workflow.getHandle(task.scheduleOptions!.chronosJobID!).terminate('lost, for the reconciler to repair');
        await new TaskWorkflows(client, service.config.temporal.taskQueue).ensureReconciler(1);
        await eventually(async () => ((await runsOf(client, task)).length >= 2 ? true : undefined), 30_000, 'the reconciler to start the task\'s workflow again');
        await sleep(3_000);
      } finally {
        await client.connection.close();
      }
      return task;
    },
  },
  {
    name: 'continue-as-new',
    async run({ create, service }) {
      const task = await create(everySeconds(1));
      const client = createTemporalClient(service.config.temporal);
      try {
        await eventually(async () => ((await runsOf(client, task)).length >= 2 ? true : undefined), 90_000, 'a continued-as-new run');
        await sleep(3_000);
      } finally {
        await client.connection.close();
      }
      return task;
    },
  },
];

async function runsOf(client: Client, task: SharingTask): Promise<string[]> {
  const runIds: string[] = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${task.scheduleOptions!.chronosJobID}'` })) runIds.push(execution.runId);
  return runIds;
}

async function writeHistories(client: Client, scenario: Scenario, task: SharingTask, suffix: string, others: Record<string, string>): Promise<string[]> {
  const workflowId = task.scheduleOptions!.chronosJobID!;
  const runIds = (await runsOf(client, task)).reverse();
  const written: string[] = [];
  const write = async (name: string, id: string, runId?: string) => {
    const history = await client.workflow.getHandle(id, runId).fetchHistory();
    const file = join(OUT_DIR, `${scenario.name}.${name}${suffix}.json`);
    // The workflow id is not in the history, and workflow code derives ids from it (child runs).
    writeFileSync(file, `${JSON.stringify({ workflowId: id, history: JSON.parse(historyToJSON(history)) })}\n`);
    written.push(file);
  };
  for (const [index, runId] of runIds.entries()) await write(runIds.length > 1 ? `task-${index + 1}` : 'task', workflowId, runId);
  for (const [name, id] of Object.entries(others)) {
    const runs: string[] = [];
    try {
      for await (const execution of client.workflow.list({ query: `WorkflowId = '${id}'` })) runs.push(execution.runId);
    } catch {
      // not there: older code had no such workflow
    }
    for (const [index, runId] of runs.reverse().entries()) await write(runs.length > 1 ? `${name}-${index + 1}` : name, id, runId);
  }
  if (scenario.withRun) {
    for await (const child of client.workflow.list({ query: `WorkflowType = 'sharingExecutionWorkflow' AND SharingTaskId = '${task.id}'` })) {
      await write('run', child.workflowId, child.runId);
      break;
    }
  }
  return written;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const suffix = process.env.HISTORY_SUFFIX ? `.${process.env.HISTORY_SUFFIX}` : '';
  installTemporalRuntime('warn', createLogger('temporal-sdk', 'warn'));
  const dataDir = mkdtempSync(join(tmpdir(), 'sharing-tasks-histories-'));
  const stack = await startLocalStack({ dataDir, reuse: false, log: 'file', temporalDynamicConfig: { 'limit.historyCount.suggestContinueAsNew': 120 } });
  Object.assign(process.env, {
    TEST_TEMPORAL_ADDRESS: stack.temporalAddress,
    TEST_MONGODB_URI: stack.mongoUri,
    TEST_SMTP_HOST: stack.smtp.host,
    TEST_SMTP_PORT: String(stack.smtp.port),
    TEST_INBOX_URL: stack.inboxUrl,
    TEST_LOG_FILE: join(dataDir, 'services.log'),
  });
  const service = await TestService.start({ MIN_SCHEDULE_INTERVAL_SECONDS: '1', MAX_CONSECUTIVE_FAILURES: '2' });
  const client = createTemporalClient(service.config.temporal);
  const token = service.token({ tenant: 'tenant-history', userId: 'historian', roles: ['TenantAdmin'] });
  const executions = async (task: SharingTask) =>
    (await service.stores.executions.list(task.tenant, task.id, { sortDirection: 1, limit: 500, offset: 0 })).executions;
  const context: ScenarioContext = {
    service,
    token,
    executions,
    async create(overrides) {
      const response = await service.request(token, 'POST', '/api/v1/sharing-tasks', chartTaskRequest(overrides));
      if (response.status !== 201) throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`);
      return response.body as SharingTask;
    },
    async waitFor(task, what, done) {
      await eventually(async () => (done(await executions(task)) ? true : undefined), 60_000, what);
    },
    async patch(task, operations) {
      const response = await service.request(token, 'PATCH', `/api/v1/sharing-tasks/${task.id}`, operations);
      if (response.status !== 204) throw new Error(`PATCH answered ${response.status}: ${JSON.stringify(response.body)}`);
    },
  };
  try {
    let failed = 0;
    for (const scenario of SCENARIOS.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
      try {
        const task = await scenario.run(context);
        const others = scenario.others?.(context) ?? {};
        for (const file of await writeHistories(client, scenario, task, suffix, others)) console.log(`wrote ${file}`);
      } catch (error) {
        failed++;
        console.error(`${scenario.name}: ${(error as Error).message}`);
      }
    }
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await client.connection.close();
    await service.stop();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
