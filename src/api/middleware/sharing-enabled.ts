import type { NextFunction, Request, Response } from 'express';
import { errors } from '../../errors';
import type { SettingsService } from '../../sharing-tasks/settings-service';
import { callerOf } from './authenticate';

/** With `enable-sharing` off, a tenant's task endpoints answer 403; its settings stay reachable. */
export function requireSharingEnabled(settings: SettingsService) {
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    if (req.path === '/sharing-tasks/settings') return next();
    const current = await settings.get(callerOf(req).tenant);
    next(current['enable-sharing'] ? undefined : errors.forbidden('sharing is disabled for this tenant (settings: enable-sharing is false)'));
  };
}
