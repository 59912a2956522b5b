import type { RequestHandler, Router } from 'express';
import { errors } from '../errors';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Registers a path's handlers; any other method on that path is a 405 naming the allowed ones. */
export function resource(router: Router, path: string, handlers: Partial<Record<Method, RequestHandler>>): void {
  const route = router.route(path);
  const allowed = Object.keys(handlers).map((method) => method.toUpperCase());
  for (const [method, handler] of Object.entries(handlers) as [Method, RequestHandler][]) route[method](handler);
  route.all((req, res, next) => {
    res.setHeader('Allow', allowed.join(', '));
    next(errors.methodNotAllowed(req.method, allowed));
  });
}
