import { Router } from 'express';
import type { SettingsService } from '../../sharing-tasks/settings-service';
import {
  SettingsPatchSchema,
  SettingsPutSchema,
} from '../../sharing-tasks/schemas';
import { callerOf } from '../middleware/authenticate';
import { resource } from '../resource';
import { parseInput } from '../validate';

/** Tenant settings: readable by every user of the tenant, writable by TenantAdmin. */
export function settingsRoutes({ settings }: { settings: SettingsService }): Router {
  const router = Router();
  resource(router, '/sharing-tasks/settings', {
    get: async (req, res) => {
      res.json(await settings.get(callerOf(req).tenant));
    },
    patch: async (req, res) => {
      await settings.patch(callerOf(req), parseInput(SettingsPatchSchema, req.body));
      res.status(204).end();
    },
    put: async (req, res) => {
      await settings.put(callerOf(req), parseInput(SettingsPutSchema, req.body));
      res.status(204).end();
    },
  });
  return router;
}
