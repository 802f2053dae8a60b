import { describe, expect, it } from 'vitest';

import { nextUtcMidnight, parseRetryAfter } from '../../src/zoom/rate-limit.js';
import { parseZoomErrorBody } from '../../src/zoom/zoom-error-body.js';
import { quoteIntegerIds } from '../../src/zoom/zoom-answer.js';

describe('parseZoomErrorBody', () => {
  it('reads the JSON envelope with field errors', () => {
    const body = parseZoomErrorBody(
      JSON.stringify({
        code: 300,
        message: 'Validation Failed.',
        errors: [{ field: 'duration', message: 'Invalid field.' }],
      }),
    );

    expect(body).toEqual({
      code: 300,
      message: 'Validation Failed.',
      errors: [{ field: 'duration', message: 'Invalid field.' }],
    });
  });

  it('reads the XML envelope', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><error><code>3001</code><message>Meeting does not exist.</message></error>';

    expect(parseZoomErrorBody(xml)).toEqual({ code: 3001, message: 'Meeting does not exist.' });
  });

  it.each(['', 'Bad Gateway', '{broken', 'null', '<html><body>502</body></html>'])(
    'yields an empty envelope for %j',
    (text) => {
      expect(parseZoomErrorBody(text).code).toBeUndefined();
    },
  );
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-03-05T18:30:00Z');

  it('reads delta seconds', () => {
    expect(parseRetryAfter('7', now)).toEqual(new Date('2026-03-05T18:30:07Z'));
  });

  it('reads an ISO date and an HTTP date', () => {
    expect(parseRetryAfter('2026-03-06T00:00:00Z', now)).toEqual(new Date('2026-03-06T00:00:00Z'));
    expect(parseRetryAfter('Fri, 06 Mar 2026 00:00:00 GMT', now)).toEqual(
      new Date('2026-03-06T00:00:00Z'),
    );
  });

  it('never points into the past and ignores rubbish', () => {
    expect(parseRetryAfter('2020-05-31T00:00:00Z', now)).toEqual(now);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('nextUtcMidnight', () => {
  it('is the next 00:00 UTC, also from exactly midnight', () => {
    expect(nextUtcMidnight(new Date('2026-12-31T23:59:59Z'))).toEqual(
      new Date('2027-01-01T00:00:00Z'),
    );
    expect(nextUtcMidnight(new Date('2026-03-06T00:00:00Z'))).toEqual(
      new Date('2026-03-07T00:00:00Z'),
    );
  });
});

describe('quoteIntegerIds', () => {
  it('quotes integer id keys only, not ids inside strings or other keys', () => {
    const text =
      '{"id": 123, "occurrence_id": 5, "agenda": "say \\"id\\": 9", "nested": {"id":42}}';

    expect(JSON.parse(quoteIntegerIds(text))).toEqual({
      id: '123',
      occurrence_id: 5,
      agenda: 'say "id": 9',
      nested: { id: '42' },
    });
  });
});
