import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * helmet's headers with a policy for a JSON API: nothing served here is meant to run as a page,
 * so the CSP allows nothing (`default-src 'none'`), no site may frame a response, and nothing is
 * kept by a browser or a shared cache (`Cache-Control: no-store`; report files included: they are
 * a tenant's data behind a token). The docs page loosens the CSP for itself (docsContentSecurityPolicy).
 */
export function securityHeaders(): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] },
    },
    xFrameOptions: { action: 'deny' },
  });
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    headers(req, res, next);
  };
}

/**
 * Swagger UI, served from this origin: its script, styles and the document are same-origin, its
 * icons are data: URIs in the stylesheet, and it sets inline styles from its script (allowed by
 * `style-src 'self'` only for CSSOM, so React's style props work without 'unsafe-inline').
 */
export function docsContentSecurityPolicy(): RequestHandler {
  return helmet.contentSecurityPolicy({
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
  });
}
