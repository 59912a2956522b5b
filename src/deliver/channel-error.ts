/**
 * A delivery that failed, as every channel reports it: the reference's error code, whether trying
 * again can help (SMTP 4xx, Graph 5xx/429, network) or not (SMTP 5xx, Graph 4xx), and, when the
 * far side said so, how long to wait before the next attempt.
 */
export class DeliveryChannelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
