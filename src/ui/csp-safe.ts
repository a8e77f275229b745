import { z } from 'zod';

/**
 * Imported first by main.tsx, before any module that validates a scenario: zod would otherwise
 * probe `new Function` for its fast path, which the CSP (no 'unsafe-eval') reports as a
 * violation even though zod catches the error.
 */
z.config({ jitless: true });
