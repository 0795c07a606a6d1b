/**
 * Zod compiles fast parsers with `Function(…)` when it may. The CSP (lib/http/csp.ts) forbids that, so
 * its probe would only be blocked and reported as a violation before Zod falls back: skip the probe.
 * Imported first by the board screen, before anything parses.
 */
import { z } from 'zod';

z.config({ jitless: true });
