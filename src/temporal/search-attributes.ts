import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';

/**
 * Custom search attributes set on every workflow of the service so the Temporal UI can
 * filter runs by task, tenant, owner, type and app. The dev stack registers exactly these.
 */
export const SEARCH_ATTRIBUTES = {
  taskId: defineSearchAttributeKey('SharingTaskId', SearchAttributeType.KEYWORD),
  tenant: defineSearchAttributeKey('SharingTenant', SearchAttributeType.KEYWORD),
  owner: defineSearchAttributeKey('SharingOwner', SearchAttributeType.KEYWORD),
  taskType: defineSearchAttributeKey('SharingTaskType', SearchAttributeType.KEYWORD),
  appId: defineSearchAttributeKey('SharingAppId', SearchAttributeType.KEYWORD),
} as const;

export const SEARCH_ATTRIBUTE_NAMES: readonly string[] = Object.values(SEARCH_ATTRIBUTES).map((key) => key.name);

export interface TaskSearchAttributes {
  taskId: string;
  tenant: string;
  owner: string;
  taskType: string;
  appId?: string;
}

export function taskSearchAttributes(task: TaskSearchAttributes): TypedSearchAttributes {
  const pairs = (Object.keys(SEARCH_ATTRIBUTES) as (keyof typeof SEARCH_ATTRIBUTES)[])
    .filter((field) => task[field] !== undefined && task[field] !== '')
    .map((field) => ({ key: SEARCH_ATTRIBUTES[field], value: task[field] as string }));
  return new TypedSearchAttributes(pairs);
}
