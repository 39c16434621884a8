/** The comment contract both ends check: the length cap, the per-alert cap, the page query. */
import { describe, expect, it } from 'vitest';
import {
  alertCommentPageQuerySchema,
  commentCommandSchema,
  DEFAULT_COMMENT_PAGE_LIMIT,
  MAX_COMMENT_LENGTH,
  MAX_COMMENTS_PER_ALERT,
} from '../../../shared/alerts';

describe('comment command', () => {
  it('takes text up to the cap, trimmed, and refuses longer with the limit named', () => {
    expect(commentCommandSchema.parse({ text: '  메모  ' })).toEqual({ text: '메모' });
    expect(commentCommandSchema.safeParse({ text: '가'.repeat(MAX_COMMENT_LENGTH) }).success).toBe(
      true,
    );
    const tooLong = commentCommandSchema.safeParse({ text: '가'.repeat(MAX_COMMENT_LENGTH + 1) });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues[0]?.message).toBe(
      `text must be at most ${MAX_COMMENT_LENGTH} characters`,
    );
    expect(commentCommandSchema.safeParse({ text: '   ' }).success).toBe(false);
  });
});

describe('comment page query', () => {
  it('defaults to the newest page and reads decimal numbers only', () => {
    expect(alertCommentPageQuerySchema.parse({})).toEqual({ limit: DEFAULT_COMMENT_PAGE_LIMIT });
    expect(alertCommentPageQuerySchema.parse({ before: '42', limit: '10' })).toEqual({
      before: 42,
      limit: 10,
    });
    for (const bad of [{ limit: '0' }, { limit: '0x10' }, { before: '-1' }, { before: 'x' }]) {
      expect(alertCommentPageQuerySchema.safeParse(bad).success).toBe(false);
    }
  });

  it('never asks for more than one alert can hold', () => {
    expect(
      alertCommentPageQuerySchema.safeParse({ limit: String(MAX_COMMENTS_PER_ALERT) }).success,
    ).toBe(true);
    expect(
      alertCommentPageQuerySchema.safeParse({ limit: String(MAX_COMMENTS_PER_ALERT + 1) }).success,
    ).toBe(false);
  });
});
