import type { Request } from 'express';

/** The label of a request no route matched (404s, and requests refused before routing: 401, 413, 429 …). */
export const UNMATCHED_ROUTE = '(unmatched)';

function matchesTail(pathSegments: string[], templateSegments: string[]): boolean {
  if (templateSegments.length > pathSegments.length) return false;
  const tail = pathSegments.slice(pathSegments.length - templateSegments.length);
  return templateSegments.every((segment, index) => (segment.startsWith(':') ? tail[index] !== '' : segment === tail[index]));
}

/**
 * The route a request matched, as its template with the path it is mounted under
 * (`/api/v1/sharing-tasks/:taskId`), never the raw path: ids would make a time series per task.
 * Express's `req.baseUrl` is gone once an error left the router, so the mount is read from the
 * request's own path, segment by segment (mounts here are literal paths, routes have only
 * `:param` segments; a template with other pattern syntax is labelled as written).
 */
export function routeTemplate(req: Pick<Request, 'originalUrl' | 'route'>): string {
  const routePath: unknown = req.route?.path;
  const templates = (Array.isArray(routePath) ? routePath : [routePath]).filter((t): t is string => typeof t === 'string');
  if (templates.length === 0) return UNMATCHED_ROUTE;
  const path = req.originalUrl.split('?')[0]!.replace(/(.)\/+$/, '$1');
  const pathSegments = path.split('/').slice(1);
  for (const template of templates) {
    const templateSegments = template.split('/').slice(1);
    if (/[*{}()]/.test(template) || template === '/') continue;
    if (matchesTail(pathSegments, templateSegments)) {
      const mount = pathSegments.slice(0, pathSegments.length - templateSegments.length);
      return `/${[...mount, ...templateSegments].join('/')}`;
    }
  }
  return templates[0]!;
}
