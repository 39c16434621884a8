/**
 * Whole numbers from query strings and path parameters. `z.coerce.number()` reads with
 * `Number()`, which takes `0x10` as 16, `1e3` as 1000 and an empty string as 0: a request that
 * looks like it asked for one thing gets another. Here only decimal digits become a number;
 * anything else stays text, so the number schema refuses it with its own message.
 */
import { z } from 'zod';

const DECIMAL_DIGITS = /^\d{1,15}$/;

export function decimal<T extends z.ZodType>(numberSchema: T) {
  return z.preprocess(
    (value) => (typeof value === 'string' && DECIMAL_DIGITS.test(value) ? Number(value) : value),
    numberSchema,
  );
}
