import type { Clock } from '../clock';
import { inParallel } from '../in-parallel';
import type { Stores } from '../store';
import type { TaskWorkflows } from '../temporal/task-workflows';
import { FANOUT_CONCURRENCY, FANOUT_PAGE_SIZE } from './app-reload-fanout';
import {
  FEATURE_STATUS_FIELDS,
  featureOf,
  typesGovernedBy,
  type FeatureToggleIntent,
  type FeatureTogglePage,
  type FeatureToggleTarget,
} from './feature-toggles';
import type { OrderedTaskChanges } from './ordered-change';
import type { Settings, SharingTask } from './schemas';

/**
 * A tenant's feature toggle carried to the tasks it governs (feature-toggles.ts), one page per
 * call (the toggle workflow's activity), at most FANOUT_CONCURRENCY tasks at a time. Each task
 * changes by the one path every change takes (OrderedTaskChanges: a new revision, `taskUpdated`
 * with the feature folded into `enabled`), so its workflow pauses or resumes it as for PATCH
 * /enabled, and the reconciler repairs a signal that got lost.
 */
export class FeatureToggleFanout {
  constructor(
    private readonly stores: Stores,
    private readonly changes: OrderedTaskChanges,
    private readonly workflows: TaskWorkflows,
    private readonly clock: Clock,
  ) {}

  /** The toggle the settings hold now: what the workflow started for it applies. */
  async intent({ tenant, feature }: FeatureToggleTarget): Promise<FeatureToggleIntent> {
    const stored = await this.stores.settings.toggleOf(tenant, feature);
    return { enabled: stored?.enabled ?? true, ...(stored?.toggleId ? { toggleId: stored.toggleId } : {}) };
  }

  async applyPage(target: FeatureToggleTarget, intent: FeatureToggleIntent, afterId: string | undefined, limit = FANOUT_PAGE_SIZE): Promise<FeatureTogglePage> {
    const page = await this.stores.tasks.listOfTypesAfter(target.tenant, typesGovernedBy(target.feature), afterId, limit);
    const paused = !intent.enabled;
    const due = page.filter((task) => task.statusCode !== 'DELETING' && Boolean(task.pausedByFeature) !== paused);
    let changed = 0;
    let superseded = false;
    const apply = async (task: SharingTask) => {
      const outcome = await this.applyTo(target, intent, task);
      if (outcome === 'superseded') superseded = true;
      else if (outcome === 'changed') changed++;
    };
    await inParallel(due, FANOUT_CONCURRENCY, apply, () => superseded);
    if (superseded) return { seen: page.length, changed, superseded };
    return {
      seen: page.length,
      changed,
      ...(page.length < limit ? {} : { nextAfterId: page[page.length - 1]!.id }),
    };
  }

  /**
   * The reconciler's repair of a task whose pause disagrees with its feature while no toggle of
   * that feature is under way (a create that read the settings just before a toggle and was stored
   * after its fan-out passed; a toggle's activity that ran on after a newer toggle): brought in
   * line as the toggle would. Whether it was changed.
   */
  async align(task: SharingTask, settings: Settings): Promise<boolean> {
    const feature = featureOf(task.type);
    if (task.statusCode === 'DELETING' || settings[FEATURE_STATUS_FIELDS[feature].status] !== 'none') return false;
    if (Boolean(task.pausedByFeature) === !settings[feature]) return false;
    const target = { tenant: task.tenant, feature };
    return (await this.applyTo(target, await this.intent(target), task)) === 'changed';
  }

  /**
   * Pauses or resumes one task, re-read at each attempt. A toggle that is no longer the latest
   * (a newer one terminated its workflow, but this activity still ran) changes no more tasks: the
   * newer toggle's workflow goes through them all.
   */
  private async applyTo(target: FeatureToggleTarget, intent: FeatureToggleIntent, listed: SharingTask): Promise<'changed' | 'unchanged' | 'superseded'> {
    const paused = !intent.enabled;
    let superseded = false;
    const changed = await this.changes.make(async () => {
      if ((await this.stores.settings.toggleOf(target.tenant, target.feature))?.toggleId !== intent.toggleId) {
        superseded = true;
        return undefined;
      }
      const task = await this.stores.tasks.get(listed.tenant, listed.id);
      if (!task || task.statusCode === 'DELETING' || Boolean(task.pausedByFeature) === paused) return undefined;
      return {
        task,
        set: paused ? { pausedByFeature: true } : {},
        unset: paused ? [] : ['pausedByFeature'],
        tell: (updated) => this.workflows.taskUpdated(updated),
      };
    });
    return superseded ? 'superseded' : changed ? 'changed' : 'unchanged';
  }

  /** The feature's status back to `none`, if this toggle is still the latest; whether it was. */
  finish({ tenant, feature }: FeatureToggleTarget, intent: FeatureToggleIntent): Promise<boolean> {
    const { status, changeTime } = FEATURE_STATUS_FIELDS[feature];
    const set = { [status]: 'none', [changeTime]: this.clock.now().toISOString() } as Partial<Settings>;
    return this.stores.settings.updateIfLatestToggle(tenant, feature, intent.toggleId, set);
  }
}
