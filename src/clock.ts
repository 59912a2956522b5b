/** The one source of "now" for services, so tests can pin it. Workflows use the workflow clock instead. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
