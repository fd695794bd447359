import type { Route } from './router.js';
import { authRoutes } from './routes-auth.js';
import { contentRoutes } from './routes-content.js';
import { cookieRoutes } from './routes-cookies.js';
import { echoRoutes } from './routes-echo.js';
import { encodingRoutes } from './routes-encoding.js';
import { redirectRoutes } from './routes-redirects.js';
import { statusRoutes } from './routes-status.js';
import { streamRoutes } from './routes-streams.js';

/** Every endpoint of the test server. Paths do not overlap, so the order only matters for reading. */
export const routes: readonly Route[] = [
  ...echoRoutes,
  ...cookieRoutes,
  ...redirectRoutes,
  ...statusRoutes,
  ...authRoutes,
  ...streamRoutes,
  ...encodingRoutes,
  ...contentRoutes,
];
