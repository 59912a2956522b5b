import { trace } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry } from 'prom-client';
import { endpointRegistry } from '../../metrics/registry';
import { routeTemplate } from '../route-template';

export interface RequestMetrics {
  /** Times every request by method, route template and status; names its trace span after the route. */
  middleware(req: Request, res: Response, next: NextFunction): void;
  /** What the API's /metrics shows: these and the process's metrics. */
  registry: Registry;
}

export function requestMetrics(): RequestMetrics {
  const own = new Registry();
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'API requests from arrival to the last byte of the response, by method, route template and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [own],
  });
  return {
    registry: endpointRegistry(own),
    middleware(req, res, next) {
      const end = duration.startTimer();
      const span = trace.getActiveSpan(); // the HTTP server span, when tracing is on
      let route: string | undefined;
      // Named when the headers go out: the route is known by then, and the server span still open.
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
      res.writeHead = ((...args: unknown[]) => {
        route = routeTemplate(req);
        span?.setAttribute('http.route', route);
        span?.updateName(`${req.method} ${route}`);
        return writeHead(...args);
      }) as Response['writeHead'];
      res.once('finish', () => end({ method: req.method, route: route ?? routeTemplate(req), status: String(res.statusCode) }));
      next();
    },
  };
}
